//! The profile claims a user sees: the ID token's and userinfo's claims
//! merged into one list, each with its source, a readable label and a one-line
//! explanation for standard claims (OpenID Connect Core §5.1 and §2, RFC 7519,
//! RFC 9068), and the roles and groups found in the usual places.
//!
//! Pure data in, data out: hosts render it.

use serde::Serialize;
use serde_json::{Map, Value};

/// Where a claim came from.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimSource {
    /// Only in the ID token (from [`explain_all`]: in the one token or answer explained).
    IdToken,
    /// Only in the userinfo response.
    Userinfo,
    /// In both; the value kept is userinfo's.
    Both,
}

/// How a value is best shown.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// Any other value, shown as plain text.
    Text,
    /// A NumericDate in Unix seconds: `exp`, `iat`, `nbf`, `auth_time`, `updated_at`.
    Time,
    /// A string claim known to hold a URL: `picture`, `profile`, `website`, `iss`.
    Url,
    /// `email`, or another `…email` claim whose string contains `@`.
    Email,
    /// A JSON boolean, e.g. `email_verified`.
    Bool,
    /// A number that is not a time.
    Number,
    /// A JSON array, e.g. `aud` or `roles`.
    List,
    /// A JSON object, e.g. `address` or `realm_access`.
    Object,
}

/// One claim as shown to the user, merged from the ID token and userinfo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// Claim name as it appears in the JSON, e.g. `email_verified`.
    pub name: String,
    /// Readable label for registered claims.
    pub label: Option<&'static str>,
    /// One line on what it means.
    pub description: Option<&'static str>,
    /// The value (userinfo's when both differ: it is the fresher one).
    pub value: Value,
    /// How hosts should render the value, chosen from its name and JSON type.
    pub kind: ClaimKind,
    /// Which response carried the claim.
    pub source: ClaimSource,
    /// Both sources carry the claim with different values.
    pub differs: bool,
}

/// Registered claims: name, label, explanation. Order is display order.
const REGISTERED: &[(&str, &str, &str)] = &[
    ("name", "Full name", "The user's full name, for display"),
    ("given_name", "Given name", "First name(s)"),
    ("family_name", "Family name", "Surname(s)"),
    ("middle_name", "Middle name", "Middle name(s)"),
    ("nickname", "Nickname", "Casual name"),
    (
        "preferred_username",
        "Username",
        "The name the user wants to be shown as; not unique, not stable",
    ),
    (
        "email",
        "Email",
        "Preferred email address; not unique, not a stable identifier",
    ),
    (
        "email_verified",
        "Email verified",
        "Whether the provider verified the email address",
    ),
    ("phone_number", "Phone", "Preferred telephone number"),
    (
        "phone_number_verified",
        "Phone verified",
        "Whether the provider verified the phone number",
    ),
    ("picture", "Picture", "URL of a profile picture"),
    ("profile", "Profile page", "URL of the user's profile page"),
    ("website", "Website", "URL of the user's web page or blog"),
    ("gender", "Gender", "The user's gender"),
    ("birthdate", "Birthdate", "Date of birth, YYYY-MM-DD"),
    ("zoneinfo", "Time zone", "IANA time zone, e.g. Europe/Paris"),
    ("locale", "Locale", "BCP 47 language tag, e.g. en-US"),
    ("address", "Address", "Postal address (a JSON object)"),
    (
        "updated_at",
        "Profile updated",
        "When the user's information was last updated",
    ),
    (
        "roles",
        "Roles",
        "Roles granted to the user (provider-specific)",
    ),
    (
        "groups",
        "Groups",
        "Groups the user belongs to (provider-specific)",
    ),
    (
        "sub",
        "Subject",
        "The user's stable, unique identifier at this issuer: the key to store",
    ),
    (
        "iss",
        "Issuer",
        "Who issued the token; must equal the profile's issuer exactly",
    ),
    (
        "aud",
        "Audience",
        "Who the token is for; must contain this client's id",
    ),
    (
        "azp",
        "Authorized party",
        "The client the token was issued to, when there are several audiences",
    ),
    (
        "exp",
        "Expires",
        "After this time the token must be refused",
    ),
    ("iat", "Issued at", "When the token was issued"),
    (
        "nbf",
        "Not before",
        "Before this time the token must be refused",
    ),
    (
        "auth_time",
        "Authenticated at",
        "When the user last actively signed in",
    ),
    (
        "nonce",
        "Nonce",
        "Binds the ID token to this sign-in request (replay protection)",
    ),
    (
        "acr",
        "Authentication context",
        "How strongly the user was authenticated (acr value)",
    ),
    (
        "amr",
        "Authentication methods",
        "How the user authenticated, e.g. pwd, otp, mfa",
    ),
    (
        "at_hash",
        "Access token hash",
        "Binds the ID token to the access token issued with it",
    ),
    (
        "c_hash",
        "Code hash",
        "Binds the ID token to the authorization code",
    ),
    (
        "sid",
        "Session id",
        "The provider's session, used by logout",
    ),
    ("jti", "Token id", "Unique identifier of this token"),
    ("scope", "Scope", "Scopes granted to the access token"),
    (
        "client_id",
        "Client",
        "The client the access token was issued to",
    ),
    (
        "active",
        "Active",
        "Whether the provider still considers the token valid (RFC 7662)",
    ),
    (
        "token_type",
        "Token type",
        "The kind of token the provider says this is (RFC 7662)",
    ),
    (
        "username",
        "Username",
        "The resource owner the token was issued for, as the provider names them (RFC 7662)",
    ),
    (
        "cnf",
        "Confirmation",
        "The key the token is bound to (DPoP or mTLS); only its holder may use it (RFC 7800)",
    ),
    (
        "act",
        "Actor",
        "Who is acting on the subject's behalf (token exchange, RFC 8693)",
    ),
    ("tid", "Tenant", "Microsoft Entra tenant id"),
    ("oid", "Object id", "Microsoft Entra object id of the user"),
];

const TIME_CLAIMS: &[&str] = &["exp", "iat", "nbf", "auth_time", "updated_at"];
const URL_CLAIMS: &[&str] = &["picture", "profile", "website", "iss"];

/// Label and explanation of a registered claim.
pub fn explain(name: &str) -> Option<(&'static str, &'static str)> {
    REGISTERED
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, label, description)| (*label, *description))
}

fn kind_of(name: &str, value: &Value) -> ClaimKind {
    match value {
        Value::Number(_) if TIME_CLAIMS.contains(&name) => ClaimKind::Time,
        Value::Number(_) => ClaimKind::Number,
        Value::Bool(_) => ClaimKind::Bool,
        Value::Array(_) => ClaimKind::List,
        Value::Object(_) => ClaimKind::Object,
        Value::String(_) if URL_CLAIMS.contains(&name) => ClaimKind::Url,
        Value::String(s) if name == "email" || (name.ends_with("email") && s.contains('@')) => {
            ClaimKind::Email
        }
        _ => ClaimKind::Text,
    }
}

/// Merges ID-token and userinfo claims. Profile claims come first in
/// registered order, then custom claims by name, then the protocol claims
/// (iss, aud, exp…), so the person comes before the plumbing.
pub fn merge(id_token: &Map<String, Value>, userinfo: Option<&Map<String, Value>>) -> Vec<Claim> {
    let empty = Map::new();
    let userinfo = userinfo.unwrap_or(&empty);
    let mut names: Vec<&String> = id_token.keys().chain(userinfo.keys()).collect();
    names.sort_by_key(|n| (rank(n), (*n).clone()));
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let (value, source, differs) = match (id_token.get(name), userinfo.get(name)) {
                (Some(a), Some(b)) => (b.clone(), ClaimSource::Both, a != b),
                (Some(a), None) => (a.clone(), ClaimSource::IdToken, false),
                (None, Some(b)) => (b.clone(), ClaimSource::Userinfo, false),
                (None, None) => (Value::Null, ClaimSource::IdToken, false),
            };
            let explained = explain(name);
            Claim {
                kind: kind_of(name, &value),
                name: name.clone(),
                label: explained.map(|e| e.0),
                description: explained.map(|e| e.1),
                value,
                source,
                differs,
            }
        })
        .collect()
}

/// Sort key: registered profile claims (by table order), then custom claims,
/// then registered protocol claims (from `sub` on, by table order).
fn rank(name: &str) -> (u8, usize) {
    let protocol_from = REGISTERED
        .iter()
        .position(|(n, _, _)| *n == "sub")
        .unwrap_or(usize::MAX);
    match REGISTERED.iter().position(|(n, _, _)| *n == name) {
        Some(i) if i < protocol_from => (0, i),
        Some(i) => (2, i),
        None => (1, 0),
    }
}

/// Every member of one token or answer (a JWT payload, an introspection
/// response), labelled and explained, in the same order as [`merge`].
pub fn explain_all(claims: &Map<String, Value>) -> Vec<Claim> {
    merge(claims, None)
}

/// How a value differs between two snapshots.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the later snapshot.
    Added,
    /// Only in the earlier one.
    Removed,
    /// In both, with different values.
    Changed,
}

/// One value that differs between two claim snapshots.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimChange {
    /// Claim name; access-token values are prefixed, e.g. `access_token.exp`.
    pub name: String,
    /// Readable label for registered claims.
    pub label: Option<&'static str>,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// Display hint, from the later value (or the earlier one when removed).
    pub value_kind: ClaimKind,
    /// Value in the earlier snapshot; `None` when the claim was added.
    pub before: Option<Value>,
    /// Value in the later snapshot; `None` when the claim was removed.
    pub after: Option<Value>,
}

/// What changed from `before` to `after`, in display order. Lists compare as
/// sets, so a provider reordering `roles` or `aud` is not reported as a change.
pub fn diff(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<ClaimChange> {
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    // The access token's values (`access_token.exp`) come after the ID
    // token's, each group in the usual claim order.
    names.sort_by_key(|n| match n.strip_prefix("access_token.") {
        Some(base) => (1, rank(base), (*n).clone()),
        None => (0, rank(n), (*n).clone()),
    });
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let (a, b) = (before.get(name), after.get(name));
            let kind = match (a, b) {
                (Some(a), Some(b)) if same_value(a, b) => return None,
                (Some(_), Some(_)) => ChangeKind::Changed,
                (None, Some(_)) => ChangeKind::Added,
                (Some(_), None) => ChangeKind::Removed,
                (None, None) => return None,
            };
            let shown = b.or(a).unwrap_or(&Value::Null);
            let base = name.rsplit('.').next().unwrap_or(name);
            Some(ClaimChange {
                name: name.clone(),
                label: explain(base).map(|e| e.0),
                kind,
                value_kind: kind_of(base, shown),
                before: a.cloned(),
                after: b.cloned(),
            })
        })
        .collect()
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().all(|v| y.contains(v)) && y.iter().all(|v| x.contains(v))
        }
        _ => a == b,
    }
}

/// Strings found under the usual role claims: `roles`, Keycloak's
/// `realm_access.roles` and `resource_access.*.roles`, and Auth0-style
/// namespaced `…/roles`.
pub fn roles(claims: &[Claim]) -> Vec<String> {
    let mut out = Vec::new();
    for c in claims {
        if c.name == "roles" || c.name.ends_with("/roles") {
            push_strings(&c.value, &mut out);
        } else if c.name == "realm_access" {
            push_strings(&c.value["roles"], &mut out);
        } else if c.name == "resource_access" {
            if let Value::Object(clients) = &c.value {
                for access in clients.values() {
                    push_strings(&access["roles"], &mut out);
                }
            }
        }
    }
    out
}

/// Strings under `groups` (or a namespaced `…/groups`).
pub fn groups(claims: &[Claim]) -> Vec<String> {
    let mut out = Vec::new();
    for c in claims {
        if c.name == "groups" || c.name.ends_with("/groups") {
            push_strings(&c.value, &mut out);
        }
    }
    out
}

fn push_strings(value: &Value, out: &mut Vec<String>) {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::String(_) => vec![value],
        _ => Vec::new(),
    };
    for s in items.into_iter().filter_map(Value::as_str) {
        if !out.iter().any(|x| x == s) {
            out.push(s.to_string());
        }
    }
}

/// The best name to show for a user: name, else preferred_username, else
/// email, else the subject.
pub fn display_name(claims: &[Claim]) -> Option<String> {
    ["name", "preferred_username", "email", "sub"]
        .iter()
        .find_map(|key| {
            claims
                .iter()
                .find(|c| c.name == *key)
                .and_then(|c| c.value.as_str())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
}

/// A claim's string value.
pub fn string(claims: &[Claim], name: &str) -> Option<String> {
    claims
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| c.value.as_str())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().expect("object")
    }

    #[test]
    fn a_claim_in_both_sources_is_marked_both_and_flags_a_difference() {
        let merged = merge(
            &map(json!({"sub": "u1", "email": "old@example.com", "name": "Ada"})),
            Some(&map(json!({"sub": "u1", "email": "new@example.com"}))),
        );
        let email = merged.iter().find(|c| c.name == "email").expect("email");
        assert_eq!(email.source, ClaimSource::Both, "email is in both sources");
        assert!(email.differs, "the two emails differ");
        assert_eq!(email.value, json!("new@example.com"), "userinfo is fresher");
        let sub = merged.iter().find(|c| c.name == "sub").expect("sub");
        assert!(!sub.differs, "equal values are not a difference");
        let name = merged.iter().find(|c| c.name == "name").expect("name");
        assert_eq!(
            name.source,
            ClaimSource::IdToken,
            "name only in the ID token"
        );
    }

    #[test]
    fn profile_claims_come_before_custom_claims_and_protocol_claims_last() {
        let merged = merge(
            &map(json!({"exp": 2, "iss": "x", "zeta": 1, "email": "a@b", "name": "Ada"})),
            None,
        );
        let order: Vec<&str> = merged.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            order,
            ["name", "email", "zeta", "iss", "exp"],
            "person first, plumbing last"
        );
    }

    #[test]
    fn times_urls_and_emails_get_their_display_kinds() {
        let merged = merge(
            &map(
                json!({"exp": 1700000000, "picture": "https://x/p.png", "email": "a@b", "count": 3}),
            ),
            None,
        );
        let kind = |n: &str| merged.iter().find(|c| c.name == n).map(|c| c.kind);
        assert_eq!(kind("exp"), Some(ClaimKind::Time), "exp is a time");
        assert_eq!(kind("picture"), Some(ClaimKind::Url), "picture is a URL");
        assert_eq!(kind("email"), Some(ClaimKind::Email), "email is an address");
        assert_eq!(
            kind("count"),
            Some(ClaimKind::Number),
            "a custom number is not a time"
        );
    }

    #[test]
    fn roles_are_found_in_keycloak_and_namespaced_claims_without_duplicates() {
        let merged = merge(
            &map(json!({
                "roles": ["viewer"],
                "realm_access": {"roles": ["developer", "viewer"]},
                "resource_access": {"api": {"roles": ["api-admin"]}},
                "https://example.com/roles": "auditor"
            })),
            None,
        );
        assert_eq!(
            roles(&merged),
            ["viewer", "auditor", "developer", "api-admin"],
            "every role source, each role once"
        );
    }

    #[test]
    fn display_name_prefers_name_then_username_then_email_then_subject() {
        let merged = merge(&map(json!({"sub": "u1", "email": "a@b"})), None);
        assert_eq!(
            display_name(&merged).as_deref(),
            Some("a@b"),
            "no name: the email"
        );
        let merged = merge(&map(json!({"sub": "u1"})), None);
        assert_eq!(
            display_name(&merged).as_deref(),
            Some("u1"),
            "only the subject is left"
        );
    }

    #[test]
    fn registered_claims_are_explained_and_custom_ones_are_not() {
        assert_eq!(
            explain("azp").map(|e| e.0),
            Some("Authorized party"),
            "azp is registered"
        );
        assert!(
            explain("favourite_colour").is_none(),
            "custom claims have no label"
        );
    }

    #[test]
    fn every_member_of_an_access_token_or_introspection_answer_is_explained() {
        let explained = explain_all(&map(json!({
            "active": true, "scope": "openid api", "client_id": "app",
            "exp": 1_900_000_000, "cnf": {"jkt": "x"}, "custom": 1
        })));
        let find = |n: &str| explained.iter().find(|c| c.name == n).expect(n);
        assert_eq!(
            find("active").label,
            Some("Active"),
            "RFC 7662 active is explained"
        );
        assert_eq!(
            find("cnf").label,
            Some("Confirmation"),
            "RFC 7800 cnf is explained"
        );
        assert_eq!(find("exp").kind, ClaimKind::Time, "exp is shown as a time");
        assert!(
            find("custom").label.is_none(),
            "custom members stay unlabelled"
        );
        assert_eq!(explained.len(), 6, "nothing is dropped: {explained:?}");
    }

    #[test]
    fn a_diff_reports_changed_added_and_removed_values_but_not_reordered_lists() {
        let before = map(json!({
            "exp": 100, "roles": ["a", "b"], "scope": ["openid", "api"], "sid": "s1", "aud": ["x", "y"]
        }));
        let after = map(json!({
            "exp": 200, "roles": ["b", "a", "admin"], "scope": ["openid", "api"], "aud": ["y", "x"],
            "access_token.exp": 300
        }));
        let changes = diff(&before, &after);
        let kind = |n: &str| changes.iter().find(|c| c.name == n).map(|c| c.kind);
        assert_eq!(
            kind("exp"),
            Some(ChangeKind::Changed),
            "a new expiry is a change"
        );
        assert_eq!(
            kind("roles"),
            Some(ChangeKind::Changed),
            "a role was granted"
        );
        assert_eq!(kind("sid"), Some(ChangeKind::Removed), "sid disappeared");
        assert_eq!(
            kind("access_token.exp"),
            Some(ChangeKind::Added),
            "a new value is added"
        );
        assert_eq!(kind("scope"), None, "an unchanged scope is not listed");
        assert_eq!(
            kind("aud"),
            None,
            "the same audiences in another order are not a change"
        );
        let exp = changes
            .iter()
            .find(|c| c.name == "access_token.exp")
            .expect("listed");
        assert_eq!(
            exp.value_kind,
            ClaimKind::Time,
            "a prefixed exp is still a time"
        );
        assert_eq!(exp.label, Some("Expires"), "and still explained");
    }
}
