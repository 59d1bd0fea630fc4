// A stand-in for Tessera's Rust shell, for Vitest and for `npm run dev:mock`
// (layout work without the desktop app). The app itself never imports this:
// it always talks to Rust through src/lib/ipc.ts. The production build has no
// trace of it (vite.config.ts aliases it in only in mock mode).
import type { Commands } from '../lib/commands';
import type { Events } from '../lib/ipc';
import type {
  ApiRequestForm,
  ApiResponseView,
  CapabilityStatus,
  ClaimView,
  ClientAuth,
  ClientKeyView,
  ExchangeForm,
  ExchangeView,
  Grant,
  HeaderView,
  HistoryEntryView,
  HttpLogDetail,
  HttpLogSummary,
  IpcError,
  JsonValue,
  JwtView,
  KeyAlg,
  OperationKind,
  OperationView,
  Overview,
  Preset,
  ProfileForm,
  ProfileSummary,
  ProviderReport,
  SavedRequest,
  SessionView,
  SignInPhase,
  StepKind,
  TokenKind,
  TokenView,
} from '../lib/types';
import { isMutualTls } from '../lib/grants';
import { conformanceFindings, discoverResource, notUsable } from './resource';
import { check, credentialIn, ipcError, curlCommand, decodeJwt, demoApi, diffSnapshots, explainAll, fingerprint, KEYS, makeJwt, requestUrl, verifyWith } from './tools';

type Args<K extends keyof Commands> = Commands[K][0];
type Result<K extends keyof Commands> = Commands[K][1];
type Handlers = { [K in keyof Commands]: (args: Args<K>) => Result<K> | Promise<Result<K>> };
type Listener = (event: { event: string; id: number; payload: unknown }) => void;

/**
 * How a sign-in started through `sign_in` ends. A failure with `token` got as
 * far as the token endpoint, which refused the code with that OAuth error.
 */
export type SignInScript =
  | { type: 'succeed'; afterMs: number }
  | { type: 'fail'; error: IpcError; token?: { error: string; description: string }; afterMs?: number }
  | { type: 'hang' };

const now = () => Math.floor(Date.now() / 1000);

const loopback = { type: 'loopback', port: 0, path: '/callback' } as const;

/** What most presets start a profile with: the usual client authentication, no PAR, no DPoP. */
const USUAL_SECURITY = { client_auth: null, par: false, dpop: false } as const;

export const PRESETS: Preset[] = [
  {
    id: 'local',
    name: 'Local provider (./dev/demo)',
    issuer_template: '{issuer}',
    fields: [{ key: 'issuer', label: 'Issuer', placeholder: 'http://127.0.0.1:9090', default: 'http://127.0.0.1:9090', help: 'The local provider started by ./dev/demo' }],
    client_id: 'tessera',
    scopes: ['openid', 'profile', 'email', 'offline_access', 'roles', 'groups'],
    redirect: loopback,
    needs_client_secret: false,
    grants: ['authorization_code', 'device_code', 'client_credentials'],
    ...USUAL_SECURITY,
    notes: ['Sign in as demo / demo. The demo API is at {issuer}/api/me.'],
  },
  {
    id: 'keycloak',
    name: 'Keycloak',
    issuer_template: '{base_url}/realms/{realm}',
    fields: [
      { key: 'base_url', label: 'Server URL', placeholder: 'https://keycloak.example.com', default: '', help: 'Without /auth on Keycloak 17 and later' },
      { key: 'realm', label: 'Realm', placeholder: 'myrealm', default: '', help: 'The realm name as shown in the admin console' },
    ],
    client_id: '',
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    redirect: loopback,
    needs_client_secret: false,
    grants: ['authorization_code', 'device_code', 'client_credentials'],
    ...USUAL_SECURITY,
    notes: ['Register http://127.0.0.1/* as a valid redirect URI, or the exact URI with a fixed port.'],
  },
  {
    id: 'fapi2',
    name: 'FAPI 2.0 provider (open banking, health)',
    issuer_template: '{issuer}',
    fields: [
      {
        key: 'issuer',
        label: 'Issuer',
        placeholder: 'https://as.bank.example',
        default: '',
        help: "The authorization server's issuer; the local provider's FAPI mode runs with --fapi",
      },
    ],
    client_id: '',
    scopes: ['openid'],
    redirect: loopback,
    needs_client_secret: false,
    grants: ['authorization_code'],
    client_auth: 'private_key_jwt',
    par: true,
    dpop: true,
    notes: [
      'FAPI 2.0 wants PAR, PKCE S256, sender-constrained tokens (DPoP here; mTLS works too) and private_key_jwt or mTLS: this preset turns them on.',
      'Generate a client key, register its public JWK Set with the provider, then enter the client id it gives you.',
    ],
  },
  {
    id: 'generic',
    name: 'Other OpenID provider',
    issuer_template: '{issuer}',
    fields: [{ key: 'issuer', label: 'Issuer', placeholder: 'https://id.example.com', default: '', help: 'Or import it from a discovery URL' }],
    client_id: '',
    scopes: ['openid', 'profile', 'email'],
    redirect: loopback,
    needs_client_secret: false,
    grants: ['authorization_code', 'device_code', 'client_credentials'],
    ...USUAL_SECURITY,
    notes: [],
  },
];

function claim(name: string, label: string | null, value: ClaimView['value'], kind: ClaimView['kind'], source: ClaimView['source'], differs = false): ClaimView {
  return { name, label, description: null, value, kind, source, differs };
}

/** A signed-in demo session for `profile`. */
export function demoSession(profile: string, issuer: string, tokenType = 'Bearer'): SessionView {
  const t = now();
  const idToken = {
    iss: issuer,
    sub: 'demo-user-0001',
    aud: 'tessera',
    exp: t + 252,
    iat: t - 48,
    auth_time: t - 50,
    name: 'Dana Demo',
    email: 'demo@example.com',
    roles: ['developer', 'viewer'],
    groups: ['/engineering', '/engineering/platform'],
  };
  const userinfo = {
    sub: 'demo-user-0001',
    name: 'Dana Q. Demo',
    email: 'demo@example.com',
    email_verified: true,
    locale: 'en-GB',
    address: { country: 'NL', locality: 'Utrecht' },
    website: 'https://example.com/~dana',
  };
  return {
    profile,
    issuer,
    subject: 'demo-user-0001',
    display_name: 'Dana Q. Demo',
    email: 'demo@example.com',
    has_picture: true,
    roles: ['developer', 'viewer'],
    groups: ['/engineering', '/engineering/platform'],
    has_user: true,
    claims: [
      claim('name', 'Full name', 'Dana Q. Demo', 'text', 'both', true),
      claim('email', 'Email', 'demo@example.com', 'email', 'both'),
      claim('email_verified', 'Email verified', true, 'bool', 'userinfo'),
      claim('website', 'Website', 'https://example.com/~dana', 'url', 'userinfo'),
      claim('locale', 'Locale', 'en-GB', 'text', 'userinfo'),
      claim('address', 'Address', { country: 'NL', locality: 'Utrecht' }, 'object', 'userinfo'),
      claim('roles', 'Roles', ['developer', 'viewer'], 'list', 'id_token'),
      claim('groups', 'Groups', ['/engineering', '/engineering/platform'], 'list', 'id_token'),
      claim('sub', 'Subject', 'demo-user-0001', 'text', 'both'),
      claim('iss', 'Issuer', issuer, 'url', 'id_token'),
      claim('aud', 'Audience', 'tessera', 'text', 'id_token'),
      claim('exp', 'Expires', t + 252, 'time', 'id_token'),
      claim('iat', 'Issued at', t - 48, 'time', 'id_token'),
      claim('auth_time', 'Authenticated at', t - 50, 'time', 'id_token'),
      claim('x_tenant', null, 'acme', 'text', 'id_token'),
    ],
    id_token_claims: idToken,
    userinfo,
    scopes: ['openid', 'profile', 'email', 'offline_access', 'roles', 'groups'],
    token_type: tokenType,
    expires_at: t + 252,
    refresh_at: t + 192,
    has_refresh_token: true,
    obtained_at: t - 48,
    signed_in_at: t - 48,
  };
}

/** A client credentials session for `profile`: the client's own token, no user, no ID token, no refresh token. */
export function serviceSession(profile: string, issuer: string, clientId: string, scopes: string[], tokenType = 'Bearer'): SessionView {
  const t = now();
  return {
    profile,
    issuer,
    subject: clientId,
    display_name: clientId,
    email: null,
    has_picture: false,
    roles: [],
    groups: [],
    has_user: false,
    claims: [],
    id_token_claims: {},
    userinfo: null,
    scopes: [...scopes],
    token_type: tokenType,
    expires_at: t + 300,
    refresh_at: null,
    has_refresh_token: false,
    obtained_at: t,
    signed_in_at: t,
  };
}

/** The device flow's code and a QR-shaped pattern (finder squares and noise; the mock does not encode the URI). */
export function demoQr(text: string, size = 29): string[] {
  const finder = (x: number, y: number) => {
    const ring = Math.max(Math.abs(x - 3), Math.abs(y - 3));
    return ring !== 2 && ring <= 3;
  };
  let seed = 7;
  for (const c of text) seed = (seed * 31 + c.charCodeAt(0)) >>> 0;
  const rows: string[] = [];
  for (let y = 0; y < size; y++) {
    let row = '';
    for (let x = 0; x < size; x++) {
      const corner = x < 8 && y < 8 ? [x, y] : x >= size - 8 && y < 8 ? [x - (size - 7), y] : x < 8 && y >= size - 8 ? [x, y - (size - 7)] : null;
      if (corner) row += corner[0] >= 0 && corner[0] < 7 && corner[1] >= 0 && corner[1] < 7 && finder(corner[0], corner[1]) ? '1' : '0';
      else if (y === 6 || x === 6) row += (x + y) % 2 ? '0' : '1';
      else {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        row += (seed >>> 16) & 1 ? '1' : '0';
      }
    }
    rows.push(row);
  }
  return rows;
}

const b64u = (bytes: number) =>
  Array.from({ length: Math.ceil((bytes * 4) / 3) }, (_, i) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[(i * 37 + bytes * 11 + Math.floor(Math.random() * 64)) % 64]).join('');

/** A made-up public key of `alg` as a JWK Set, with its kid (the shape Rust shows; no real key). */
function demoKey(alg: KeyAlg, certificate: boolean): ClientKeyView {
  const kid = b64u(32);
  const jwk: Record<string, string> =
    alg === 'ES256'
      ? { kty: 'EC', crv: 'P-256', x: b64u(32), y: b64u(32) }
      : alg === 'RS256' || alg === 'PS256'
        ? { kty: 'RSA', n: b64u(256), e: 'AQAB' }
        : { kty: 'OKP', crv: 'Ed25519', x: b64u(32) };
  const x5t = certificate ? b64u(32) : null;
  const key = { ...jwk, kid, use: 'sig', alg, ...(x5t ? { 'x5t#S256': x5t } : {}) };
  return { alg, kid, x5t_s256: x5t, public_jwks: JSON.stringify({ keys: [key] }, null, 2) };
}

/** A small avatar, as the Rust side hands it over: a data: URL. */
const PICTURE =
  'data:image/svg+xml;base64,' +
  btoa(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#5c7cfa"/><circle cx="32" cy="25" r="12" fill="#e8eaf3"/><rect x="12" y="42" width="40" height="26" rx="13" fill="#e8eaf3"/></svg>',
  );

type Obj = { [key: string]: JsonValue };

const isLocal = (issuer: string) => /^https?:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(issuer);

/** The discovery document of a provider at `issuer`, as the demo provider serves it. */
function discoveryDocument(issuer: string): Obj {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    revocation_endpoint: `${issuer}/revoke`,
    introspection_endpoint: `${issuer}/introspect`,
    end_session_endpoint: `${issuer}/logout`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access', 'roles', 'groups'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'name', 'email', 'email_verified', 'roles', 'groups'],
  };
}

function providerReport(issuer: string): ProviderReport {
  return {
    issuer,
    discovery_url: `${issuer}/.well-known/openid-configuration`,
    capabilities: [
      { id: 'pkce', label: 'PKCE (S256)', status: 'supported', detail: 'code_challenge_methods_supported lists S256' },
      { id: 'refresh', label: 'Refresh tokens', status: 'supported', detail: 'offline_access is a supported scope' },
      { id: 'revocation', label: 'Revocation', status: 'supported', detail: 'revocation_endpoint is advertised' },
      { id: 'introspection', label: 'Introspection', status: 'supported', detail: 'introspection_endpoint is advertised' },
      {
        id: 'end_session',
        label: 'RP-initiated logout',
        status: isLocal(issuer) ? 'supported' : 'risky',
        detail: isLocal(issuer) ? 'end_session_endpoint is advertised' : 'end_session_endpoint is plain http',
      },
    ],
    metadata: discoveryDocument(issuer),
  };
}

/** A profile's security settings (FAPI 2.0), as a test or dev page sets them. */
export type SecurityOptions = Partial<Pick<ProfileForm, 'par' | 'dpop' | 'dpop_alg' | 'request_object' | 'response_mode'>>;

/** The FAPI 2.0 requirement rows for a profile at the local provider's FAPI mode (which offers every one). */
function fapiRows(f: ProfileForm): ProviderReport['capabilities'] {
  const verdict = (used: boolean): CapabilityStatus => (used ? 'supported' : 'risky');
  const keyAuth = f.client_auth === 'private_key_jwt' || isMutualTls(f.client_auth);
  return [
    { id: 'fapi2_par', label: 'FAPI 2.0: pushed authorization requests (5.3.2.2)', status: 'supported', detail: 'the provider requires PAR, as FAPI 2.0 asks' },
    { id: 'fapi2_pkce', label: 'FAPI 2.0: PKCE with S256 (5.3.2.2)', status: 'supported', detail: 'Tessera always sends S256 and never plain' },
    {
      id: 'fapi2_sender_constrained',
      label: 'FAPI 2.0: sender-constrained tokens, DPoP or mTLS (5.3.2.1)',
      status: verdict(f.dpop || isMutualTls(f.client_auth)),
      detail: 'DPoP with PS256, ES256, EdDSA; certificate-bound tokens offered',
    },
    {
      id: 'fapi2_client_auth',
      label: 'FAPI 2.0: private_key_jwt or mTLS client authentication (5.3.2.1)',
      status: verdict(keyAuth),
      detail: 'private_key_jwt, tls_client_auth, self_signed_tls_client_auth',
    },
    { id: 'fapi2_iss', label: 'FAPI 2.0: iss in the authorization response, RFC 9207 (5.3.2.2)', status: 'supported', detail: 'Tessera checks iss whenever the provider sends it' },
  ];
}

export type BackendOptions = {
  profiles?: {
    name: string;
    issuer: string;
    client_id?: string;
    signed_in?: boolean;
    grant?: Grant;
    client_auth?: ClientAuth;
    scopes?: string[];
    security?: SecurityOptions;
  }[];
  active?: string | null;
};

export function createBackend(options: BackendOptions = {}) {
  const listeners = new Map<string, Set<Listener>>();
  const forms = new Map<string, ProfileForm>();
  const sessions = new Map<string, SessionView>();
  const calls: { command: keyof Commands; args: unknown }[] = [];
  const failures = new Map<keyof Commands, IpcError>();
  let active: string | null = options.active ?? null;
  let signInScript: SignInScript = { type: 'succeed', afterMs: 10 };
  let pending: { profile: string; reject: (e: IpcError) => void } | null = null;

  // The inspector's and API panel's state: token strings per session (the
  // mock's stand-in for the keyring), history, the HTTP log, saved requests.
  const tokens = new Map<string, Partial<Record<TokenKind, string>>>();
  /** Client keys by profile name, as the keyring holds them (a key may exist before its profile). */
  const clientKeys = new Map<string, ClientKeyView>();
  /** DPoP keys' thumbprints by profile name, as the keyring holds them: made on first use. */
  const dpopKeys = new Map<string, string>();
  /** Exchanged tokens, kept "in Rust" for copying; the page sees them decoded only. */
  const exchanged = new Map<number, string>();
  /** This run's exchanges, newest first, as Rust keeps them. */
  const exchanges: ExchangeView[] = [];
  let exchangeId = 0;
  const revokedAccess = new Set<string>();
  const histories = new Map<string, { entries: HistoryEntryView[]; snapshots: Map<number, Obj> }>();
  let historyId = 0;
  const log: HttpLogDetail[] = [];
  let logId = 0;
  /** The last 50 operations, oldest first, and the one under way (Rust's task-local): its exchanges and steps are tagged with it. */
  const operations: OperationView[] = [];
  let operationId = 0;
  let current: OperationView | null = null;
  /** The mock's clock in milliseconds: never still, and past the end of the last exchange, so the order of events is the order of their times. */
  let lastMs = 0;
  const stampMs = () => (lastMs = Math.max(Date.now(), lastMs + 1));
  /** An API call refused with invalid_token refreshes and retries once (as the command line does). */
  let retryAfterRefresh = false;
  const saved = new Map<string, SavedRequest[]>();
  const responses = new Set<number>();
  let responseId = 0;
  let keysError: string | null = null;
  /** The profiles whose client Tessera registered (RFC 7591), as the profile file records it. */
  const registered = new Set<string>();
  /** The error count of each issuer's last conformance check, as the engine's cache remembers it. */
  const conformanceErrors = new Map<string, number>();
  let clientNumber = 0;

  const notSignedIn = (profile: string): IpcError => ipcError('not_signed_in', `${profile} is not signed in`, { profile });
  const sessionOf = (profile: string) => {
    const s = sessions.get(profile);
    if (!s) throw notSignedIn(profile);
    return s;
  };

  /** The thumbprint of a DPoP profile's key, made on first use as Rust makes the key. */
  const dpopThumbprint = (name: string) => {
    if (!dpopKeys.has(name)) dpopKeys.set(name, b64u(32));
    return dpopKeys.get(name)!;
  };
  /** The token type a profile's tokens are asked for with. */
  const tokenTypeFor = (f: ProfileForm) => (f.dpop ? 'DPoP' : 'Bearer');
  /** Whether a session's token is DPoP-bound (and the profile still uses DPoP), as Rust decides before sending a proof. */
  const dpopBound = (f: ProfileForm, s: SessionView) => f.dpop && s.token_type.toLowerCase() === 'dpop';

  /** The thumbprint of the certificate a mutual-TLS profile presents, or null. */
  const certificateOf = (f: ProfileForm) => (isMutualTls(f.client_auth) ? (clientKeys.get(f.name)?.x5t_s256 ?? null) : null);

  /** The inspector's row for a certificate-bound access token, as Rust adds it; null for a bearer token. */
  function certificateBinding(claims: Obj, ours: string | null) {
    const cnf = claims.cnf as Obj | undefined;
    const bound = typeof cnf?.['x5t#S256'] === 'string' ? (cnf['x5t#S256'] as string) : null;
    if (!bound) return null;
    if (ours === bound)
      return check('cnf_x5t', 'Certificate binding', true, "bound to the profile's client certificate (cnf x5t#S256 matches): present it with the token");
    return ours
      ? check('cnf_x5t', 'Certificate binding', false, "bound to another certificate than the profile's: APIs will refuse it with this profile's certificate", ours, bound)
      : check('cnf_x5t', 'Certificate binding', false, 'bound to a client certificate, but the profile has none to present: APIs will refuse it', '(no certificate)', bound);
  }

  /** The inspector's row for the access token of a DPoP session, as Rust adds it (its token type is DPoP already). */
  function dpopBinding(claims: Obj, thumbprint: string) {
    const jkt = typeof (claims.cnf as Obj | undefined)?.jkt === 'string' ? ((claims.cnf as Obj).jkt as string) : null;
    if (jkt === null) return check('dpop_binding', 'DPoP binding', true, 'token_type DPoP (the token is opaque: its binding is the provider\'s to check)');
    return jkt === thumbprint
      ? check('dpop_binding', 'DPoP binding', true, "token_type DPoP, and cnf.jkt is the profile key's thumbprint")
      : check('dpop_binding', 'DPoP binding', false, "the access token is bound to another key than the profile's", thumbprint, jkt);
  }

  /** Makes the tokens of a new session and records it in the history. */
  function issue(profile: string, s: SessionView, label: string) {
    const f = forms.get(profile)!;
    // The ID token is for the profile's client, as a provider issues it.
    const claims = s.has_user ? { ...(s.id_token_claims as Obj), aud: f.client_id } : (s.id_token_claims as Obj);
    const jti = Math.random().toString(36).slice(2, 12);
    // A mutual-TLS client's tokens are bound to its certificate (RFC 8705 §3),
    // a DPoP profile's to its DPoP key (RFC 9449 §6).
    const bound = certificateOf(f);
    const jkt = dpopBound(f, s) ? dpopThumbprint(profile) : null;
    const access = isLocal(f.issuer)
      ? makeJwt(
          { alg: 'RS256', kid: 'demo-rsa-1', typ: 'at+jwt' },
          {
            iss: f.issuer,
            sub: s.subject,
            aud: 'demo-api',
            client_id: f.client_id,
            scope: s.scopes.join(' '),
            roles: s.roles,
            exp: s.expires_at,
            iat: s.obtained_at,
            jti,
            ...(bound || jkt ? { cnf: { ...(bound ? { 'x5t#S256': bound } : {}), ...(jkt ? { jkt } : {}) } } : {}),
          },
        )
      : `mock.${jti}.${'x'.repeat(1420)}`;
    if (s.has_user) {
      const id = makeJwt({ alg: 'RS256', kid: 'demo-rsa-1', typ: 'JWT' }, { ...claims, nonce: 'n-0qK3v', at_hash: 'x4Z9sQf1cY2bK0pW7rLm3A', sid: 'sess-41c2' });
      tokens.set(profile, { id, access, refresh: `rt-${jti}-${'r'.repeat(50)}` });
    } else tokens.set(profile, { access });
    revokedAccess.delete(profile);
    const h = histories.get(profile) ?? { entries: [] as HistoryEntryView[], snapshots: new Map<number, Obj>() };
    histories.set(profile, h);
    const snapshot: Obj = { ...claims, scope: s.scopes.join(' '), 'access_token.exp': s.expires_at };
    const last = h.entries[h.entries.length - 1];
    const entry: HistoryEntryView = {
      id: ++historyId,
      at: now(),
      label,
      expires_at: s.expires_at,
      scopes: [...s.scopes],
      changes: last ? diffSnapshots(h.snapshots.get(last.id)!, snapshot).length : 0,
    };
    h.entries.push(entry);
    h.snapshots.set(entry.id, snapshot);
    if (h.entries.length > 50) h.snapshots.delete(h.entries.shift()!.id);
  }

  /** Adds an exchange to the HTTP log and sends it as an event, as Rust does. */
  function record(
    endpoint: string,
    method: string,
    url: string,
    status: number | null,
    exchange: { requestHeaders?: HeaderView[]; requestBody?: string | null; responseHeaders?: HeaderView[]; responseBody?: string | null; error?: string } = {},
  ) {
    const summary: HttpLogSummary = {
      id: ++logId,
      at_ms: stampMs(),
      endpoint,
      method,
      url,
      status,
      error: exchange.error ?? null,
      duration_ms: Math.round((8 + Math.random() * 60) * 10) / 10,
      operation: current?.id ?? null,
    };
    lastMs = summary.at_ms + Math.ceil(summary.duration_ms);
    const body = exchange.responseBody ?? null;
    log.push({
      summary,
      request_headers: exchange.requestHeaders ?? [{ name: 'accept', value: 'application/json' }, { name: 'user-agent', value: 'tessera/0.1.0' }],
      request_body: exchange.requestBody ?? null,
      response_headers: exchange.responseHeaders ?? (status === null ? [] : [{ name: 'content-type', value: 'application/json' }]),
      response_body: body && body.length > 16384 ? body.slice(0, 16384) : body,
      response_truncated: !!body && body.length > 16384,
    });
    if (log.length > 200) log.shift();
    emit('http-log', summary);
  }

  const formHeaders = (h: HeaderView[]) => [{ name: 'content-type', value: 'application/x-www-form-urlencoded' }, ...h];
  /** Every token request of a DPoP profile carries a proof (redacted, as Rust logs it). */
  const proofOf = (security: SecurityOptions): HeaderView[] => (security.dpop ? [{ name: 'dpop', value: '[redacted]' }] : []);

  /** What a sign-in asks before the browser: the discovery document, and the pushed request of a PAR profile. */
  function recordAuthorizationStart(issuer: string, security: SecurityOptions = {}) {
    record('discovery document', 'GET', `${issuer}/.well-known/openid-configuration`, 200, { responseBody: JSON.stringify(discoveryDocument(issuer), null, 2) });
    if (security.par)
      record('pushed authorization request endpoint', 'POST', `${issuer}/par`, 201, {
        requestHeaders: formHeaders([{ name: 'accept', value: 'application/json' }, ...proofOf(security)]),
        requestBody: security.request_object
          ? 'client_id=tessera&request=[redacted]&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=[redacted]'
          : `response_type=code&client_id=tessera&redirect_uri=http%3A%2F%2F127.0.0.1%3A43123%2Fcallback&scope=openid&state=[redacted]&nonce=[redacted]&code_challenge=[redacted]&code_challenge_method=S256${security.response_mode === 'jwt' ? '&response_mode=jwt' : ''}&client_assertion=[redacted]`,
        responseBody: JSON.stringify({ request_uri: 'urn:ietf:params:oauth:request_uri:[redacted]', expires_in: 60 }, null, 2),
      });
  }

  /** The URL a sign-in opens in the browser, with its values redacted as Rust records it. */
  const authorizeStep = (issuer: string, security: SecurityOptions = {}) =>
    security.par
      ? `${issuer}/authorize?client_id=[redacted]&request_uri=[redacted]`
      : `${issuer}/authorize?response_type=[redacted]&client_id=[redacted]&redirect_uri=[redacted]&scope=[redacted]&state=[redacted]&nonce=[redacted]&code_challenge=[redacted]&code_challenge_method=[redacted]`;

  /**
   * The token request of a grant and what follows it (the provider's keys to
   * check a new ID token, userinfo), tokens redacted.
   */
  function recordTokens(issuer: string, grant: 'authorization_code' | 'device_code' | 'refresh_token' | 'client_credentials', security: SecurityOptions = {}) {
    const proof = proofOf(security);
    const tokenType = security.dpop ? 'DPoP' : 'Bearer';
    if (grant === 'client_credentials') {
      record('token endpoint', 'POST', `${issuer}/token`, 200, {
        requestHeaders: formHeaders([{ name: 'accept', value: 'application/json' }, { name: 'authorization', value: 'Basic [redacted]' }, ...proof]),
        requestBody: 'grant_type=client_credentials&scope=orders%3Aread',
        responseBody: JSON.stringify({ access_token: '[redacted]', token_type: tokenType, expires_in: 300, scope: 'orders:read' }, null, 2),
        responseHeaders: [{ name: 'content-type', value: 'application/json' }, { name: 'cache-control', value: 'no-store' }],
      });
      return;
    }
    record('token endpoint', 'POST', `${issuer}/token`, 200, {
      requestHeaders: formHeaders([{ name: 'accept', value: 'application/json' }, ...proof]),
      requestBody:
        grant === 'authorization_code'
          ? 'grant_type=authorization_code&code=[redacted]&redirect_uri=http%3A%2F%2F127.0.0.1%3A43123%2Fcallback&client_id=tessera&code_verifier=[redacted]'
          : grant === 'device_code'
            ? 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=[redacted]&client_id=tessera-tv'
            : 'grant_type=refresh_token&refresh_token=[redacted]&client_id=tessera',
      responseBody: JSON.stringify({ access_token: '[redacted]', token_type: tokenType, expires_in: 300, refresh_token: '[redacted]', id_token: '[redacted]', scope: 'openid profile email offline_access roles groups' }, null, 2),
      responseHeaders: [{ name: 'content-type', value: 'application/json' }, { name: 'cache-control', value: 'no-store' }],
    });
    if (grant !== 'refresh_token')
      record('JWKS endpoint', 'GET', `${issuer}/jwks`, 200, { responseBody: JSON.stringify({ keys: KEYS.map(({ kid, kty, alg, use }) => ({ kid, kty, alg, use, n: '0vx7agoebGcQSuu…', e: 'AQAB' })) }, null, 2) });
    record('userinfo endpoint', 'GET', `${issuer}/userinfo`, 200, {
      requestHeaders: [{ name: 'authorization', value: `${tokenType} [redacted]` }, ...proof, { name: 'accept', value: 'application/json' }],
      responseBody: JSON.stringify({ sub: 'demo-user-0001', name: 'Dana Q. Demo', email: 'demo@example.com' }, null, 2),
    });
  }

  /** A device sign-in's request for a code, before the code is shown. */
  function recordDeviceStart(issuer: string) {
    record('discovery document', 'GET', `${issuer}/.well-known/openid-configuration`, 200, { responseBody: JSON.stringify(discoveryDocument(issuer), null, 2) });
    record('device authorization endpoint', 'POST', `${issuer}/device_authorization`, 200, {
      requestHeaders: formHeaders([{ name: 'accept', value: 'application/json' }]),
      requestBody: 'client_id=tessera-tv&scope=openid+profile+email',
      responseBody: JSON.stringify({ device_code: '[redacted]', user_code: 'WDJB-MJHT', verification_uri: `${issuer}/device`, expires_in: 600, interval: 5 }, null, 2),
    });
  }

  /** A device poll told to keep waiting (RFC 8628 §3.5). */
  const recordPendingPoll = (issuer: string) =>
    record('token endpoint', 'POST', `${issuer}/token`, 400, {
      requestHeaders: formHeaders([{ name: 'accept', value: 'application/json' }]),
      requestBody: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=[redacted]&client_id=tessera-tv',
      responseBody: JSON.stringify({ error: 'authorization_pending', error_description: 'the user has not approved the device yet' }, null, 2),
    });

  /** A whole browser sign-in as it happened before this run (a profile signed in at start). */
  function recordBrowserSignIn(issuer: string, security: SecurityOptions = {}) {
    recordAuthorizationStart(issuer, security);
    step('browser_opened', authorizeStep(issuer, security));
    step('redirect_received', 'http://127.0.0.1:43123/callback?code=[redacted]&state=[redacted]&iss=[redacted]');
    recordTokens(issuer, 'authorization_code', security);
  }

  const told = (op: OperationView) => emit('operations', structuredClone(op));

  /** Starts an operation, as `Operations::run` does. */
  function begin(kind: OperationKind, profile: string | null): OperationView {
    const op: OperationView = { id: ++operationId, kind, profile, started_at_ms: stampMs(), finished_at_ms: null, outcome: 'running', error: null, steps: [] };
    operations.push(op);
    if (operations.length > 50) operations.shift();
    told(op);
    return op;
  }

  /** Ends it, failed with the error's one line when there is one. */
  function end(op: OperationView, error: unknown = null) {
    op.finished_at_ms = stampMs();
    op.outcome = error === null ? 'ok' : 'failed';
    op.error = error === null ? null : typeof error === 'object' && error && 'message' in error ? String(error.message) : String(error);
    told(op);
  }

  /** Runs `work` with `op` under way, so its exchanges and steps are tagged with it. */
  function within<T>(op: OperationView, work: () => T): T {
    const outer = current;
    current = op;
    try {
      return work();
    } finally {
      current = outer;
    }
  }

  /** Runs `work` as an operation, unless one is under way: then it belongs to that one (a refresh inside an API call). */
  function operation<T>(kind: OperationKind, profile: string | null, work: () => T): T {
    if (current) return work();
    const op = begin(kind, profile);
    try {
      const result = within(op, work);
      end(op);
      return result;
    } catch (e) {
      end(op, e);
      throw e;
    }
  }

  /** A step outside HTTP of the operation under way. */
  function step(kind: StepKind, detail: string) {
    if (!current) return;
    current.steps.push({ at_ms: stampMs(), kind, detail });
    told(current);
  }

  const emit = <K extends keyof Events>(event: K, payload: Events[K]) =>
    listeners.get(event)?.forEach((l) => l({ event, id: 0, payload }));

  function form(
    name: string,
    issuer: string,
    clientId = 'tessera',
    grant: Grant = 'authorization_code',
    clientAuth: ClientAuth = 'client_secret_basic',
    scopes?: string[],
    security: SecurityOptions = {},
  ): ProfileForm {
    return {
      name,
      issuer,
      client_id: clientId,
      client_secret: null,
      // A demo service has its secret stored; a demo user profile is a public client.
      has_client_secret: grant === 'client_credentials' && clientAuth.startsWith('client_secret'),
      clear_client_secret: false,
      client_auth: clientAuth,
      grant,
      assertion_audience: 'issuer',
      client_key: null,
      par: security.par ?? false,
      dpop: security.dpop ?? false,
      dpop_alg: security.dpop_alg ?? null,
      request_object: security.request_object ?? false,
      response_mode: security.response_mode ?? 'query',
      scopes: scopes ?? (grant === 'client_credentials' ? [] : ['openid', 'profile', 'email']),
      redirect: { ...loopback },
      prompt: null,
      max_age: null,
      acr_values: null,
      login_hint: null,
      ui_locales: null,
      audience: null,
      resource: [],
      allow_insecure_http: false,
      post_logout_redirect_uri: null,
      preset: null,
    };
  }

  /** A new session for the profile as its grant gets one: a user's, or a service's own token. */
  function newSession(f: ProfileForm): SessionView {
    return f.grant === 'client_credentials'
      ? serviceSession(f.name, f.issuer, f.client_id, f.scopes, tokenTypeFor(f))
      : demoSession(f.name, f.issuer, tokenTypeFor(f));
  }

  for (const p of options.profiles ?? []) {
    const f = form(p.name, p.issuer, p.client_id, p.grant, p.client_auth, p.scopes, p.security);
    forms.set(p.name, f);
    // A key-signing client has its key, a mutual-TLS client its certificate and key.
    if (p.client_auth === 'private_key_jwt' || (p.client_auth && isMutualTls(p.client_auth))) {
      const key = demoKey('ES256', p.client_auth !== 'private_key_jwt');
      clientKeys.set(p.name, key);
      f.client_key = { ...key, public_jwks: '' };
    }
    if (p.signed_in) {
      const s = newSession(f);
      sessions.set(p.name, s);
      issue(p.name, s, 'Session at start');
      const op = begin('sign_in', p.name);
      within(op, () => (s.has_user ? recordBrowserSignIn(p.issuer, f) : recordTokens(p.issuer, 'client_credentials', f)));
      end(op);
    }
  }
  if (active === null && forms.size) active = [...forms.keys()][0];

  function overview(): Overview {
    const profiles: ProfileSummary[] = [...forms.values()].map((f) => {
      const s = sessions.get(f.name);
      return {
        name: f.name,
        issuer: f.issuer,
        client_id: f.client_id,
        grant: f.grant,
        signed_in: !!s,
        user: s ? (s.email ?? s.display_name) : null,
        problem: null,
        expires_at: s?.expires_at ?? null,
        conformance_errors: conformanceErrors.get(f.issuer) ?? null,
        registered_client: registered.has(f.name),
      };
    });
    return { profiles, active };
  }

  function changed(): Overview {
    const o = overview();
    emit('overview', o);
    return o;
  }

  const validName = (name: string) => {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw ipcError('invalid_profile', `invalid profile name "${name}": use 1-64 letters, digits, '.', '_' or '-'`, { profile: name });
  };

  /** Keeps a client key for `name`, replacing any earlier one; an existing profile records its facts, and says so. */
  function keepKey(name: string, key: ClientKeyView): ClientKeyView {
    validName(name);
    clientKeys.set(name, key);
    const f = forms.get(name);
    if (f) {
      f.client_key = { ...key, public_jwks: '' };
      changed();
    }
    return structuredClone(key);
  }

  /** The token exchange of RFC 8693, as the demo provider answers it. */
  function exchange(profile: string, form: ExchangeForm): ExchangeView {
    const f = known(profile);
    const s = sessionOf(profile);
    if (!tokens.get(profile)?.[form.subject]) throw ipcError(null, `the session has no ${form.subject === 'id' ? 'ID' : form.subject} token to exchange`);
    let actor: string | null = null;
    if (form.actor_profile) {
      known(form.actor_profile);
      if (!sessions.has(form.actor_profile)) throw notSignedIn(form.actor_profile);
      actor = sessions.get(form.actor_profile)!.subject;
    }
    const params = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: '[redacted]',
      subject_token_type: `urn:ietf:params:oauth:token-type:${form.subject === 'id' ? 'id_token' : `${form.subject}_token`}`,
    });
    form.audiences.forEach((a) => params.append('audience', a));
    form.resources.forEach((r) => params.append('resource', r));
    if (form.scope) params.set('scope', form.scope);
    if (form.requested_token_type) params.set('requested_token_type', form.requested_token_type);
    if (actor) params.set('actor_token', '[redacted]');
    const refused = form.audiences.find((a) => a.includes('forbidden'));
    const body = refused
      ? { error: 'invalid_target', error_description: `audience ${refused} is not allowed for this client` }
      : { access_token: '[redacted]', issued_token_type: form.requested_token_type ?? 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: 600 };
    record('token endpoint', 'POST', `${f.issuer}/token`, refused ? 400 : 200, {
      requestHeaders: [{ name: 'content-type', value: 'application/x-www-form-urlencoded' }, { name: 'accept', value: 'application/json' }],
      requestBody: params.toString(),
      responseBody: JSON.stringify(body, null, 2),
    });
    if (refused) throw ipcError(null, `the provider refused the exchange's target (invalid_target): audience ${refused} is not allowed for this client; ask for another audience or resource`, { profile, endpoint: 'token endpoint' });
    const t = now();
    const opaque = form.audiences.some((a) => a.includes('opaque'));
    const aud = form.audiences.length ? (form.audiences.length === 1 ? form.audiences[0] : form.audiences) : (form.resources[0] ?? 'demo-api');
    const token = opaque
      ? `ex-${Math.random().toString(36).slice(2)}${'o'.repeat(40)}`
      : makeJwt(
          { alg: 'RS256', kid: 'demo-rsa-1', typ: 'at+jwt' },
          {
            iss: f.issuer,
            sub: s.subject,
            aud,
            client_id: f.client_id,
            scope: form.scope ?? s.scopes.filter((x) => x !== 'openid').join(' '),
            exp: t + 600,
            iat: t,
            jti: Math.random().toString(36).slice(2, 12),
            ...(actor ? { act: { sub: actor } } : {}),
          },
        );
    const id = ++exchangeId;
    exchanged.set(id, token);
    let jwt: JwtView | null = null;
    let checkError: string | null = null;
    if (!opaque) {
      const decoded = decodeJwt(token);
      if (keysError) checkError = `the provider's keys could not be fetched: ${keysError}`;
      jwt = keysError ? decoded : { ...verifyWith(decoded, KEYS, t, { issuer: f.issuer, noun: 'exchanged token' }), checked_against: `profile ${profile}'s JWKS (${f.issuer}/jwks)` };
    }
    const view: ExchangeView = {
      id,
      profile,
      issued_token_type: form.requested_token_type ?? 'urn:ietf:params:oauth:token-type:access_token',
      token_type: opaque ? 'N_A' : 'Bearer',
      expires_in: 600,
      scope: form.scope,
      jwt,
      check_error: checkError,
      obtained_at: t,
    };
    exchanges.unshift(view);
    return view;
  }

  /** RFC 7662, as the demo provider answers it. */
  function introspect(profile: string, kind: TokenKind) {
    const s = sessionOf(profile);
    const f = known(profile);
    if (kind === 'id') throw ipcError(null, 'ID tokens are not introspected; the inspector validates them itself');
    const active = !(kind === 'access' && revokedAccess.has(profile));
    const raw: Obj = active
      ? {
          active: true,
          scope: s.scopes.join(' '),
          client_id: f.client_id,
          username: 'demo',
          token_type: kind === 'access' ? 'Bearer' : 'refresh_token',
          sub: s.subject,
          ...(kind === 'access' ? { exp: s.expires_at, iat: s.obtained_at } : { iat: s.obtained_at }),
        }
      : { active: false };
    record('introspection endpoint', 'POST', `${f.issuer}/introspect`, 200, {
      requestHeaders: [{ name: 'content-type', value: 'application/x-www-form-urlencoded' }],
      requestBody: `token=[redacted]&token_type_hint=${kind === 'access' ? 'access_token' : 'refresh_token'}&client_id=${f.client_id}`,
      responseBody: JSON.stringify(raw, null, 2),
    });
    return { kind, active, fields: explainAll(raw), raw, binding: [] };
  }

  /** RFC 7009: revoking the refresh token ends the session; the access token's next use refreshes. */
  function revoke(profile: string, kind: TokenKind) {
    sessionOf(profile);
    const f = known(profile);
    if (kind === 'id') throw ipcError(null, 'ID tokens cannot be revoked');
    record('revocation endpoint', 'POST', `${f.issuer}/revoke`, 200, {
      requestHeaders: [{ name: 'content-type', value: 'application/x-www-form-urlencoded' }],
      requestBody: `token=[redacted]&token_type_hint=${kind === 'access' ? 'access_token' : 'refresh_token'}&client_id=${f.client_id}`,
      responseBody: '',
    });
    if (kind === 'access') revokedAccess.add(profile);
    else {
      sessions.delete(profile);
      tokens.delete(profile);
    }
    return changed();
  }

  /**
   * A call to the demo API with the session's token (and a DPoP proof), as
   * Rust makes it: refreshed first when asked, or after an invalid_token 401
   * when the mock is told to retry (as the command line does).
   */
  function apiSend(profile: string, request: ApiRequestForm, refreshFirst: boolean): ApiResponseView {
    let s = sessionOf(profile);
    const method = request.method.trim().toUpperCase();
    const url = requestUrl(request);
    curlCommand(request, { profile }); // the same checks of method and body
    if (url.hostname.includes('unreachable')) {
      record('API', method, url.toString(), null, { error: 'connection refused' });
      throw ipcError('network', `could not reach ${url.origin}: connection refused`);
    }
    if (refreshFirst) {
      handlers.refresh_session({ profile });
      s = sessionOf(profile);
    }
    const send = () => {
      const r = demoApi(method, url, s.id_token_claims as Obj, !revokedAccess.has(profile));
      // A DPoP-bound token goes with a proof made for this method and URL.
      const bound = dpopBound(known(profile), s);
      record('API', method, url.toString(), r.status, {
        requestHeaders: [
          { name: 'authorization', value: `${bound ? 'DPoP' : 'Bearer'} [redacted]` },
          ...(bound ? [{ name: 'dpop', value: '[redacted]' }] : []),
          ...request.headers.filter((h) => h.enabled && h.name.trim()).map((h) => ({ name: h.name.trim().toLowerCase(), value: h.value })),
        ],
        requestBody: request.body_kind === 'none' ? null : request.body || null,
        responseHeaders: r.headers,
        responseBody: r.body,
      });
      return r;
    };
    let r = send();
    let refreshed = refreshFirst;
    let retry = r.status === 401 && r.challenge?.error === 'invalid_token' && !refreshFirst;
    if (retry && retryAfterRefresh && s.has_refresh_token) {
      handlers.refresh_session({ profile });
      s = sessionOf(profile);
      refreshed = true;
      r = send();
      retry = false;
    }
    const id = ++responseId;
    responses.add(id);
    const limit = 64 * 1024;
    const size = new TextEncoder().encode(r.body).length;
    return {
      id,
      status: r.status,
      status_text: r.statusText,
      duration_ms: 12 + Math.random() * 40,
      size,
      headers: r.headers,
      body: method === 'HEAD' ? '' : r.body.length > limit ? r.body.slice(0, limit) : r.body,
      is_json: r.isJson,
      truncated: method !== 'HEAD' && r.body.length > limit,
      url: url.toString(),
      refreshed,
      challenge: r.challenge,
      retry_after_refresh: retry,
    };
  }

  const known = (name: string) => {
    if (!forms.has(name)) throw ipcError('invalid_profile', `no profile named "${name}"`, { profile: name });
    return forms.get(name)!;
  };

  const handlers: Handlers = {
    overview: () => overview(),
    set_active_profile: ({ name }) => {
      known(name);
      active = name;
      return changed();
    },
    presets: () => PRESETS,
    profile_get: ({ name }) => structuredClone(known(name)),
    profile_save: ({ form: f, replacing }) => {
      if (!replacing && forms.has(f.name))
        throw ipcError('profile_exists', `a profile named "${f.name}" already exists; choose another name`, { profile: f.name });
      if (f.request_object && f.client_auth !== 'private_key_jwt')
        throw ipcError('invalid_profile', `profile "${f.name}": request_object needs the client key of private_key_jwt: set client_auth to private_key_jwt`, { profile: f.name });
      // The key's facts are read-only: the profile file records them when a key is made, not from the form.
      const key = forms.get(f.name)?.client_key ?? (clientKeys.has(f.name) ? { ...clientKeys.get(f.name)!, public_jwks: '' } : null);
      const scopes = f.grant === 'client_credentials' ? f.scopes : ['openid', ...f.scopes.filter((x) => x !== 'openid')];
      forms.set(f.name, { ...f, scopes, client_key: key, client_secret: null, has_client_secret: !!f.client_secret || (f.has_client_secret && !f.clear_client_secret) });
      active = f.name;
      return changed();
    },
    profile_duplicate: ({ name, newName }) => {
      if (forms.has(newName)) throw ipcError('profile_exists', `a profile named "${newName}" already exists; choose another name`, { profile: newName });
      forms.set(newName, { ...structuredClone(known(name)), name: newName });
      const key = clientKeys.get(name);
      if (key) clientKeys.set(newName, key); // the copy is the same client, signing with the same key
      active = newName;
      return changed();
    },
    profile_remove: ({ name, deleteRegistration }) => {
      const f = known(name);
      if (deleteRegistration) {
        if (!registered.has(name))
          throw ipcError(
            'invalid_profile',
            `profile "${name}" has no dynamic registration to delete (its client was not registered by Tessera); remove it without deleting the registration`,
            { profile: name },
          );
        record('registration endpoint', 'DELETE', `${f.issuer}/reg/${f.client_id}`, 204, { requestHeaders: [{ name: 'authorization', value: 'Bearer [redacted]' }], responseBody: '' });
      }
      registered.delete(name);
      forms.delete(name);
      sessions.delete(name);
      clientKeys.delete(name);
      dpopKeys.delete(name);
      if (active === name) active = [...forms.keys()][0] ?? null;
      return changed();
    },
    resource_discover: ({ url }) => operation('discovery', null, () => discoverResource(url)),
    resource_set_up: ({ url, profile, client }) => {
      const discovery = discoverResource(url);
      const server = discovery.authorization_servers.find((s) => s.usable);
      if (!server || !discovery.resource) throw notUsable(discovery);
      const resource = discovery.resource;
      const name = profile?.trim() || discovery.default_profile_name || 'api';
      validName(name);
      const existing = forms.get(name);
      if (existing) {
        const sameClient = client.kind === 'register' || client.client_id === existing.client_id;
        if (existing.issuer === server.issuer && existing.resource.includes(resource) && sameClient) {
          active = name;
          return { overview: changed(), profile: name, resource, client_id: existing.client_id, registered: false, reused: true, discovery };
        }
        throw ipcError('profile_exists', `a profile named "${name}" already exists for another provider or resource; choose another name`, { profile: name });
      }
      if (client.kind === 'register' && !server.dynamic_registration) throw ipcError(null, discovery.way_forward, { endpoint: 'registration endpoint' });
      const clientId = client.kind === 'given' ? client.client_id : `dyn-${(++clientNumber).toString().padStart(4, '0')}`;
      if (client.kind === 'register') {
        registered.add(name);
        record('registration endpoint', 'POST', `${server.issuer}/reg`, 201, {
          requestHeaders: [{ name: 'content-type', value: 'application/json' }],
          requestBody: JSON.stringify({ application_type: 'native', token_endpoint_auth_method: 'none' }),
          responseBody: JSON.stringify({ client_id: clientId, registration_access_token: '[redacted]' }, null, 2),
        });
      }
      forms.set(name, { ...form(name, server.issuer, clientId, 'authorization_code', 'none', ['openid', 'offline_access', ...discovery.scopes]), resource: [resource] });
      active = name;
      return { overview: changed(), profile: name, resource, client_id: clientId, registered: client.kind === 'register', reused: false, discovery };
    },
    provider_conformance: ({ name }) => {
      const f = known(name);
      const findings = conformanceFindings(f.issuer);
      conformanceErrors.set(f.issuer, findings.filter((x) => x.level === 'error').length);
      return { issuer: f.issuer, findings };
    },
    discover: ({ url }) =>
      operation('discovery', null, (): ProviderReport => {
        const issuer = url.replace(/\/\.well-known\/openid-configuration$/, '').replace(/\/$/, '');
        record('discovery document', 'GET', `${issuer}/.well-known/openid-configuration`, 200, { responseBody: JSON.stringify({ issuer }, null, 2) });
        return {
          issuer,
          discovery_url: `${issuer}/.well-known/openid-configuration`,
          capabilities: [
            { id: 'pkce', label: 'PKCE (S256)', status: 'supported', detail: 'code_challenge_methods_supported lists S256' },
            { id: 'refresh', label: 'Refresh tokens', status: 'supported', detail: 'offline_access is a supported scope' },
            { id: 'revocation', label: 'Revocation', status: 'missing', detail: 'No revocation_endpoint' },
            { id: 'end_session', label: 'RP-initiated logout', status: 'risky', detail: 'end_session_endpoint is plain http' },
          ],
          metadata: { issuer },
        };
      }),
    client_key_generate: ({ name, alg }) => keepKey(name, demoKey(alg, false)),
    client_key_import: ({ name, keyFile, certFile, alg }) => {
      validName(name);
      // Rust reads the files; the mock pretends paths ending in .pem exist.
      const unreadable = [keyFile, certFile ?? ''].map((f) => f.trim()).find((f) => f && !f.endsWith('.pem'));
      if (unreadable !== undefined || !keyFile.trim()) throw ipcError(null, `cannot read ${unreadable || keyFile.trim() || '(no path)'}: No such file or directory (os error 2)`);
      const inferred: KeyAlg = alg ?? (/rsa/i.test(keyFile) ? 'RS256' : /ed25519/i.test(keyFile) ? 'EdDSA' : 'ES256');
      return keepKey(name, demoKey(inferred, !!certFile?.trim()));
    },
    client_key_get: ({ name }) => {
      validName(name);
      return structuredClone(clientKeys.get(name) ?? null);
    },
    client_key_copy_jwks: ({ name }) => {
      if (!clientKeys.has(name)) throw ipcError('invalid_profile', `profile "${name}" has no client key; generate or import one first`, { profile: name });
      return null;
    },
    sign_in: ({ profile }) => {
      const f = known(profile);
      const op = begin('sign_in', profile);
      if (isMutualTls(f.client_auth) && !certificateOf(f)) {
        const error = ipcError(
          'invalid_profile',
          `profile "${profile}": client_key ${clientKeys.has(profile) ? 'has no certificate: mutual TLS needs the certificate imported with the key' : 'is missing: mutual TLS presents a certificate and its key from the keyring, so import them'}`,
          { profile },
        );
        end(op, error);
        throw error;
      }
      // A service has no user to wait for: no progress until its token arrives.
      const service = f.grant === 'client_credentials';
      const userCode = 'WDJB-MJHT';
      const complete = `${f.issuer}/device?user_code=${userCode}`;
      const waiting: SignInPhase =
        f.grant === 'device_code'
          ? {
              type: 'device',
              user_code: userCode,
              verification_uri: `${f.issuer}/device`,
              verification_uri_complete: complete,
              qr: demoQr(complete),
              deadline: now() + 600,
              browser_opened: !f.issuer.includes('tv'),
            }
          : {
              type: 'waiting',
              // A pushed request leaves the browser only a reference to it.
              url: f.par
                ? `${f.issuer}/authorize?client_id=${f.client_id}&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax1`
                : `${f.issuer}/authorize?response_type=code&client_id=${f.client_id}&redirect_uri=http%3A%2F%2F127.0.0.1%3A43123%2Fcallback&scope=openid%20profile%20email&state=x1&nonce=n1&code_challenge=c1&code_challenge_method=S256`,
              redirect_uri: 'http://127.0.0.1:43123/callback',
              deadline: now() + 300,
              browser_error: null,
            };
      // What comes before anyone waits: discovery, a pushed request or a device code, then the browser.
      const device = f.grant === 'device_code';
      const callback = 'http://127.0.0.1:43123/callback?code=[redacted]&state=[redacted]&iss=[redacted]';
      within(op, () => {
        if (service) return;
        if (device) {
          recordDeviceStart(f.issuer);
          step('device_code_shown', `${f.issuer}/device`);
        } else {
          recordAuthorizationStart(f.issuer, f);
          step('browser_opened', authorizeStep(f.issuer, f));
        }
      });
      if (!service) emit('sign-in', { profile, phase: waiting });
      const script = signInScript;
      return new Promise<SessionView>((resolve, reject) => {
        const fail = (error: IpcError) => {
          pending = null;
          end(op, error);
          emit('sign-in', { profile, phase: { type: 'failed', error } });
          reject(error);
        };
        pending = { profile, reject: fail };
        if (script.type === 'fail')
          setTimeout(() => {
            // Refused at the token endpoint: the browser came back with a code first.
            if (script.token) {
              const refused = script.token;
              within(op, () => {
                if (!device) step('redirect_received', callback);
                record('token endpoint', 'POST', `${f.issuer}/token`, 400, {
                  requestHeaders: formHeaders([{ name: 'accept', value: 'application/json' }, ...proofOf(f)]),
                  requestBody: device
                    ? 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=[redacted]&client_id=tessera-tv'
                    : 'grant_type=authorization_code&code=[redacted]&redirect_uri=http%3A%2F%2F127.0.0.1%3A43123%2Fcallback&client_id=tessera&code_verifier=[redacted]',
                  responseBody: JSON.stringify({ error: refused.error, error_description: refused.description }, null, 2),
                });
              });
            }
            fail(script.error);
          }, script.afterMs ?? 0);
        if (script.type === 'succeed')
          setTimeout(() => {
            if (pending?.profile !== profile) return;
            pending = null;
            if (!service) emit('sign-in', { profile, phase: { type: 'exchanging' } });
            const s = newSession(f);
            sessions.set(profile, s);
            issue(profile, s, service ? 'Token received' : 'Signed in');
            within(op, () => {
              if (service) recordTokens(f.issuer, 'client_credentials', f);
              else if (device) {
                recordPendingPoll(f.issuer);
                recordPendingPoll(f.issuer);
                recordTokens(f.issuer, 'device_code', f);
                step('device_approved', `${f.issuer}/device`);
              } else {
                step('redirect_received', callback);
                recordTokens(f.issuer, 'authorization_code', f);
              }
            });
            end(op);
            emit('sign-in', { profile, phase: { type: 'signed_in', user: s.email ?? s.display_name } });
            changed();
            resolve(s);
          }, service ? Math.min(script.afterMs, 800) : script.afterMs);
      });
    },
    cancel_sign_in: () => {
      pending?.reject(ipcError('cancelled', 'sign-in cancelled', { profile: pending.profile }));
      return null;
    },
    session: ({ profile }) => sessions.get(known(profile).name) ?? null,
    session_picture: ({ profile }) => (sessions.get(profile)?.has_picture ? PICTURE : null),
    refresh_session: ({ profile }) =>
      operation('refresh', profile, () => {
        const s = sessions.get(profile);
        if (!s) throw notSignedIn(profile);
        if (!s.has_user) {
          // A service asks again with its own credentials.
          const f = known(profile);
          const renewed = { ...serviceSession(profile, s.issuer, f.client_id, f.scopes, tokenTypeFor(f)), signed_in_at: s.signed_in_at };
          sessions.set(profile, renewed);
          issue(profile, renewed, 'Renewed (client credentials)');
          recordTokens(s.issuer, 'client_credentials', f);
          changed();
          return renewed;
        }
        // A refresh keeps the token type the session was signed in with.
        const f = known(profile);
        const fresh = { ...demoSession(profile, s.issuer, s.token_type), expires_at: now() + 300, refresh_at: now() + 240, signed_in_at: s.signed_in_at };
        sessions.set(profile, fresh);
        issue(profile, fresh, 'Refreshed (refresh token rotated)');
        recordTokens(s.issuer, 'refresh_token', { ...f, dpop: dpopBound(f, s) });
        changed();
        return fresh;
      }),
    sign_out: ({ profile, mode }) =>
      operation('sign_out', profile, () => {
        const s = sessions.get(profile);
        const f = known(profile);
        if (s && mode === 'revoke')
          record('revocation endpoint', 'POST', `${f.issuer}/revoke`, 200, {
            requestHeaders: formHeaders([]),
            requestBody: `token=[redacted]&token_type_hint=refresh_token&client_id=${f.client_id}`,
            responseBody: '',
          });
        if (s && mode === 'end_session') step('browser_opened', `${f.issuer}/logout?id_token_hint=[redacted]&post_logout_redirect_uri=[redacted]`);
        sessions.delete(profile);
        return changed();
      }),
    copy_access_token: ({ profile }) => {
      if (!sessions.has(profile)) throw notSignedIn(profile);
      return null;
    },

    inspect_session: ({ profile }) => {
      const f = known(profile);
      const s = sessionOf(profile);
      const t = tokens.get(profile)!;
      const at = now();
      const keys = keysError ? [] : KEYS;
      const against = `profile ${profile}'s JWKS (${f.issuer}/jwks)`;
      const unchecked = (jwt: JwtView, noun: string, audience?: string): JwtView => {
        const v = verifyWith(jwt, keys, at, { issuer: f.issuer, audience, noun });
        const detail = `${noun} signature not checked: the provider's keys could not be fetched`;
        const signature = { ...v.signature!, verified: false, key: null, detail };
        const checks = v.checks.map((c) => (c.id === 'signature' ? check('signature', 'Signature', false, detail) : c));
        return { ...v, signature, checks, valid: false };
      };
      const views: TokenView[] = [];
      // A service's session has no ID token.
      if (t.id) {
        const idToken = t.id;
        const idJwt = decodeJwt(idToken);
        let id = keysError ? unchecked(idJwt, 'ID token', f.client_id) : verifyWith(idJwt, keys, at, { issuer: f.issuer, audience: f.client_id, noun: 'ID token' });
        const checks = [...id.checks];
        const afterAudience = checks.findIndex((c) => c.id === 'audience') + 1 || checks.length;
        checks.splice(
          afterAudience,
          0,
          check('azp', 'Authorized party', true, 'single audience; azp not needed'),
          check('subject', 'Subject', true, `sub is ${s.subject}`),
        );
        checks.push(
          check('nonce', 'Nonce', true, "present; it matched this sign-in's nonce when the token arrived (the nonce is not kept afterwards)"),
          check('at_hash', 'Access token hash', true, 'matches the access token', 'x4Z9sQf1cY2bK0pW7rLm3A', 'x4Z9sQf1cY2bK0pW7rLm3A'),
        );
        id = { ...id, checks, valid: checks.every((c) => c.passed), checked_against: against };
        views.push({
          kind: 'id',
          format: { type: 'jwt', jwt: id },
          expires_at: (id.payload as Obj).exp as number,
          issued_at: (id.payload as Obj).iat as number,
          fingerprint: fingerprint(idToken),
          introspectable: false,
          revocable: false,
        });
      }
      const accessToken = t.access ?? '';
      const accessJwt = accessToken.startsWith('eyJ') ? decodeJwt(accessToken) : null;
      let access = accessJwt && (keysError ? unchecked(accessJwt, 'access token') : verifyWith(accessJwt, keys, at, { issuer: f.issuer, noun: 'access token' }));
      const binding = access && !keysError ? certificateBinding(access.payload as Obj, certificateOf(f)) : null;
      if (access && binding) access = { ...access, checks: [...access.checks, binding], valid: access.valid && binding.passed };
      const dpop = access && !keysError && dpopBound(f, s) ? dpopBinding(access.payload as Obj, dpopThumbprint(profile)) : null;
      if (access && dpop) access = { ...access, checks: [...access.checks, dpop], valid: access.valid && dpop.passed };
      views.push({
        kind: 'access',
        format: access ? { type: 'jwt', jwt: { ...access, checked_against: against } } : { type: 'opaque', length: accessToken.length },
        expires_at: s.expires_at,
        issued_at: s.obtained_at,
        fingerprint: fingerprint(accessToken),
        introspectable: true,
        revocable: true,
      });
      if (s.has_refresh_token && t.refresh)
        views.push({
          kind: 'refresh',
          format: { type: 'opaque', length: t.refresh.length },
          expires_at: null,
          issued_at: s.obtained_at,
          fingerprint: fingerprint(t.refresh),
          introspectable: true,
          revocable: true,
        });
      return {
        profile,
        issuer: s.issuer,
        client_id: f.client_id,
        token_type: s.token_type,
        scopes: s.scopes,
        obtained_at: s.obtained_at,
        signed_in_at: s.signed_in_at,
        refresh_at: s.refresh_at,
        tokens: views,
        keys_error: keysError,
      };
    },
    reveal_token: ({ profile, kind }) => {
      sessionOf(profile);
      const token = tokens.get(profile)?.[kind];
      if (!token) throw ipcError(null, `the session has no ${kind === 'id' ? 'ID' : kind} token`);
      return token;
    },
    copy_token: ({ profile }) => {
      sessionOf(profile);
      return null;
    },
    introspect_token: ({ profile, kind }) => operation('introspect', profile, () => introspect(profile, kind)),
    revoke_token: ({ profile, kind }) => operation('revoke', profile, () => revoke(profile, kind)),
    session_history: ({ profile }) => structuredClone(histories.get(known(profile).name)?.entries ?? []),
    history_diff: ({ profile, from, to }) => {
      const h = histories.get(profile);
      const a = h?.snapshots.get(from);
      const b = h?.snapshots.get(to);
      if (!a || !b) throw ipcError(null, 'those history entries are no longer kept; pick two from the list');
      return diffSnapshots(a, b);
    },
    decode_jwt: ({ token }) => decodeJwt(token),
    verify_jwt: ({ token, keys }) => {
      const jwt = decodeJwt(token);
      const at = now();
      if (keys.type === 'profile') {
        const f = known(keys.name);
        return {
          ...verifyWith(jwt, KEYS, at, { issuer: f.issuer, audience: keys.expect_client_audience ? f.client_id : undefined, noun: 'JWT' }),
          checked_against: `profile ${keys.name}'s JWKS (${f.issuer}/jwks)`,
        };
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(keys.text);
      } catch {
        throw ipcError(null, 'the pasted keys are not valid JSON (line 1, column 1); paste a JWK or a JWKS ({"keys": [...]})');
      }
      const list = (parsed as { keys?: unknown[] }).keys ?? [parsed];
      const usable = list
        .filter((k): k is Record<string, string> => !!k && typeof k === 'object')
        .map((k) => ({ kid: k.kid ?? '', alg: k.alg ?? '', describe: [k.kty, k.crv].filter(Boolean).join(' ') }));
      if (!usable.length) throw ipcError(null, 'the pasted JWKS holds no keys');
      return { ...verifyWith(jwt, usable, at, { noun: 'JWT' }), checked_against: `the pasted ${list.length === 1 ? 'key' : `${list.length} keys`}` };
    },
    provider_view: ({ profile }) => {
      const f = known(profile);
      const report = providerReport(f.issuer);
      // A profile that pushes or binds its requests: the provider's FAPI 2.0 rows, as Rust adds them.
      if (f.par || f.dpop) report.capabilities.push(...fapiRows(f));
      return {
        report,
        jwks_uri: `${f.issuer}/jwks`,
        keys: keysError ? [] : KEYS.map(({ kid, kty, alg, use, size }) => ({ kid, kty, alg, use, size })),
        skipped_keys: keysError ? 0 : 1,
        keys_error: keysError,
      };
    },
    http_log: () => log.map((e) => e.summary),
    http_log_entry: ({ id }) => {
      const e = log.find((x) => x.summary.id === id);
      if (!e) throw ipcError(null, 'that exchange is no longer in the log (it keeps the last 200)');
      return structuredClone(e);
    },
    http_log_clear: () => {
      log.length = 0;
      return null;
    },
    token_exchange: ({ profile, form }) => operation('exchange', profile, () => exchange(profile, form)),
    operations: () => structuredClone(operations),
    exchange_history: ({ profile }) => exchanges.filter((e) => e.profile === profile),
    exchanged_token_copy: ({ id }) => {
      if (!exchanged.has(id)) throw ipcError(null, 'that exchanged token is no longer kept; exchange again');
      return null;
    },
    exchanged_token_introspect: ({ id }) => {
      if (!exchanged.has(id)) throw ipcError(null, 'that exchanged token is no longer kept; exchange again');
      const raw: Obj = { active: true, token_type: 'Bearer', aud: 'http://127.0.0.1:9090/api', scope: 'api:read' };
      return { kind: 'access' as const, active: true, fields: explainAll(raw), raw, binding: [] };
    },

    api_send: ({ profile, request, refreshFirst }) => operation('api_call', profile, () => apiSend(profile, request, refreshFirst)),
    api_save_response: ({ id }) => {
      if (!responses.has(id)) throw ipcError(null, 'that response is no longer kept; send the request again');
      return `/home/dana/Downloads/tessera-response-${id}.json`;
    },
    saved_requests: ({ profile }) => structuredClone(saved.get(known(profile).name) ?? []),
    saved_request_put: ({ profile, saved: request }) => {
      known(profile);
      if (!request.name.trim()) throw ipcError(null, 'give the request a name to save it');
      const credential = credentialIn(request.request);
      if (credential)
        throw ipcError(null, `saved requests never store credentials: remove the ${credential} (Tessera adds the access token when it sends the request)`);
      const list = (saved.get(profile) ?? []).filter((r) => r.name !== request.name.trim());
      list.push({ name: request.name.trim(), request: structuredClone(request.request) });
      list.sort((a, b) => a.name.localeCompare(b.name));
      saved.set(profile, list);
      return structuredClone(list);
    },
    saved_request_delete: ({ profile, name }) => {
      const list = saved.get(profile) ?? [];
      if (!list.some((r) => r.name === name)) throw ipcError(null, `no saved request named "${name}"`);
      saved.set(
        profile,
        list.filter((r) => r.name !== name),
      );
      return structuredClone(saved.get(profile)!);
    },
    curl_preview: ({ profile, request }) => curlCommand(request, { profile, dpop: known(profile).dpop }),
    copy_curl: ({ profile, request, inline }) => {
      const f = known(profile);
      if (inline) {
        const s = sessionOf(profile);
        const proof = dpopBound(f, s) ? makeJwt({ typ: 'dpop+jwt', alg: 'ES256' }, { htm: request.method, htu: request.url, iat: now() }) : null;
        curlCommand(request, { inline: tokens.get(profile)!.access ?? '', proof });
      } else curlCommand(request, { profile, dpop: f.dpop });
      return null;
    },
  };

  return {
    calls,
    emit,
    /** Makes `command` reject with `error` until cleared with null. */
    fail(command: keyof Commands, error: IpcError | null) {
      if (error) failures.set(command, error);
      else failures.delete(command);
    },
    /** How the next sign-ins end. */
    scriptSignIn(script: SignInScript) {
      signInScript = script;
    },
    /** Makes an API call refused with invalid_token refresh and retry once, in the same operation (as the command line does). */
    retryAfterRefresh(on: boolean) {
      retryAfterRefresh = on;
    },
    /** Makes fetching the provider's keys fail with `message` (null: works again). */
    failKeys(message: string | null) {
      keysError = message;
    },
    /** The token strings of a profile's session, to check that they never reach the page. */
    tokensOf(profile: string) {
      return tokens.get(profile) ?? null;
    },
    /** The exchanged tokens kept "in Rust", to check that they never reach the page. */
    exchangedTokens() {
      return [...exchanged.values()];
    },
    /** Ends a profile's session as the tray or an expiry would, and says so. */
    dropSession(profile: string) {
      sessions.delete(profile);
      tokens.delete(profile);
      changed();
    },
    async invoke(command: string, args: unknown = {}): Promise<unknown> {
      const name = command as keyof Commands;
      calls.push({ command: name, args });
      const failure = failures.get(name);
      if (failure) throw failure;
      const handler = handlers[name] as (a: unknown) => unknown;
      if (!handler) throw `unknown command ${command}`;
      return await handler(args);
    },
    async listen(event: string, handler: Listener): Promise<() => void> {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(handler);
      return () => listeners.get(event)?.delete(handler);
    },
  };
}

export type Backend = ReturnType<typeof createBackend>;
