//! The API panel's round trip against the local demo API, compared with
//! curl to the same URL in the same run. Needs a running local provider and
//! a signed-in profile, which `bench/api.sh` sets up; without them it says
//! so and exits.
//!
//! Tessera's figure is one `Engine::call_api`, exactly what the desktop's
//! `api_send` command runs: read the profile, read the session from the
//! keyring, send with the bearer token, read the whole response. curl's is
//! a fresh `curl` process with the token on its command line, as a user
//! would run it, plus curl's own `time_total` (transfer only, no start-up).

use std::process::Command;
use std::time::{Duration, Instant};

use tessera_engine::api::{ApiRequest, CallOptions};
use tessera_engine::Engine;

#[path = "support/mod.rs"]
mod common;
use common::{median, ms};

const ROUNDS: usize = 60;

fn main() {
    let (Ok(url), Ok(profile)) = (
        std::env::var("TESSERA_BENCH_URL"),
        std::env::var("TESSERA_BENCH_PROFILE"),
    ) else {
        println!("api_round_trip: skipped (run bench/api.sh, which starts the local provider and signs in)");
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let engine = Engine::system().expect("engine");
    let request = ApiRequest::new("GET", &url);
    let token = runtime
        .block_on(engine.access_token(Some(&profile)))
        .expect("signed in")
        .access_token;

    let tessera_once = || {
        let start = Instant::now();
        let outcome = runtime
            .block_on(engine.call_api(Some(&profile), &request, CallOptions::default()))
            .expect("call");
        assert_eq!(outcome.response.status, 200, "the demo API answers");
        start.elapsed()
    };
    let curl_once = || {
        let start = Instant::now();
        let out = Command::new("curl")
            .args([
                "-sS",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code} %{time_total}",
                "-H",
            ])
            .arg(format!("Authorization: Bearer {}", token.expose()))
            .arg(&url)
            .output()
            .expect("curl runs");
        let wall = start.elapsed();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let mut parts = text.split_whitespace();
        assert_eq!(parts.next(), Some("200"), "curl reaches the demo API");
        let transfer: f64 = parts.next().and_then(|t| t.parse().ok()).unwrap_or(0.0);
        (wall, Duration::from_secs_f64(transfer))
    };
    // Warm both: connection set-up, the keyring's D-Bus session, caches.
    for _ in 0..5 {
        tessera_once();
        curl_once();
    }
    let mut tessera = Vec::new();
    let mut curl_wall = Vec::new();
    let mut curl_transfer = Vec::new();
    for _ in 0..ROUNDS {
        tessera.push(tessera_once());
        let (w, t) = curl_once();
        curl_wall.push(w);
        curl_transfer.push(t);
    }
    let (t, cw, ct) = (median(tessera), median(curl_wall), median(curl_transfer));
    println!("GET {url}, {ROUNDS} alternating rounds, medians");
    println!(
        "{:<52} {:>8.2} ms   1.00× (baseline)",
        "curl, whole process (start-up + request)",
        ms(cw)
    );
    println!(
        "{:<52} {:>8.2} ms   {:.2}×",
        "Tessera call_api (profile + keyring + request)",
        ms(t),
        ms(t) / ms(cw)
    );
    println!(
        "{:<52} {:>8.2} ms   {:.2}×",
        "curl time_total (request only, no start-up)",
        ms(ct),
        ms(ct) / ms(cw)
    );
    println!(
        "Tessera's overhead over curl's request time: {:+.2} ms (target ≤ 10 ms)",
        ms(t) - ms(ct)
    );
    common::record(
        "API call (profile, keyring, request)",
        ms(t),
        ms(cw),
        "curl, whole process",
        "ms",
    );
}
