// Generated from src-tauri/src/dto/ and error.rs by `cargo test -p tessera-desktop`
// (TESSERA_UPDATE_BINDINGS=1 rewrites it). Do not edit by hand.

export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type ErrorCode = "cancelled" | "busy" | "not_signed_in" | "session_expired" | "redirect_uri_rejected" | "client_rejected" | "state_mismatch" | "validation_failed" | "timed_out" | "code_expired" | "denied" | "network" | "discovery_failed" | "keyring_locked" | "keyring_unavailable" | "invalid_profile" | "profile_exists";

export type IpcError = { 
/**
 * Set where the UI branches.
 */
code: ErrorCode | null, 
/**
 * One line: what failed and what to do.
 */
message: string, 
/**
 * The redirect URI the provider refused: the exact one to register.
 */
redirect_uri: string | null, 
/**
 * The client id the provider refused.
 */
client_id: string | null, 
/**
 * The profile the error is about, when there is one.
 */
profile: string | null, 
/**
 * The provider or API endpoint that failed, e.g. "token endpoint".
 */
endpoint: string | null, };

export type ProfileSummary = { name: string, issuer: string, client_id: string, grant: Grant, signed_in: boolean, user: string | null, expires_at: number | null, 
/**
 * Why the stored session cannot be read (damaged), if it cannot.
 */
problem: string | null, 
/**
 * Error-level findings of the provider's last conformance check, when it ran lately.
 */
conformance_errors: number | null, 
/**
 * The client was registered by Tessera (RFC 7591): removing the
 * profile can delete the registration.
 */
registered_client: boolean, };

export type Overview = { profiles: Array<ProfileSummary>, active: string | null, };

export type RedirectForm = { "type": "loopback", port: number, path: string, } | { "type": "custom_scheme", uri: string, };

export type ClientAuth = "none" | "client_secret_basic" | "client_secret_post" | "client_secret_jwt" | "private_key_jwt" | "tls_client_auth" | "self_signed_tls_client_auth";

export type Grant = "authorization_code" | "device_code" | "client_credentials";

export type ResponseMode = "query" | "jwt";

export type AssertionAudience = "issuer" | "token_endpoint";

export type KeyAlg = "ES256" | "RS256" | "PS256" | "EdDSA" | "Ed25519";

export type ClientKeyView = { alg: KeyAlg, 
/**
 * The RFC 7638 thumbprint, also the `kid`.
 */
kid: string, x5t_s256: string | null, 
/**
 * The public JWK Set as JSON text, to register with the provider; empty
 * when only the profile file's facts were read.
 */
public_jwks: string, };

export type ProfileForm = { name: string, issuer: string, client_id: string, client_secret: string | null, has_client_secret: boolean, clear_client_secret: boolean, client_auth: ClientAuth, grant: Grant, assertion_audience: AssertionAudience, 
/**
 * Read-only: the key in the keyring, made or imported with the key commands.
 */
client_key: ClientKeyView | null, 
/**
 * Push the authorization request first (PAR).
 */
par: boolean, 
/**
 * Bind tokens with DPoP.
 */
dpop: boolean, 
/**
 * The DPoP key's algorithm; ES256 when absent.
 */
dpop_alg: KeyAlg | null, 
/**
 * Send the request as a signed request object (JAR).
 */
request_object: boolean, 
/**
 * How the authorization response comes back (`jwt`: JARM).
 */
response_mode: ResponseMode, scopes: Array<string>, redirect: RedirectForm, prompt: string | null, max_age: number | null, acr_values: string | null, login_hint: string | null, ui_locales: string | null, audience: string | null, resource: Array<string>, allow_insecure_http: boolean, post_logout_redirect_uri: string | null, preset: string | null, };

export type PresetField = { key: string, label: string, placeholder: string, default: string, help: string, };

export type Preset = { id: string, name: string, issuer_template: string, fields: Array<PresetField>, client_id: string, scopes: Array<string>, redirect: RedirectForm, needs_client_secret: boolean, 
/**
 * The grants the provider offers.
 */
grants: Array<Grant>, 
/**
 * The client authentication a new profile starts with, when not the usual.
 */
client_auth: ClientAuth | null, 
/**
 * Whether a new profile pushes its authorization requests.
 */
par: boolean, 
/**
 * Whether a new profile binds its tokens with DPoP.
 */
dpop: boolean, notes: Array<string>, };

export type CapabilityStatus = "supported" | "missing" | "risky";

export type Capability = { id: string, label: string, status: CapabilityStatus, detail: string, };

export type ProviderReport = { issuer: string, discovery_url: string, capabilities: Array<Capability>, metadata: JsonValue, };

export type ClaimSource = "id_token" | "userinfo" | "both";

export type ClaimKind = "text" | "time" | "url" | "email" | "bool" | "number" | "list" | "object";

export type ClaimView = { name: string, label: string | null, description: string | null, value: JsonValue, kind: ClaimKind, source: ClaimSource, differs: boolean, };

export type SessionView = { profile: string, issuer: string, subject: string, display_name: string, email: string | null, has_picture: boolean, roles: Array<string>, groups: Array<string>, 
/**
 * False for a client credentials session: no user, so no claims card.
 */
has_user: boolean, claims: Array<ClaimView>, id_token_claims: JsonValue, userinfo: JsonValue | null, scopes: Array<string>, token_type: string, expires_at: number | null, refresh_at: number | null, has_refresh_token: boolean, obtained_at: number, signed_in_at: number, };

export type SignOutMode = "local" | "revoke" | "end_session";

export type SignInPhase = { "type": "waiting", url: string, redirect_uri: string, deadline: number, browser_error: string | null, } | { "type": "device", user_code: string, verification_uri: string, verification_uri_complete: string | null, qr: Array<string>, deadline: number, browser_opened: boolean, } | { "type": "exchanging" } | { "type": "signed_in", user: string, } | { "type": "failed", error: IpcError, };

export type SignInEvent = { profile: string, phase: SignInPhase, };

export type RefreshFailed = { profile: string, error: IpcError, };

export type TokenKind = "id" | "access" | "refresh";

export type CheckView = { id: string, name: string, passed: boolean, 
/**
 * Passed, but worth a look (a SHOULD of the spec, e.g. an `acr` other than requested).
 */
warning: boolean, detail: string, expected: string | null, found: string | null, };

export type SignatureView = { verified: boolean, alg: string, kid: string | null, 
/**
 * "RSA 2048", "EC P-256": the key that verified it.
 */
key: string | null, detail: string, };

export type JwtView = { header: JsonValue, payload: JsonValue, 
/**
 * Every claim, with a label and explanation for registered ones.
 */
claims: Array<ClaimView>, 
/**
 * `None` when only decoded, not verified.
 */
signature: SignatureView | null, 
/**
 * Every check made; empty when only decoded.
 */
checks: Array<CheckView>, 
/**
 * Whether every check passed (false when nothing was checked).
 */
valid: boolean, 
/**
 * What the checks were made against, e.g. "profile local's JWKS".
 */
checked_against: string | null, };

export type TokenFormatView = { "type": "jwt", jwt: JwtView, } | { "type": "opaque", length: number, };

export type TokenView = { kind: TokenKind, format: TokenFormatView, expires_at: number | null, issued_at: number | null, 
/**
 * The first 12 hex digits of the token's SHA-256: tells tokens apart
 * without showing them.
 */
fingerprint: string, 
/**
 * The provider has an introspection endpoint for this token.
 */
introspectable: boolean, 
/**
 * The provider has a revocation endpoint for this token.
 */
revocable: boolean, };

export type InspectionView = { profile: string, issuer: string, client_id: string, token_type: string, scopes: Array<string>, obtained_at: number, signed_in_at: number, refresh_at: number | null, 
/**
 * ID token first, then access, then refresh; absent tokens are left out.
 */
tokens: Array<TokenView>, 
/**
 * Why the keys could not be fetched, when signatures went unchecked.
 */
keys_error: string | null, };

export type IntrospectionView = { kind: TokenKind, active: boolean, 
/**
 * Every member, explained (scope, exp, client_id, sub…).
 */
fields: Array<ClaimView>, raw: JsonValue, 
/**
 * The answer's `cnf` against the profile's DPoP key or certificate.
 */
binding: Array<CheckView>, };

export type HistoryEntryView = { id: number, at: number, 
/**
 * "Signed in", "Refreshed", "Refreshed (refresh token rotated)", "Seen at start".
 */
label: string, expires_at: number | null, scopes: Array<string>, 
/**
 * How many values differ from the entry before.
 */
changes: number, };

export type ChangeKind = "added" | "removed" | "changed";

export type ClaimChangeView = { 
/**
 * `exp`, `scope`, `roles`, or `access_token.exp` for the access token's.
 */
name: string, label: string | null, kind: ChangeKind, value_kind: ClaimKind, before: JsonValue, after: JsonValue, };

export type KeySource = { "type": "profile", name: string, expect_client_audience: boolean, } | { "type": "jwks", text: string, };

export type JwkView = { kid: string | null, kty: string, alg: string | null, use: string | null, 
/**
 * "2048 bits" for RSA, the curve for EC and OKP.
 */
size: string, };

export type ProviderView = { report: ProviderReport, jwks_uri: string | null, keys: Array<JwkView>, 
/**
 * Keys in the JWKS Tessera cannot use (unknown type), by kid.
 */
skipped_keys: number, keys_error: string | null, };

export type HeaderView = { name: string, value: string, };

export type HttpLogSummary = { id: number, 
/**
 * Unix milliseconds.
 */
at_ms: number, 
/**
 * "discovery document", "token endpoint", "API"…
 */
endpoint: string, method: string, 
/**
 * Query values of secret parameters are redacted.
 */
url: string, status: number | null, 
/**
 * Why no response came (timeout, connection refused).
 */
error: string | null, duration_ms: number, 
/**
 * The operation it was made for.
 */
operation: number | null, };

export type HttpLogDetail = { summary: HttpLogSummary, request_headers: Array<HeaderView>, request_body: string | null, response_headers: Array<HeaderView>, response_body: string | null, 
/**
 * The body was cut to the log's per-entry limit.
 */
response_truncated: boolean, };

export type ExchangeForm = { subject: TokenKind, audiences: Array<string>, resources: Array<string>, scope: string | null, requested_token_type: string | null, actor_profile: string | null, };

export type OperationKind = "sign_in" | "refresh" | "sign_out" | "revoke" | "introspect" | "exchange" | "api_call" | "discovery" | "inspect";

export type Outcome = "running" | "ok" | "failed";

export type StepKind = "browser_opened" | "redirect_received" | "device_code_shown" | "device_approved";

export type OperationStepView = { at_ms: number, kind: StepKind, detail: string, };

export type OperationView = { id: number, kind: OperationKind, profile: string | null, started_at_ms: number, finished_at_ms: number | null, outcome: Outcome, error: string | null, steps: Array<OperationStepView>, };

export type ExchangeView = { id: number, profile: string, issued_token_type: string | null, token_type: string, expires_in: number | null, scope: string | null, 
/**
 * The decoded token, when it is a JWT.
 */
jwt: JwtView | null, 
/**
 * Why it could not be checked, when it is a JWT that failed to verify
 * against anything (an opaque token has no `jwt` and no error).
 */
check_error: string | null, 
/**
 * When it was issued, Unix seconds.
 */
obtained_at: number, };

export type KeyValue = { name: string, value: string, enabled: boolean, };

export type BodyKind = "none" | "json" | "form" | "raw";

export type ApiRequestForm = { method: string, url: string, query: Array<KeyValue>, headers: Array<KeyValue>, body_kind: BodyKind, 
/**
 * The JSON or raw text body.
 */
body: string, 
/**
 * Form fields when `body_kind` is `form`.
 */
form: Array<KeyValue>, 
/**
 * Content type of a raw body; `text/plain` when empty.
 */
content_type: string, };

export type ChallengeView = { scheme: string, realm: string | null, 
/**
 * `invalid_token`, `insufficient_scope`, `invalid_request`.
 */
error: string | null, error_description: string | null, scope: string | null, 
/**
 * What the error means and what to do, for known errors.
 */
advice: string | null, 
/**
 * RFC 9728 §5.1: where the API's protected resource metadata is; the
 * panel then offers to set up sign-in for this API.
 */
resource_metadata: string | null, };

export type ApiResponseView = { 
/**
 * Keys `api_save_response`.
 */
id: number, status: number, status_text: string, duration_ms: number, 
/**
 * Bytes of the whole body.
 */
size: number, headers: Array<HeaderView>, 
/**
 * Pretty-printed when JSON; cut at the view limit when large.
 */
body: string, is_json: boolean, truncated: boolean, 
/**
 * The URL as sent, query included.
 */
url: string, 
/**
 * The access token was refreshed before sending.
 */
refreshed: boolean, 
/**
 * Parsed `WWW-Authenticate` on a 401 or 403.
 */
challenge: ChallengeView | null, 
/**
 * A 401 that a refresh might fix: the panel offers one retry.
 */
retry_after_refresh: boolean, };

export type SavedRequest = { name: string, request: ApiRequestForm, };

export type ServerView = { issuer: string, metadata_url: string | null, 
/**
 * Metadata found, issuer matching, PKCE S256.
 */
usable: boolean, pkce_s256: boolean, dynamic_registration: boolean, client_id_metadata_document: boolean, pre_registered_only: boolean, grants: Array<string>, 
/**
 * Why it is not usable.
 */
problem: string | null, };

export type ResourceDiscoveryView = { url: string, resource: string | null, resource_metadata_url: string | null, resource_name: string | null, scopes: Array<string>, bearer_methods: Array<string>, dpop_required: boolean, authorization_servers: Array<ServerView>, checks: Array<CheckView>, 
/**
 * How to sign in, or which step is missing.
 */
way_forward: string, 
/**
 * At least one server is usable.
 */
usable: boolean, 
/**
 * The name the profile gets when none is typed (the engine's rule).
 */
default_profile_name: string | null, };

export type ClientChoiceForm = { "kind": "given", client_id: string, } | { "kind": "register" };

export type ResourceSetUpView = { overview: Overview, profile: string, resource: string, client_id: string, 
/**
 * Tessera registered the client now.
 */
registered: boolean, 
/**
 * A profile made for this server and resource before was reused.
 */
reused: boolean, discovery: ResourceDiscoveryView, };

export type FindingLevel = "note" | "warning" | "error";

export type FindingView = { id: string, level: FindingLevel, message: string, 
/**
 * The specification and section.
 */
reference: string, };

export type ConformanceView = { issuer: string | null, findings: Array<FindingView>, };
