//! Touchline: match reports in, quotes and results out, served on Discord and in the terminal.
//!
//! Data flows one way: `ingest` (bytes to text) -> `extract` (facts) -> `corpus`
//! (SQLite) -> `commands` (a neutral [`reply::Reply`]) -> `terminal` or `discord`.
//! The football core (`ingest`, `extract`, `ties`, `corpus`) knows nothing of Discord.

pub mod announce;
pub mod app;
pub mod bench;
pub mod commands;
pub mod config;
pub mod corpus;
pub mod discord;
pub mod extract;
pub mod ingest;
pub mod reply;
pub mod state;
pub mod teams;
pub mod terminal;
pub mod text;
pub mod ties;
