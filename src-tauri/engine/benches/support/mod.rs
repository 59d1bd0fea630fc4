//! What the benches share: medians, milliseconds and the results file.

// Each bench includes this file and uses some of it.
#![allow(dead_code)]

use std::time::Duration;

/// The median of the measured durations.
pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A duration in milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Appends one row to `$TESSERA_BENCH_RESULTS` (JSON lines) when it is set,
/// for the one table bench/report.py prints: `tessera` against `baseline`
/// (named), in `unit`.
pub fn record(metric: &str, tessera: f64, baseline: f64, baseline_name: &str, unit: &str) {
    let Ok(path) = std::env::var("TESSERA_BENCH_RESULTS") else {
        return;
    };
    let row = serde_json::json!({
        "group": "engine", "metric": metric, "tessera": tessera, "baseline": baseline,
        "baseline_name": baseline_name, "unit": unit, "target": null, "limit": null,
    });
    use std::io::Write;
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| writeln!(f, "{row}"));
    if let Err(e) = written {
        eprintln!("cannot append to {path}: {e}");
    }
}
