//! Two-legged ties assembled from results and tie facts across reports.
