//! Commands: plain functions from typed arguments to a [`crate::reply::Reply`].
