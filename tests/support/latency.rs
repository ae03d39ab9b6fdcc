//! Latency summaries for the benchmarks (`benches/bot_latency.rs`, `benches/endpoint_latency.rs`).

use std::time::Duration;

/// The `p`th percentile of sorted latencies (nearest rank).
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Prints count, p50, p90, p99, max and mean of `latencies` under `label`.
pub fn summary(label: &str, mut latencies: Vec<Duration>) {
    latencies.sort();
    let mean = latencies.iter().sum::<Duration>() / latencies.len() as u32;
    println!(
        "{label}: n={} p50={:.2?} p90={:.2?} p99={:.2?} max={:.2?} mean={:.2?}",
        latencies.len(),
        percentile(&latencies, 50.0),
        percentile(&latencies, 90.0),
        percentile(&latencies, 99.0),
        latencies[latencies.len() - 1],
        mean
    );
}
