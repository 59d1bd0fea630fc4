//! `tessera lint`: a provider's conformance findings, one per line (or as
//! JSON), errors first; exits 1 when any is an error.

use serde_json::json;
use tessera_engine::inspect::conformance::ConformanceReport;
use tessera_engine::Engine;

use crate::failure::Failure;
use crate::output::{print_json, say};

/// Prints the report; `Ok(false)` when it has an error-level finding.
pub(crate) async fn run(
    engine: &Engine,
    target: Option<String>,
    file: Option<std::path::PathBuf>,
    json: bool,
) -> Result<bool, Failure> {
    let report: ConformanceReport = match (target, file) {
        (_, Some(path)) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Failure::other(format!("cannot read {}: {e}", path.display())))?;
            engine.check_document(&text)?
        }
        (Some(target), None) => engine.check_provider(&target).await?,
        (None, None) => return Err(Failure::usage("give an issuer, a metadata URL or --file")),
    };
    if json {
        print_json(&json!({ "issuer": report.issuer, "findings": report.findings }));
    } else {
        for f in &report.findings {
            let level = serde_json::to_value(f.level)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            say(&format!(
                "{level:<7} {}: {} ({})",
                f.id, f.message, f.reference
            ));
        }
        let errors = report
            .findings
            .iter()
            .filter(|f| f.level == tessera_engine::protocol::lint::Level::Error)
            .count();
        say(&format!(
            "{} finding(s), {errors} at error level, for {}",
            report.findings.len(),
            report
                .issuer
                .as_deref()
                .unwrap_or("a document that names no issuer")
        ));
    }
    Ok(!report.has_errors())
}
