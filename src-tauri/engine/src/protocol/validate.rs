//! ID token validation, one recorded check at a time.
//!
//! Implements OpenID Connect Core §3.1.3.7 (and §12.2 for a token that comes
//! back from a refresh) plus the RP certification test list. Unlike a verifier
//! that stops at the first problem, every check runs and lands in a
//! [`ValidationReport`] row, so a user sees the whole picture. The module is
//! pure: the JWKS and the time come in as arguments; re-fetching keys on an
//! unknown `kid` is the caller's job ([`ValidationReport::needs_fresh_keys`]).

use base64::Engine as _;
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::protocol::discovery::TENANT_PLACEHOLDER;
use crate::protocol::jwks::{algorithm, JwkSet, ASYMMETRIC_ALGS, HMAC_ALGS};
use crate::protocol::jwt::{UnverifiedJwt, B64URL};
use crate::protocol::time_checks::{check_times, describe_offset, TimeClaims, CLOCK_SKEW_SECS};
use crate::seams::clock::UnixTime;
use crate::secret::SecretString;

pub use crate::protocol::report::{Check, ValidationReport};

/// What the nonce must be.
#[derive(Debug, Clone, Copy)]
pub enum NonceRule<'a> {
    /// After an authorization request: exactly the nonce that was sent.
    Sent(&'a SecretString),
    /// After a refresh (§12.2): absent, or the original token's nonce.
    Refresh,
    /// After a grant that sends no nonce (the device flow): none is
    /// required, and one that turns up cannot be checked.
    NotSent,
    /// Re-checking a stored token for the inspector: the nonce was compared
    /// when the token arrived and is not kept, so this row only reports it.
    CheckedOnReceipt,
}

/// Everything the ID token is checked against.
#[derive(Debug, Clone, Copy)]
pub struct Expectations<'a> {
    /// Expected `iss`, exactly; a `{tenantid}` template is filled in from the token's `tid`.
    pub issuer: &'a str,
    /// The client id `aud` must contain (and `azp`, when present, must equal).
    pub client_id: &'a str,
    /// Which nonce to expect: the one sent, the refresh rule, or none to compare.
    pub nonce: NonceRule<'a>,
    /// Now, in Unix seconds.
    pub now: UnixTime,
    /// The client secret and the provider's advertised algorithms: enables
    /// HS256/384/512, for the algorithms the provider advertises only.
    pub shared_secret: Option<SharedSecret<'a>>,
    /// The access token issued with the ID token (for `at_hash`).
    pub access_token: Option<&'a SecretString>,
    /// `max_age` sent with the request: then `auth_time` is required.
    pub max_age: Option<u64>,
    /// `acr_values` sent with the request (space-separated): the `acr` that
    /// comes back should be one of them (a warning row otherwise).
    pub acr_values: Option<&'a str>,
    /// For a multi-tenant issuer template (Entra's `{tenantid}`): the tenants
    /// whose tokens are accepted; empty accepts any tenant.
    pub allowed_tenants: &'a [String],
    /// After a refresh: the ID token of the session being refreshed.
    pub original: Option<&'a UnverifiedJwt>,
}

/// The client secret as a key for HS256/384/512, with the algorithms the
/// provider says it signs ID tokens with. A shared-secret signature counts
/// only for an algorithm the provider advertises: a secret that sits in a
/// desktop app or a script is weak proof of who signed, so it is never
/// tried on the token's say-so alone.
#[derive(Debug, Clone, Copy)]
pub struct SharedSecret<'a> {
    /// The client secret, from the keyring.
    pub secret: &'a SecretString,
    /// `id_token_signing_alg_values_supported` from discovery (empty for
    /// endpoints typed in by hand).
    pub advertised_algs: &'a [String],
}

impl<'a> SharedSecret<'a> {
    /// The key when there is a client secret.
    pub fn new(secret: Option<&'a SecretString>, advertised_algs: &'a [String]) -> Option<Self> {
        secret.map(|secret| Self {
            secret,
            advertised_algs,
        })
    }
}

/// Validates an ID token against `jwks` and `expect`, recording every check.
pub fn validate_id_token(
    jwt: &UnverifiedJwt,
    jwks: &JwkSet,
    expect: &Expectations<'_>,
) -> ValidationReport {
    let mut report = ValidationReport::default();
    check_alg_and_signature(jwt, jwks, expect.shared_secret, "ID token", &mut report);
    check_type(jwt, &mut report);
    check_issuer(jwt, expect, &mut report);
    check_audience(jwt, expect, &mut report);
    check_subject(jwt, expect, &mut report);
    check_times(
        jwt,
        expect.now,
        "ID token",
        TimeClaims::Required,
        &mut report,
    );
    check_refreshed_iat(jwt, expect, &mut report);
    check_nonce(jwt, expect, &mut report);
    check_at_hash(jwt, expect, &mut report);
    check_auth_time(jwt, expect, &mut report);
    check_acr(jwt, expect, &mut report);
    report
}

/// RFC 8725 §3.11: a JWT explicitly typed as another kind of token (an
/// RFC 9068 access token `at+jwt`, a logout token, a DPoP proof…) is not
/// an ID token, whoever signed it. An ID token's `typ` is absent, `JWT` or
/// `JOSE` (with or without `application/`, in any case). The row appears
/// only when the header has a `typ`.
fn check_type(jwt: &UnverifiedJwt, report: &mut ValidationReport) {
    let Some(typ) = jwt.header.typ.as_deref() else {
        return;
    };
    let bare = typ.to_ascii_lowercase();
    let bare = bare.strip_prefix("application/").unwrap_or(&bare);
    let (id, name) = ("typ", "Token type (RFC 8725 §3.11)");
    report.push(if bare == "jwt" || bare == "jose" {
        Check::pass(id, name, format!("typ is {typ}"))
    } else {
        Check::fail(
            id,
            name,
            format!("the ID token's typ is {typ}: it is typed as another kind of token, not an ID token"),
        )
        .with_values("absent, JWT or JOSE", typ)
    });
}

/// OIDC Core 3.1.3.7, step 12: when `acr_values` was requested, the client
/// SHOULD check the `acr` it got. A provider may authenticate otherwise than
/// asked, so this is a warning row, not a refusal.
fn check_acr(jwt: &UnverifiedJwt, expect: &Expectations<'_>, report: &mut ValidationReport) {
    let Some(requested) = expect.acr_values.filter(|v| !v.trim().is_empty()) else {
        return;
    };
    let (id, name) = ("acr", "Authentication context");
    let requested_list: Vec<&str> = requested.split_whitespace().collect();
    report.push(match jwt.claim_str("acr") {
        Some(acr) if requested_list.contains(&acr) => {
            Check::pass(id, name, format!("acr is {acr}, as requested"))
        }
        Some(acr) => Check::warn(
            id,
            name,
            "the provider authenticated with another context than requested",
        )
        .with_values(requested, acr),
        None => Check::warn(
            id,
            name,
            "acr_values was requested but the ID token has no acr",
        )
        .with_values(requested, "-"),
    });
}

/// The `alg` and signature rows, shared by ID token validation and
/// [`crate::protocol::verify`]. `noun` names the token in failure messages.
pub(crate) fn check_alg_and_signature(
    jwt: &UnverifiedJwt,
    jwks: &JwkSet,
    shared_secret: Option<SharedSecret<'_>>,
    noun: &str,
    report: &mut ValidationReport,
) {
    if check_alg(jwt, shared_secret, noun, report) {
        check_signature(jwt, jwks, shared_secret.map(|s| s.secret), noun, report);
    } else {
        report.push(Check::fail(
            "signature",
            "Signature",
            format!("{noun} signature not checked: its algorithm is refused"),
        ));
    }
}

fn check_alg(
    jwt: &UnverifiedJwt,
    shared_secret: Option<SharedSecret<'_>>,
    noun: &str,
    report: &mut ValidationReport,
) -> bool {
    let alg = jwt.header.alg.as_str();
    let (id, name) = ("alg", "Algorithm");
    let check = if alg.eq_ignore_ascii_case("none") {
        Check::fail(
            id,
            name,
            format!("{noun} is unsigned (alg \"none\"), which Tessera refuses"),
        )
    } else if HMAC_ALGS.contains(&alg) && shared_secret.is_none() {
        Check::fail(
            id,
            name,
            format!("{noun} is signed with {alg}, a shared-secret algorithm, but this profile has no client secret"),
        )
    } else if HMAC_ALGS.contains(&alg)
        && !shared_secret.is_some_and(|s| s.advertised_algs.iter().any(|a| a == alg))
    {
        Check::fail(
            id,
            name,
            format!("{noun} is signed with {alg}, a shared-secret algorithm the provider does not list in id_token_signing_alg_values_supported; Tessera accepts it only when the provider advertises it"),
        )
        .with_values(
            shared_secret
                .map(|s| s.advertised_algs.join(", "))
                .unwrap_or_default(),
            alg,
        )
    } else if !ASYMMETRIC_ALGS.contains(&alg) && !HMAC_ALGS.contains(&alg) {
        Check::fail(id, name, format!("{noun} algorithm {alg} is not supported"))
            .with_values(ASYMMETRIC_ALGS.join(", "), alg)
    } else if let Some(crit) = &jwt.header.crit {
        Check::fail(
            id,
            name,
            format!(
                "{noun} header marks unsupported extensions as critical: {}",
                crit.join(", ")
            ),
        )
    } else {
        Check::pass(id, name, format!("{alg} is allowed"))
    };
    let ok = check.passed;
    report.push(check);
    ok
}

fn check_signature(
    jwt: &UnverifiedJwt,
    jwks: &JwkSet,
    client_secret: Option<&SecretString>,
    noun: &str,
    report: &mut ValidationReport,
) {
    let (id, name) = ("signature", "Signature");
    let alg = jwt.header.alg.as_str();
    let Some(algorithm) = algorithm(alg) else {
        report.push(Check::fail(
            id,
            name,
            format!("{noun} algorithm {alg} is not supported"),
        ));
        return;
    };
    if HMAC_ALGS.contains(&alg) {
        let secret = client_secret
            .map(|s| s.expose().as_bytes())
            .unwrap_or_default();
        let key = jsonwebtoken::DecodingKey::from_secret(secret);
        let ok =
            jsonwebtoken::crypto::verify(jwt.signature_b64(), jwt.signing_input(), &key, algorithm)
                .unwrap_or(false);
        if ok {
            report.verified_by = Some("the client secret".into());
        }
        report.push(if ok {
            Check::pass(id, name, format!("verified with the client secret ({alg})"))
        } else {
            Check::fail(
                id,
                name,
                format!("{noun} signature is invalid (checked with the client secret)"),
            )
        });
        return;
    }
    let kid = jwt.header.kid.as_deref();
    if let Some(kid) = kid {
        if !jwks.has_kid(kid) {
            report.unknown_key = true;
            report.push(Check::fail(
                id,
                name,
                format!("no key in the JWKS has the {noun}'s kid \"{kid}\""),
            ));
            return;
        }
    }
    let candidates = jwks.candidates(alg, kid);
    if candidates.is_empty() {
        report.unknown_key = kid.is_none();
        report.push(Check::fail(
            id,
            name,
            match kid {
                Some(kid) => format!("the JWKS key \"{kid}\" cannot verify {alg} (wrong key type, curve, use or alg)"),
                None => format!("the {noun} has no kid and the JWKS holds no key for {alg}"),
            },
        ));
        return;
    }
    for key in &candidates {
        let Some(decoding) = key.decoding_key() else {
            continue;
        };
        if jsonwebtoken::crypto::verify(
            jwt.signature_b64(),
            jwt.signing_input(),
            &decoding,
            algorithm,
        )
        .unwrap_or(false)
        {
            let which = key.kid.clone().unwrap_or_else(|| "(no kid)".into());
            report.verified_by = Some(format!("{which} ({})", key.describe()));
            report.push(
                Check::pass(
                    id,
                    name,
                    format!("verified with key {which} ({alg}, {})", key.describe()),
                )
                .with_values(format!("a valid {alg} signature"), format!("key {which}")),
            );
            return;
        }
    }
    report.push(Check::fail(
        id,
        name,
        match kid {
            Some(kid) => format!("{noun} signature is invalid (key \"{kid}\", {alg})"),
            None => format!(
                "{noun} signature is invalid: none of the {} {alg} keys verifies it",
                candidates.len()
            ),
        },
    ));
}

fn check_issuer(jwt: &UnverifiedJwt, expect: &Expectations<'_>, report: &mut ValidationReport) {
    let (id, name) = ("issuer", "Issuer");
    if expect.issuer.contains(TENANT_PLACEHOLDER) {
        report.push(check_tenant_issuer(jwt, expect.issuer));
        if !expect.allowed_tenants.is_empty() {
            let (id, name) = ("tenant", "Tenant");
            let tid = jwt.claim_str("tid").unwrap_or_default();
            report.push(if expect.allowed_tenants.iter().any(|t| t == tid) {
                Check::pass(id, name, format!("tenant {tid} is allowed by the profile"))
            } else {
                Check::fail(
                    id,
                    name,
                    "ID token is from a tenant the profile does not allow",
                )
                .with_values(
                    expect.allowed_tenants.join(", "),
                    if tid.is_empty() { "-" } else { tid },
                )
            });
        }
        return;
    }
    let check = match jwt.claim_str("iss") {
        Some(iss) if iss == expect.issuer => Check::pass(id, name, format!("iss is {iss}")),
        Some(iss) => Check::fail(
            id,
            name,
            format!(
                "ID token issuer mismatch: expected {}, got {iss}",
                expect.issuer
            ),
        )
        .with_values(expect.issuer, iss),
        None => Check::fail(id, name, "ID token has no iss claim"),
    };
    report.push(check);
}

/// A multi-tenant issuer template: `iss` must be the template filled in with
/// the token's own `tid`, so a token from one tenant cannot pose as another.
fn check_tenant_issuer(jwt: &UnverifiedJwt, template: &str) -> Check {
    let (id, name) = ("issuer", "Issuer");
    let Some(tid) = jwt
        .claim_str("tid")
        .filter(|t| !t.is_empty() && !t.contains('/'))
    else {
        return Check::fail(
            id,
            name,
            format!("the provider's issuer is the template {template}, but the ID token has no usable tid claim to fill it in"),
        );
    };
    let expected = template.replace(TENANT_PLACEHOLDER, tid);
    match jwt.claim_str("iss") {
        Some(iss) if iss == expected => Check::pass(
            id,
            name,
            format!("iss is {iss} (the provider's tenant template with tid {tid})"),
        ),
        Some(iss) => Check::fail(
            id,
            name,
            format!("ID token issuer mismatch: expected {expected} (template {template} with tid {tid}), got {iss}"),
        )
        .with_values(&expected, iss),
        None => Check::fail(id, name, "ID token has no iss claim"),
    }
}

fn check_audience(jwt: &UnverifiedJwt, expect: &Expectations<'_>, report: &mut ValidationReport) {
    let auds = jwt.audiences();
    let cid = expect.client_id;
    report.push(if auds.iter().any(|a| a == cid) {
        Check::pass(
            "audience",
            "Audience",
            format!("aud contains client_id {cid}"),
        )
    } else {
        Check::fail(
            "audience",
            "Audience",
            format!("ID token audience does not contain client_id {cid}"),
        )
        .with_values(cid, auds.join(", "))
    });
    // §3.1.3.7 items 4-5: with several audiences azp is needed, and when
    // present it must be this client.
    let azp = jwt.claim_str("azp");
    let (id, name) = ("azp", "Authorized party");
    report.push(match azp {
        Some(azp) if azp == cid => Check::pass(id, name, format!("azp is client_id {cid}")),
        Some(azp) => Check::fail(
            id,
            name,
            format!("ID token azp is {azp}, not client_id {cid}"),
        )
        .with_values(cid, azp),
        None if auds.len() > 1 => {
            Check::fail(id, name, "ID token has several audiences but no azp claim")
        }
        None => Check::pass(id, name, "single audience; azp not needed"),
    });
    if let Some(original) = expect.original {
        let before = original.audiences();
        report.push(if same_set(&before, &auds) {
            Check::pass(
                "same_audience",
                "Same audience",
                "aud is unchanged since sign-in",
            )
        } else {
            Check::fail(
                "same_audience",
                "Same audience",
                "refreshed ID token audience differs from the original",
            )
            .with_values(before.join(", "), auds.join(", "))
        });
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// After a refresh (OIDC Core §12.2), the new ID token's `iat` is the time
/// it was issued: it cannot be older than the token it replaces.
fn check_refreshed_iat(
    jwt: &UnverifiedJwt,
    expect: &Expectations<'_>,
    report: &mut ValidationReport,
) {
    let Some(original) = expect.original else {
        return;
    };
    let (Some(before), Some(now_iat)) = (original.claim_time("iat"), jwt.claim_time("iat")) else {
        return;
    };
    let (id, name) = ("refreshed_iat", "Issued after the original");
    report.push(if now_iat >= before {
        Check::pass(
            id,
            name,
            "the refreshed ID token was issued after the one it replaces",
        )
    } else {
        Check::fail(
            id,
            name,
            "refreshed ID token was issued before the ID token it replaces (a replayed token?)",
        )
        .with_values(format!(">= {before}"), now_iat.to_string())
    });
}

fn check_subject(jwt: &UnverifiedJwt, expect: &Expectations<'_>, report: &mut ValidationReport) {
    let (id, name) = ("subject", "Subject");
    let sub = jwt.claim_str("sub");
    report.push(match sub {
        Some(s) if !s.is_empty() && s.len() <= 255 => Check::pass(id, name, format!("sub is {s}")),
        Some(_) => Check::fail(
            id,
            name,
            "ID token sub is empty or longer than 255 characters",
        ),
        None => Check::fail(id, name, "ID token has no sub claim"),
    });
    if let Some(original) = expect.original {
        let before = original.claim_str("sub");
        report.push(if before.is_some() && before == sub {
            Check::pass(
                "same_subject",
                "Same subject",
                "sub is unchanged since sign-in",
            )
        } else {
            Check::fail(
                "same_subject",
                "Same subject",
                "refreshed ID token is for a different subject",
            )
            .with_values(before.unwrap_or("-"), sub.unwrap_or("-"))
        });
    }
}

fn check_nonce(jwt: &UnverifiedJwt, expect: &Expectations<'_>, report: &mut ValidationReport) {
    let (id, name) = ("nonce", "Nonce");
    let nonce = jwt.claim_str("nonce");
    report.push(match (expect.nonce, nonce) {
        (NonceRule::Sent(sent), Some(got)) if sent.constant_time_eq(got) => {
            Check::pass(id, name, "matches the nonce sent with this sign-in")
        }
        (NonceRule::Sent(_), Some(_)) => Check::fail(id, name, "ID token nonce mismatch"),
        (NonceRule::Sent(_), None) => {
            Check::fail(id, name, "ID token has no nonce, but one was sent")
        }
        (NonceRule::Refresh, None) => Check::pass(id, name, "absent, as expected after a refresh"),
        (NonceRule::NotSent, None) => Check::pass(
            id,
            name,
            "absent, as expected: this grant sends no nonce",
        ),
        (NonceRule::NotSent, Some(_)) => Check::warn(
            id,
            name,
            "present though this grant sent none, so it proves nothing",
        ),
        (NonceRule::CheckedOnReceipt, Some(_)) => Check::pass(
            id,
            name,
            "present; it matched this sign-in's nonce when the token arrived (the nonce is not kept afterwards)",
        ),
        (NonceRule::CheckedOnReceipt, None) => Check::pass(
            id,
            name,
            "absent, as allowed for a token that came from a refresh",
        ),
        (NonceRule::Refresh, Some(got)) => {
            let original = expect.original.and_then(|o| o.claim_str("nonce"));
            if original == Some(got) {
                Check::pass(id, name, "same as the original ID token's nonce")
            } else {
                Check::fail(
                    id,
                    name,
                    "refreshed ID token carries a nonce that differs from the original",
                )
            }
        }
    });
}

/// The `at_hash` of an access token for a signing algorithm: the left half of
/// the hash named by the algorithm, base64url. Ed25519 uses SHA-512.
pub fn at_hash(access_token: &str, alg: &str) -> Option<String> {
    let digest: Vec<u8> = match alg {
        "RS256" | "PS256" | "ES256" | "HS256" => Sha256::digest(access_token).to_vec(),
        "RS384" | "PS384" | "ES384" | "HS384" => Sha384::digest(access_token).to_vec(),
        "RS512" | "PS512" | "HS512" | "EdDSA" => Sha512::digest(access_token).to_vec(),
        _ => return None,
    };
    Some(B64URL.encode(&digest[..digest.len() / 2]))
}

fn check_at_hash(jwt: &UnverifiedJwt, expect: &Expectations<'_>, report: &mut ValidationReport) {
    let (id, name) = ("at_hash", "Access token hash");
    let claimed = jwt.claim_str("at_hash");
    report.push(match (claimed, expect.access_token) {
        (None, _) => Check::pass(id, name, "not present (optional in the code flow)"),
        (Some(_), None) => Check::pass(id, name, "present; no access token to compare"),
        (Some(claimed), Some(token)) => match at_hash(token.expose(), &jwt.header.alg) {
            Some(actual) if actual == claimed => {
                Check::pass(id, name, "matches the access token").with_values(claimed, actual)
            }
            Some(actual) => {
                Check::fail(id, name, "ID token at_hash does not match the access token")
                    .with_values(actual, claimed)
            }
            None => Check::fail(id, name, "at_hash cannot be computed for this algorithm"),
        },
    });
}

fn check_auth_time(jwt: &UnverifiedJwt, expect: &Expectations<'_>, report: &mut ValidationReport) {
    let (id, name) = ("auth_time", "Authentication time");
    let auth_time = jwt.claim_time("auth_time");
    if let Some(max_age) = expect.max_age {
        report.push(match auth_time {
            Some(t)
                if expect.now.saturating_sub(t)
                    <= i64::try_from(max_age)
                        .unwrap_or(i64::MAX)
                        .saturating_add(CLOCK_SKEW_SECS) =>
            {
                Check::pass(
                    id,
                    name,
                    format!(
                        "authenticated {} (max_age {max_age} s)",
                        describe_offset(expect.now, t)
                    ),
                )
            }
            Some(t) => Check::fail(
                id,
                name,
                format!(
                    "ID token auth_time {} is older than max_age {max_age} s",
                    describe_offset(expect.now, t)
                ),
            ),
            None => Check::fail(
                id,
                name,
                "max_age was requested but the ID token has no auth_time",
            ),
        });
    }
    if let (Some(original), Some(now_t)) = (expect.original, auth_time) {
        if let Some(before) = original.claim_time("auth_time") {
            report.push(if before == now_t {
                Check::pass(
                    "same_auth_time",
                    "Same authentication",
                    "auth_time unchanged",
                )
            } else {
                Check::fail(
                    "same_auth_time",
                    "Same authentication",
                    "refreshed ID token has a different auth_time than the original",
                )
            });
        }
    }
}

#[cfg(test)]
mod tests;
