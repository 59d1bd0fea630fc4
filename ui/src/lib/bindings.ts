// Generated from src-tauri/src/dto.rs and error.rs by `cargo test -p tessera-desktop`
// (TESSERA_UPDATE_BINDINGS=1 rewrites it). Do not edit by hand.

export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type ErrorCode = "cancelled" | "busy" | "not_signed_in" | "session_expired" | "redirect_uri_rejected" | "client_rejected" | "state_mismatch" | "validation_failed" | "timed_out" | "network" | "discovery_failed" | "keyring_locked" | "keyring_unavailable" | "invalid_profile";

export type IpcError = { 
/**
 * Set where the UI branches.
 */
code: ErrorCode | null, 
/**
 * One line: what failed and what to do.
 */
message: string, };

export type ProfileSummary = { name: string, issuer: string, client_id: string, signed_in: boolean, user: string | null, expires_at: number | null, };

export type Overview = { profiles: Array<ProfileSummary>, active: string | null, };

export type RedirectForm = { "type": "loopback", port: number, path: string, } | { "type": "custom_scheme", uri: string, };

export type ClientAuth = "client_secret_basic" | "client_secret_post";

export type ProfileForm = { name: string, issuer: string, client_id: string, client_secret: string | null, has_client_secret: boolean, clear_client_secret: boolean, client_auth: ClientAuth, scopes: Array<string>, redirect: RedirectForm, prompt: string | null, max_age: number | null, acr_values: string | null, login_hint: string | null, ui_locales: string | null, audience: string | null, resource: Array<string>, allow_insecure_http: boolean, post_logout_redirect_uri: string | null, preset: string | null, };

export type PresetField = { key: string, label: string, placeholder: string, default: string, help: string, };

export type Preset = { id: string, name: string, issuer_template: string, fields: Array<PresetField>, client_id: string, scopes: Array<string>, redirect: RedirectForm, needs_client_secret: boolean, notes: Array<string>, };

export type CapabilityStatus = "supported" | "missing" | "risky";

export type Capability = { id: string, label: string, status: CapabilityStatus, detail: string, };

export type ProviderReport = { issuer: string, discovery_url: string, capabilities: Array<Capability>, metadata: JsonValue, };

export type ClaimSource = "id_token" | "userinfo" | "both";

export type ClaimKind = "text" | "time" | "url" | "email" | "bool" | "list" | "object" | "number";

export type ClaimView = { name: string, label: string | null, description: string | null, value: JsonValue, kind: ClaimKind, source: ClaimSource, differs: boolean, };

export type SessionView = { profile: string, issuer: string, subject: string, display_name: string, email: string | null, has_picture: boolean, roles: Array<string>, groups: Array<string>, claims: Array<ClaimView>, id_token_claims: JsonValue, userinfo: JsonValue | null, scopes: Array<string>, token_type: string, expires_at: number | null, refresh_at: number | null, has_refresh_token: boolean, obtained_at: number, signed_in_at: number, };

export type SignOutMode = "local" | "revoke" | "end_session";

export type SignInPhase = { "type": "waiting", url: string, redirect_uri: string, deadline: number, browser_error: string | null, } | { "type": "exchanging" } | { "type": "signed_in", user: string, } | { "type": "failed", error: IpcError, };

export type SignInEvent = { profile: string, phase: SignInPhase, };

export type RefreshFailed = { profile: string, error: IpcError, };
