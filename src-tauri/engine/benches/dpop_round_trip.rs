//! A DPoP-bound API call against a Bearer one, in the same run: the cost of
//! sender-constrained tokens as a user of the API panel or `tessera call`
//! meets it. Needs two signed-in profiles, which `bench/dpop.sh` sets up
//! (a Bearer one at the local provider, a DPoP one at its FAPI 2.0 mode);
//! without them it says so and exits.
//!
//! Both figures are one `Engine::call_api`: read the profile and the
//! session, send, read the whole response. The DPoP call also signs a proof
//! (ES256) with the key from the keyring and carries the API's nonce; the
//! DPoP route also checks the proof. A separate line times making one proof.

use std::time::Instant;

use tessera_engine::api::{ApiRequest, CallOptions};
use tessera_engine::Engine;

#[path = "support/mod.rs"]
mod common;
use common::{median, ms};

const ROUNDS: usize = 60;

fn main() {
    let vars = [
        "TESSERA_BENCH_BEARER_URL",
        "TESSERA_BENCH_BEARER_PROFILE",
        "TESSERA_BENCH_DPOP_URL",
        "TESSERA_BENCH_DPOP_PROFILE",
    ]
    .map(std::env::var);
    let [Ok(bearer_url), Ok(bearer), Ok(dpop_url), Ok(dpop)] = vars else {
        println!("dpop_round_trip: skipped (run bench/dpop.sh, which starts both providers and signs in)");
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let engine = Engine::system().expect("engine");
    let call = |profile: &str, url: &str| {
        let request = ApiRequest::new("GET", url);
        let start = Instant::now();
        let outcome = runtime
            .block_on(engine.call_api(Some(profile), &request, CallOptions::default()))
            .expect("call");
        assert_eq!(outcome.response.status, 200, "{url} answers");
        start.elapsed()
    };
    let proof_url = url::Url::parse(&dpop_url).expect("a URL");
    let proof_once = || {
        let start = Instant::now();
        runtime
            .block_on(engine.dpop_proof(Some(&dpop), "GET", &proof_url))
            .expect("a proof");
        start.elapsed()
    };
    // Warm both: connections, the keyring's D-Bus session, the API's nonce.
    for _ in 0..5 {
        call(&bearer, &bearer_url);
        call(&dpop, &dpop_url);
    }
    let (mut b, mut d, mut p) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        b.push(call(&bearer, &bearer_url));
        d.push(call(&dpop, &dpop_url));
        p.push(proof_once());
    }
    let (b, d, p) = (median(b), median(d), median(p));
    println!("{ROUNDS} alternating rounds, medians");
    println!(
        "{:<58} {:>8.2} ms   1.00× (baseline)",
        format!("Bearer: GET {bearer_url}"),
        ms(b)
    );
    println!(
        "{:<58} {:>8.2} ms   {:.2}×",
        format!("DPoP:   GET {dpop_url}"),
        ms(d),
        ms(d) / ms(b)
    );
    println!(
        "{:<58} {:>8.2} ms   {:.2}×",
        "one proof (profile, session and key from the keyring, ES256)",
        ms(p),
        ms(p) / ms(b)
    );
}
