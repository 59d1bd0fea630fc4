//! The token inspector's types: decoded tokens, validation reports,
//! introspection, refresh history, the provider view and the HTTP log.
//!
//! A token's value never appears here. The one exception is the explicit
//! "Reveal" action (`reveal_token`), which returns a plain string the user
//! asked to see.

use serde::{Deserialize, Serialize};
use serde_json::Value;
pub use tessera_engine::claims::ChangeKind;
use tessera_engine::claims::{self, ClaimChange};
use tessera_engine::history::HistoryEntry;
use tessera_engine::http_log::{LogEntry, LoggedHeader};
use tessera_engine::inspect::{
    Introspection, JwtInspection, SessionInspection, TokenFormat, TokenInspection,
};
use tessera_engine::jwks::Jwk;
pub use tessera_engine::seams::operations::{
    Operation, OperationKind, Outcome as OperationOutcome, StepKind,
};
pub use tessera_engine::token::TokenKind;
use tessera_engine::validate::{Check, ValidationReport};

use super::{ClaimKind, ClaimView, ProviderReport};

/// One row of a validation report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CheckView {
    pub id: String,
    pub name: String,
    pub passed: bool,
    /// Passed, but worth a look (a SHOULD of the spec, e.g. an `acr` other than requested).
    pub warning: bool,
    pub detail: String,
    pub expected: Option<String>,
    pub found: Option<String>,
}

impl From<&Check> for CheckView {
    fn from(c: &Check) -> Self {
        Self {
            id: c.id.into(),
            name: c.name.into(),
            passed: c.passed,
            warning: c.warning,
            detail: c.detail.clone(),
            expected: c.expected.clone(),
            found: c.found.clone(),
        }
    }
}

fn checks(report: &ValidationReport) -> Vec<CheckView> {
    report.checks.iter().map(CheckView::from).collect()
}

/// Which key verified a signature, or why none did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SignatureView {
    pub verified: bool,
    pub alg: String,
    pub kid: Option<String>,
    /// "RSA 2048", "EC P-256": the key that verified it.
    pub key: Option<String>,
    pub detail: String,
}

/// A decoded JWT: header, explained claims, and (when checked) the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct JwtView {
    #[cfg_attr(test, ts(type = "JsonValue"))]
    pub header: Value,
    #[cfg_attr(test, ts(type = "JsonValue"))]
    pub payload: Value,
    /// Every claim, with a label and explanation for registered ones.
    pub claims: Vec<ClaimView>,
    /// `None` when only decoded, not verified.
    pub signature: Option<SignatureView>,
    /// Every check made; empty when only decoded.
    pub checks: Vec<CheckView>,
    /// Whether every check passed (false when nothing was checked).
    pub valid: bool,
    /// What the checks were made against, e.g. "profile local's JWKS".
    pub checked_against: Option<String>,
}

impl From<&JwtInspection> for JwtView {
    fn from(j: &JwtInspection) -> Self {
        Self {
            header: Value::Object(j.header.clone()),
            payload: Value::Object(j.claims.clone()),
            claims: claims::explain_all(&j.claims)
                .into_iter()
                .map(ClaimView::from)
                .collect(),
            signature: j.signature.as_ref().map(|s| SignatureView {
                verified: s.verified,
                alg: s.alg.clone(),
                kid: s.kid.clone(),
                key: s.key.clone(),
                detail: s.detail.clone(),
            }),
            checks: j.report.as_ref().map(checks).unwrap_or_default(),
            valid: j.report.as_ref().is_some_and(|r| r.passed()),
            checked_against: j.checked_against.clone(),
        }
    }
}

/// How a token is shaped.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TokenFormatView {
    Jwt { jwt: Box<JwtView> },
    Opaque { length: u32 },
}

/// One token of the session, without its value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TokenView {
    pub kind: TokenKind,
    pub format: TokenFormatView,
    #[cfg_attr(test, ts(type = "number | null"))]
    pub expires_at: Option<i64>,
    #[cfg_attr(test, ts(type = "number | null"))]
    pub issued_at: Option<i64>,
    /// The first 12 hex digits of the token's SHA-256: tells tokens apart
    /// without showing them.
    pub fingerprint: String,
    /// The provider has an introspection endpoint for this token.
    pub introspectable: bool,
    /// The provider has a revocation endpoint for this token.
    pub revocable: bool,
}

impl From<&TokenInspection> for TokenView {
    fn from(t: &TokenInspection) -> Self {
        Self {
            kind: t.kind,
            format: match &t.format {
                TokenFormat::Jwt(j) => TokenFormatView::Jwt {
                    jwt: Box::new(j.as_ref().into()),
                },
                TokenFormat::Opaque { length } => TokenFormatView::Opaque {
                    length: u32::try_from(*length).unwrap_or(u32::MAX),
                },
            },
            expires_at: t.expires_at,
            issued_at: t.issued_at,
            fingerprint: t.fingerprint.clone(),
            introspectable: t.introspectable,
            revocable: t.revocable,
        }
    }
}

/// Everything the inspector shows about a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct InspectionView {
    pub profile: String,
    pub issuer: String,
    pub client_id: String,
    pub token_type: String,
    pub scopes: Vec<String>,
    #[cfg_attr(test, ts(type = "number"))]
    pub obtained_at: i64,
    #[cfg_attr(test, ts(type = "number"))]
    pub signed_in_at: i64,
    #[cfg_attr(test, ts(type = "number | null"))]
    pub refresh_at: Option<i64>,
    /// ID token first, then access, then refresh; absent tokens are left out.
    pub tokens: Vec<TokenView>,
    /// Why the keys could not be fetched, when signatures went unchecked.
    pub keys_error: Option<String>,
}

impl InspectionView {
    pub fn new(profile: &str, s: &SessionInspection) -> Self {
        Self {
            profile: profile.to_string(),
            issuer: s.issuer.clone(),
            client_id: s.client_id.clone(),
            token_type: s.token_type.clone(),
            scopes: s.scopes.clone(),
            obtained_at: s.obtained_at,
            signed_in_at: s.signed_in_at,
            refresh_at: s.refresh_at,
            tokens: s.tokens.iter().map(TokenView::from).collect(),
            keys_error: s.keys_error.clone(),
        }
    }
}

/// An RFC 7662 answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IntrospectionView {
    pub kind: TokenKind,
    pub active: bool,
    /// Every member, explained (scope, exp, client_id, sub…).
    pub fields: Vec<ClaimView>,
    #[cfg_attr(test, ts(type = "JsonValue"))]
    pub raw: Value,
    /// The answer's `cnf` against the profile's DPoP key or certificate.
    pub binding: Vec<CheckView>,
}

impl From<&Introspection> for IntrospectionView {
    fn from(i: &Introspection) -> Self {
        Self {
            kind: i.kind,
            active: i.active,
            fields: claims::explain_all(&i.fields)
                .into_iter()
                .map(ClaimView::from)
                .collect(),
            raw: Value::Object(i.fields.clone()),
            binding: i.binding.iter().map(CheckView::from).collect(),
        }
    }
}

/// One entry of a profile's history in this app run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct HistoryEntryView {
    #[cfg_attr(test, ts(type = "number"))]
    pub id: u64,
    #[cfg_attr(test, ts(type = "number"))]
    pub at: i64,
    /// "Signed in", "Refreshed", "Refreshed (refresh token rotated)", "Seen at start".
    pub label: String,
    #[cfg_attr(test, ts(type = "number | null"))]
    pub expires_at: Option<i64>,
    pub scopes: Vec<String>,
    /// How many values differ from the entry before.
    pub changes: u32,
}

impl From<&HistoryEntry> for HistoryEntryView {
    fn from(e: &HistoryEntry) -> Self {
        Self {
            id: e.id,
            at: e.at,
            label: e.reason.label().to_string(),
            expires_at: e.expires_at,
            scopes: e.scopes.clone(),
            changes: e.changes_from_previous,
        }
    }
}

/// One value that differs between two history entries.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ClaimChangeView {
    /// `exp`, `scope`, `roles`, or `access_token.exp` for the access token's.
    pub name: String,
    pub label: Option<String>,
    pub kind: ChangeKind,
    pub value_kind: ClaimKind,
    #[cfg_attr(test, ts(type = "JsonValue"))]
    pub before: Value,
    #[cfg_attr(test, ts(type = "JsonValue"))]
    pub after: Value,
}

impl From<&ClaimChange> for ClaimChangeView {
    fn from(c: &ClaimChange) -> Self {
        Self {
            name: c.name.clone(),
            label: c.label.map(String::from),
            kind: c.kind,
            value_kind: c.value_kind,
            before: c.before.clone().unwrap_or(Value::Null),
            after: c.after.clone().unwrap_or(Value::Null),
        }
    }
}

/// What a pasted JWT is verified against.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum KeySource {
    /// The profile's provider JWKS; also expects its issuer, and its client
    /// id as audience when `expect_client_audience` is set (ID tokens).
    Profile {
        name: String,
        expect_client_audience: bool,
    },
    /// A pasted JWK or `{"keys": [...]}` JWKS.
    Jwks { text: String },
}

/// One key of a provider's JWKS.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct JwkView {
    pub kid: Option<String>,
    pub kty: String,
    pub alg: Option<String>,
    #[serde(rename = "use")]
    #[cfg_attr(test, ts(rename = "use"))]
    pub key_use: Option<String>,
    /// "2048 bits" for RSA, the curve for EC and OKP.
    pub size: String,
}

impl From<&Jwk> for JwkView {
    fn from(k: &Jwk) -> Self {
        Self {
            kid: k.kid.clone(),
            kty: k.kty.clone(),
            alg: k.alg.clone(),
            key_use: k.key_use.clone(),
            size: k.size(),
        }
    }
}

/// The provider view: discovery, capabilities and keys.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProviderView {
    pub report: ProviderReport,
    pub jwks_uri: Option<String>,
    pub keys: Vec<JwkView>,
    /// Keys in the JWKS Tessera cannot use (unknown type), by kid.
    pub skipped_keys: u32,
    pub keys_error: Option<String>,
}

/// A header of a logged exchange; secret values already redacted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct HeaderView {
    pub name: String,
    pub value: String,
}

impl From<&LoggedHeader> for HeaderView {
    fn from(h: &LoggedHeader) -> Self {
        Self {
            name: h.name.clone(),
            value: h.value.clone(),
        }
    }
}

/// One exchange in the HTTP log.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct HttpLogSummary {
    #[cfg_attr(test, ts(type = "number"))]
    pub id: u64,
    /// Unix milliseconds.
    #[cfg_attr(test, ts(type = "number"))]
    pub at_ms: i64,
    /// "discovery document", "token endpoint", "API"…
    pub endpoint: String,
    pub method: String,
    /// Query values of secret parameters are redacted.
    pub url: String,
    pub status: Option<u16>,
    /// Why no response came (timeout, connection refused).
    pub error: Option<String>,
    pub duration_ms: f64,
    /// The operation it was made for.
    #[cfg_attr(test, ts(type = "number | null"))]
    pub operation: Option<u64>,
}

impl From<&LogEntry> for HttpLogSummary {
    fn from(e: &LogEntry) -> Self {
        Self {
            id: e.id,
            at_ms: e.at_ms,
            endpoint: e.endpoint.to_string(),
            method: e.method.clone(),
            url: e.url.clone(),
            status: e.status,
            error: e.error.clone(),
            duration_ms: e.duration_ms,
            operation: e.operation,
        }
    }
}

/// One exchange, opened: request and response with secrets redacted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct HttpLogDetail {
    pub summary: HttpLogSummary,
    pub request_headers: Vec<HeaderView>,
    pub request_body: Option<String>,
    pub response_headers: Vec<HeaderView>,
    pub response_body: Option<String>,
    /// The body was cut to the log's per-entry limit.
    pub response_truncated: bool,
}

impl From<&LogEntry> for HttpLogDetail {
    fn from(e: &LogEntry) -> Self {
        Self {
            summary: e.into(),
            request_headers: e.request_headers.iter().map(HeaderView::from).collect(),
            request_body: e.request_body.clone(),
            response_headers: e.response_headers.iter().map(HeaderView::from).collect(),
            response_body: e.response_body.clone(),
            response_truncated: e.response_truncated,
        }
    }
}

/// What the exchange form sends (RFC 8693); the subject is one of the
/// profile's own tokens, named, never its value.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExchangeForm {
    pub subject: TokenKind,
    pub audiences: Vec<String>,
    pub resources: Vec<String>,
    pub scope: Option<String>,
    pub requested_token_type: Option<String>,
    pub actor_profile: Option<String>,
}

/// An issued token, as the inspector shows it: decoded and checked against
/// the provider's keys when it is a JWT. The value stays in Rust; `id`
/// names it for Copy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExchangeView {
    #[cfg_attr(test, ts(type = "number"))]
    pub id: u64,
    pub profile: String,
    pub issued_token_type: Option<String>,
    pub token_type: String,
    #[cfg_attr(test, ts(type = "number | null"))]
    pub expires_in: Option<i64>,
    pub scope: Option<String>,
    /// The decoded token, when it is a JWT.
    pub jwt: Option<JwtView>,
    /// Why it could not be checked, when it is a JWT that failed to verify
    /// against anything (an opaque token has no `jwt` and no error).
    pub check_error: Option<String>,
    /// When it was issued, Unix seconds.
    #[cfg_attr(test, ts(type = "number"))]
    pub obtained_at: i64,
}

/// One operation the engine performed, for the flow diagram: its HTTP
/// exchanges are the HTTP log entries tagged with its id.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct OperationView {
    #[cfg_attr(test, ts(type = "number"))]
    pub id: u64,
    pub kind: OperationKind,
    pub profile: Option<String>,
    #[cfg_attr(test, ts(type = "number"))]
    pub started_at_ms: i64,
    #[cfg_attr(test, ts(type = "number | null"))]
    pub finished_at_ms: Option<i64>,
    pub outcome: OperationOutcome,
    pub error: Option<String>,
    pub steps: Vec<OperationStepView>,
}

/// A step Tessera knows of but does not see over HTTP.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct OperationStepView {
    #[cfg_attr(test, ts(type = "number"))]
    pub at_ms: i64,
    pub kind: StepKind,
    pub detail: String,
}

impl From<&Operation> for OperationView {
    fn from(op: &Operation) -> Self {
        Self {
            id: op.id,
            kind: op.kind,
            profile: op.profile.clone(),
            started_at_ms: op.started_at_ms,
            finished_at_ms: op.finished_at_ms,
            outcome: op.outcome,
            error: op.error.clone(),
            steps: op
                .steps
                .iter()
                .map(|s| OperationStepView {
                    at_ms: s.at_ms,
                    kind: s.kind,
                    detail: s.detail.clone(),
                })
                .collect(),
        }
    }
}
