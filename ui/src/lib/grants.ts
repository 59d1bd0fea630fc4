// How a profile gets its tokens and how its client proves who it is: the
// profile editor's choices, what each one means, and which fields each one
// needs. Rust decides what is valid; this only decides what to show.
import type { AssertionAudience, ClientAuth, Grant, KeyAlg, Preset } from './types';

export const GRANTS: { value: Grant; label: string; detail: string }[] = [
  {
    value: 'authorization_code',
    label: 'Authorization code (browser)',
    detail: 'You sign in in your browser, which returns to Tessera (with PKCE). The usual choice.',
  },
  {
    value: 'device_code',
    label: 'Device code',
    detail: 'Tessera shows a code and a link; you sign in on any device, such as your phone (RFC 8628).',
  },
  {
    value: 'client_credentials',
    label: 'Client credentials',
    detail: "The client's own token, for a service: no user and no browser, no ID token.",
  },
];

/** Every client authentication method, as the editor offers them. */
export const CLIENT_AUTHS: { value: ClientAuth; label: string; detail: string }[] = [
  { value: 'none', label: 'None (public client)', detail: 'Only the client id is sent; PKCE protects the code.' },
  { value: 'client_secret_basic', label: 'Secret in Basic header', detail: 'client_secret_basic: the id and secret in an HTTP Basic header.' },
  { value: 'client_secret_post', label: 'Secret in form body', detail: 'client_secret_post: the id and secret as form fields.' },
  {
    value: 'client_secret_jwt',
    label: 'client_secret_jwt',
    detail: 'A short-lived assertion signed with the client secret (HS256); the secret itself is never sent.',
  },
  {
    value: 'private_key_jwt',
    label: 'private_key_jwt',
    detail: "An assertion signed with the client's own key, kept in the OS keyring; the provider holds only the public key.",
  },
  {
    value: 'tls_client_auth',
    label: 'Mutual TLS (CA certificate)',
    detail: 'tls_client_auth: the client presents a certificate from a CA the provider trusts (RFC 8705); its tokens are bound to it.',
  },
  {
    value: 'self_signed_tls_client_auth',
    label: 'Mutual TLS (self-signed certificate)',
    detail: 'self_signed_tls_client_auth: the client presents a self-signed certificate registered with the provider (RFC 8705).',
  },
];

/** The methods that authenticate the client with its TLS certificate (RFC 8705). */
export const isMutualTls = (auth: ClientAuth) => auth === 'tls_client_auth' || auth === 'self_signed_tls_client_auth';

export const ASSERTION_AUDIENCES: { value: AssertionAudience; label: string; detail: string }[] = [
  {
    value: 'issuer',
    label: 'Issuer',
    detail: 'The default, and what the update to RFC 7523 and FAPI 2.0 ask for.',
  },
  {
    value: 'token_endpoint',
    label: 'Token endpoint URL',
    detail: 'For older providers that expect the URL the assertion is sent to.',
  },
];

/** ES256 first: the default, short keys and FAPI's choice. */
export const KEY_ALGS: { value: KeyAlg; label: string }[] = [
  { value: 'ES256', label: 'ES256 (ECDSA P-256)' },
  { value: 'RS256', label: 'RS256 (RSA 2048)' },
  { value: 'PS256', label: 'PS256 (RSA-PSS 2048)' },
  { value: 'EdDSA', label: 'EdDSA (Ed25519)' },
  { value: 'Ed25519', label: 'Ed25519 (the RFC 9864 name)' },
];
export const DEFAULT_KEY_ALG: KeyAlg = 'ES256';

/**
 * What the editor's key section is for: a signing key (generated or
 * imported) for private_key_jwt, or a certificate imported with its private
 * key for mutual TLS.
 */
export type KeyMode = 'signing' | 'certificate';

/** Which parts of the editor a grant and client authentication method need. */
export type EditorFields = {
  /** Redirect URI: only a browser sign-in comes back to one. */
  redirect: boolean;
  /** prompt, max_age, acr_values, login_hint, ui_locales, post-logout redirect: a user signs in. */
  userParameters: boolean;
  /** The client secret field. */
  secret: boolean;
  /** The assertion's audience (issuer or token endpoint). */
  assertionAudience: boolean;
  /** The key section and what it holds, or null when the method uses no key. */
  key: KeyMode | null;
};

const SECRET_METHODS: ClientAuth[] = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'];
const ASSERTION_METHODS: ClientAuth[] = ['client_secret_jwt', 'private_key_jwt'];

export function editorFields(grant: Grant, auth: ClientAuth): EditorFields {
  return {
    redirect: grant === 'authorization_code',
    userParameters: grant !== 'client_credentials',
    secret: SECRET_METHODS.includes(auth),
    assertionAudience: ASSERTION_METHODS.includes(auth),
    key: auth === 'private_key_jwt' ? 'signing' : isMutualTls(auth) ? 'certificate' : null,
  };
}

/** Whether the method needs a client secret to work at all (Basic and post without one are a public client). */
export const needsSecret = (auth: ClientAuth) => auth === 'client_secret_jwt';

/** The scopes of a signed-in user, which mean nothing to a service's own token. */
const USER_SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);
const DEFAULT_USER_SCOPES = 'openid profile email';

/**
 * The scopes text after the grant changes. A service's scopes are sent
 * exactly as given (no `openid` is added), so a user's scopes become none:
 * those the form suggested and the user left as they were (a new profile's
 * defaults or its preset's), or only OpenID Connect's user scopes. Back to a
 * user grant, no scopes become the usual ones. Anything else the user typed
 * is kept.
 */
export function scopesForGrant(text: string, from: Grant, to: Grant, suggested: string | null = null): string {
  const service = (g: Grant) => g === 'client_credentials';
  const scopes = text.split(/\s+/).filter(Boolean);
  const untouched = suggested !== null && scopes.join(' ') === suggested.split(/\s+/).filter(Boolean).join(' ');
  if (service(to) && !service(from) && (untouched || scopes.every((s) => USER_SCOPES.has(s)))) return '';
  if (!service(to) && service(from) && !scopes.length) return suggested?.trim() || DEFAULT_USER_SCOPES;
  return text;
}

/** A warning about a combination that saves but will not work well, or null. */
export function authWarning(grant: Grant, auth: ClientAuth): string | null {
  if (grant === 'client_credentials' && auth === 'none')
    return 'A service must authenticate itself: providers refuse client credentials from a public client. Choose a secret or a key.';
  return null;
}

/** A note when the chosen preset's provider does not offer the chosen grant, or null. */
export function presetGrantNote(preset: Pick<Preset, 'name' | 'grants'> | undefined, grant: Grant): string | null {
  if (!preset || preset.grants.includes(grant)) return null;
  const label = GRANTS.find((g) => g.value === grant)?.label ?? grant;
  const offered = preset.grants.map((g) => GRANTS.find((x) => x.value === g)?.label ?? g).join(', ');
  return `${preset.name} does not offer ${label}; it offers ${offered}.`;
}
