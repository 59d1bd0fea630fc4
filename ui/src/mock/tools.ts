// The stand-in backend's inspector and API panel: JWTs made and decoded in
// JavaScript, claims explained as the engine does, a demo API and curl
// commands shaped like Rust's. Realistic enough to lay out and test the UI;
// nothing here is used by the app itself.
import type {
  ApiRequestForm,
  ChallengeView,
  CheckView,
  ClaimChangeView,
  ClaimKind,
  ClaimView,
  ErrorCode,
  IpcError,
  JsonValue,
  JwtView,
  SignatureView,
} from '../lib/types';

type Obj = { [key: string]: JsonValue };

const REGISTERED: Record<string, [string, string]> = {
  name: ['Full name', "The user's full name, for display"],
  given_name: ['Given name', 'First name(s)'],
  family_name: ['Family name', 'Surname(s)'],
  preferred_username: ['Username', 'The name the user wants to be shown as; not unique, not stable'],
  email: ['Email', 'Preferred email address; not unique, not a stable identifier'],
  email_verified: ['Email verified', 'Whether the provider verified the email address'],
  picture: ['Picture', 'URL of a profile picture'],
  website: ['Website', "URL of the user's web page or blog"],
  locale: ['Locale', 'BCP 47 language tag, e.g. en-US'],
  address: ['Address', 'Postal address (a JSON object)'],
  roles: ['Roles', 'Roles granted to the user (provider-specific)'],
  groups: ['Groups', 'Groups the user belongs to (provider-specific)'],
  sub: ['Subject', "The user's stable, unique identifier at this issuer: the key to store"],
  iss: ['Issuer', "Who issued the token; must equal the profile's issuer exactly"],
  aud: ['Audience', "Who the token is for; must contain this client's id"],
  azp: ['Authorized party', 'The client the token was issued to, when there are several audiences'],
  exp: ['Expires', 'After this time the token must be refused'],
  iat: ['Issued at', 'When the token was issued'],
  nbf: ['Not before', 'Before this time the token must be refused'],
  auth_time: ['Authenticated at', 'When the user last actively signed in'],
  nonce: ['Nonce', 'Binds the ID token to this sign-in request (replay protection)'],
  amr: ['Authentication methods', 'How the user authenticated, e.g. pwd, otp, mfa'],
  at_hash: ['Access token hash', 'Binds the ID token to the access token issued with it'],
  sid: ['Session id', "The provider's session, used by logout"],
  jti: ['Token id', 'Unique identifier of this token'],
  scope: ['Scope', 'Scopes granted to the access token'],
  client_id: ['Client', 'The client the access token was issued to'],
  active: ['Active', 'Whether the provider still considers the token valid (RFC 7662)'],
  token_type: ['Token type', 'The kind of token the provider says this is (RFC 7662)'],
  username: ['Username', 'The resource owner the token was issued for, as the provider names them (RFC 7662)'],
};
const TIME_CLAIMS = ['exp', 'iat', 'nbf', 'auth_time', 'updated_at'];
const URL_CLAIMS = ['picture', 'profile', 'website', 'iss'];

export function kindOf(name: string, value: JsonValue): ClaimKind {
  const bare = name.replace(/^access_token\./, '');
  if (typeof value === 'number') return TIME_CLAIMS.includes(bare) ? 'time' : 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'list';
  if (value && typeof value === 'object') return 'object';
  if (typeof value === 'string' && URL_CLAIMS.includes(bare)) return 'url';
  if (typeof value === 'string' && bare === 'email') return 'email';
  return 'text';
}

/** Every member, labelled and explained when registered, as `claims::explain_all`. */
export function explainAll(obj: Obj): ClaimView[] {
  return Object.entries(obj).map(([name, value]) => ({
    name,
    label: REGISTERED[name]?.[0] ?? null,
    description: REGISTERED[name]?.[1] ?? null,
    value,
    kind: kindOf(name, value),
    source: 'id_token',
    differs: false,
  }));
}

const b64url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** A JWT-shaped string with a made-up signature. */
export function makeJwt(header: Obj, payload: Obj): string {
  const sig = b64url(Array.from({ length: 48 }, (_, i) => String.fromCharCode(65 + ((i * 7) % 26))).join(''));
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${sig}`;
}

/** A short hex digest-looking string, stable for a given text. */
export function fingerprint(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    h1 = Math.imul(h1 ^ text.charCodeAt(i), 16777619);
    h2 = Math.imul(h2 ^ text.charCodeAt(i), 2246822519);
  }
  return ((h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0')).slice(0, 12);
}

/** An error as Rust sends it: every field present, null where it does not apply. */
export const ipcError = (code: ErrorCode | null, message: string, fields: Partial<Omit<IpcError, 'code' | 'message'>> = {}): IpcError => ({
  code,
  message,
  redirect_uri: null,
  client_id: null,
  profile: null,
  endpoint: null,
  ...fields,
});

const fail = (message: string): IpcError => ipcError(null, message);

function decodePart(part: string, which: string): Obj {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw fail(`the ${which} is not valid base64url: Invalid symbol ${part.search(/[^A-Za-z0-9_-]/)}`);
  let text: string;
  try {
    const bin = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    text = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    throw fail(`the ${which} is not valid base64url: Invalid padding`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail(`the ${which} is not valid JSON: expected value at line 1 column 1`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw fail(`the ${which} is JSON but not an object`);
  return value as Obj;
}

/** Splits and parses a JWT, failing as `decode_pasted` does. */
export function decodeJwt(token: string): JwtView {
  const t = token.trim();
  if (!t) throw fail('the token is empty');
  const parts = t.split('.');
  if (parts.length === 5) throw fail('this is an encrypted JWT (JWE, 5 parts); Tessera can only decode signed JWTs (3 parts)');
  if (parts.length !== 3) throw fail(`a JWT has 3 dot-separated parts (header.payload.signature); this has ${parts.length}`);
  const header = decodePart(parts[0], 'header');
  if (typeof header.alg !== 'string') throw fail('the header has no `alg` string');
  const payload = decodePart(parts[1], 'payload');
  return { header, payload, claims: explainAll(payload), signature: null, checks: [], valid: false, checked_against: null };
}

export const check = (id: string, name: string, passed: boolean, detail: string, expected: string | null = null, found: string | null = null): CheckView => ({
  id,
  name,
  passed,
  warning: false,
  detail,
  expected,
  found,
});

/** The demo provider's keys. */
export const KEYS = [
  { kid: 'demo-rsa-1', kty: 'RSA', alg: 'RS256', use: 'sig', size: '2048 bits', describe: 'RSA 2048' },
  { kid: 'demo-ec-1', kty: 'EC', alg: 'ES256', use: 'sig', size: 'P-256', describe: 'EC P-256' },
];

function ago(now: number, at: number): string {
  const d = at - now;
  const abs = Math.abs(d);
  const text = abs < 60 ? `${abs} s` : `${Math.floor(abs / 60)} min`;
  return d >= 0 ? `in ${text}` : `${text} ago`;
}

/** The signature and time checks a verified JWT gets, with the key found by kid. */
export function verifyWith(
  jwt: JwtView,
  keys: { kid: string; alg: string; describe: string }[],
  now: number,
  expect: { issuer?: string; audience?: string; noun: string },
): JwtView {
  const header = jwt.header as Obj;
  const p = jwt.payload as Obj;
  const alg = String(header.alg);
  const kid = typeof header.kid === 'string' ? header.kid : null;
  const checks: CheckView[] = [];
  const algOk = alg !== 'none' && /^(RS|PS|ES)(256|384|512)$|^EdDSA$/.test(alg);
  checks.push(
    algOk
      ? check('alg', 'Algorithm', true, `${alg} is allowed`)
      : check('alg', 'Algorithm', false, alg === 'none' ? `${expect.noun} is unsigned (alg "none"), which Tessera refuses` : `${expect.noun} algorithm ${alg} is not supported`, 'RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA', alg),
  );
  const key = keys.find((k) => k.kid === kid);
  let signature: SignatureView;
  if (!algOk) {
    signature = { verified: false, alg, kid, key: null, detail: `${expect.noun} signature not checked: its algorithm is refused` };
  } else if (!key) {
    signature = { verified: false, alg, kid, key: null, detail: kid ? `no key in the JWKS has the ${expect.noun}'s kid "${kid}"` : `the ${expect.noun} has no kid and the JWKS holds no key for ${alg}` };
  } else {
    signature = { verified: true, alg, kid, key: key.describe, detail: `verified with key ${key.kid} (${alg}, ${key.describe})` };
  }
  checks.push(
    signature.verified
      ? check('signature', 'Signature', true, signature.detail, `a valid ${alg} signature`, `key ${kid}`)
      : check('signature', 'Signature', false, signature.detail),
  );
  if (expect.issuer !== undefined) {
    const iss = typeof p.iss === 'string' ? p.iss : null;
    checks.push(
      iss === expect.issuer
        ? check('issuer', 'Issuer', true, `iss is ${iss}`)
        : check('issuer', 'Issuer', false, iss ? `${expect.noun} was issued by ${iss}, not by this profile's issuer` : `${expect.noun} has no iss claim`, expect.issuer, iss),
    );
  }
  if (expect.audience !== undefined) {
    const aud = Array.isArray(p.aud) ? p.aud.map(String) : typeof p.aud === 'string' ? [p.aud] : [];
    checks.push(
      aud.includes(expect.audience)
        ? check('audience', 'Audience', true, `aud contains client_id ${expect.audience}`)
        : check('audience', 'Audience', false, `${expect.noun} is not meant for this client`, expect.audience, aud.join(', ') || null),
    );
  }
  if (typeof p.exp === 'number') {
    checks.push(
      now < p.exp + 60
        ? check('expiry', 'Expiry', true, `expires ${ago(now, p.exp)}`)
        : check('expiry', 'Expiry', false, `${expect.noun} expired ${ago(now, p.exp)}`, `after ${now - 60}`, String(p.exp)),
    );
  }
  if (typeof p.iat === 'number') checks.push(check('issued_at', 'Issued at', p.iat <= now + 60, `issued ${ago(now, p.iat)}`));
  if (typeof p.nbf === 'number') checks.push(check('not_before', 'Not before', p.nbf <= now + 60, `valid since ${ago(now, p.nbf)}`));
  return { ...jwt, signature, checks, valid: checks.every((c) => c.passed) };
}

/** What differs between two snapshots, as `claims::diff`. */
export function diffSnapshots(a: Obj, b: Obj): ClaimChangeView[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: ClaimChangeView[] = [];
  for (const name of names) {
    const before = a[name] ?? null;
    const after = b[name] ?? null;
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    const bare = name.replace(/^access_token\./, '');
    out.push({
      name,
      label: REGISTERED[bare]?.[0] ?? null,
      kind: !(name in a) ? 'added' : !(name in b) ? 'removed' : 'changed',
      value_kind: kindOf(name, after ?? before),
      before,
      after,
    });
  }
  return out;
}

const shellQuote = (s: string) => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The request's URL with its enabled query rows, or the engine's error for a bad URL. */
export function requestUrl(r: ApiRequestForm): URL {
  let url: URL;
  try {
    url = new URL(r.url.trim());
    if (!/^https?:$/.test(url.protocol)) throw new Error('unsupported scheme');
  } catch (e) {
    const reason = r.url.trim() ? (e instanceof Error && e.message === 'unsupported scheme' ? 'unsupported scheme' : 'relative URL without a base') : 'empty host';
    throw fail(`the URL is not valid (${reason}); write it in full, e.g. https://api.example.com/me`);
  }
  for (const q of r.query) if (q.enabled && q.name.trim()) url.searchParams.append(q.name.trim(), q.value);
  return url;
}

function requestBody(r: ApiRequestForm): { type: string; text: string } | null {
  if (r.body_kind === 'json') {
    try {
      JSON.parse(r.body);
    } catch {
      throw fail('the JSON body is not valid JSON (line 1, column 1); fix it or send it as raw text');
    }
    return { type: 'application/json', text: r.body };
  }
  if (r.body_kind === 'form') {
    const p = new URLSearchParams();
    for (const f of r.form) if (f.enabled && f.name.trim()) p.append(f.name.trim(), f.value);
    return { type: 'application/x-www-form-urlencoded', text: p.toString() };
  }
  if (r.body_kind === 'raw') return { type: r.content_type.trim() || 'text/plain', text: r.body };
  return null;
}

/**
 * The command `curl_command` writes: the token fetched by `tessera token`, or
 * inline. A DPoP profile's token goes with the DPoP scheme and a proof for
 * this method and URL (`tessera dpop-proof`, or one made now when inline).
 */
export function curlCommand(
  r: ApiRequestForm,
  token: { profile: string; dpop?: boolean } | { inline: string; proof?: string | null },
): string {
  const method = r.method.trim().toUpperCase();
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(method))
    throw fail(`unknown HTTP method "${r.method}"; use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS`);
  const url = requestUrl(r);
  const first = ['curl', ...(method === 'GET' ? [] : method === 'HEAD' ? ['--head'] : ['-X', method]), shellQuote(url.toString())];
  const lines = [first.join(' ')];
  const headers = r.headers.filter((h) => h.enabled && h.name.trim());
  const userAuth = headers.some((h) => h.name.trim().toLowerCase() === 'authorization');
  if (!userAuth) {
    if ('profile' in token) {
      const profile = shellQuote(token.profile);
      lines.push(`-H "Authorization: ${token.dpop ? 'DPoP' : 'Bearer'} $(tessera token --profile ${profile})"`);
      if (token.dpop) lines.push(`-H "DPoP: $(tessera dpop-proof --profile ${profile} ${method} ${shellQuote(url.toString())})"`);
    } else {
      lines.push(`-H ${shellQuote(`Authorization: ${token.proof ? 'DPoP' : 'Bearer'} ${token.inline}`)}`);
      if (token.proof) lines.push(`-H ${shellQuote(`DPoP: ${token.proof}`)}`);
    }
  }
  const body = requestBody(r);
  if (body && !headers.some((h) => h.name.trim().toLowerCase() === 'content-type')) lines.push(`-H ${shellQuote(`Content-Type: ${body.type}`)}`);
  for (const h of headers) lines.push(`-H ${shellQuote(`${h.name.trim()}: ${h.value}`)}`);
  if (body) lines.push(`--data-raw ${shellQuote(body.text)}`);
  return lines.join(' \\\n  ');
}

/** Why a request may not be saved, as `check_no_credentials`. */
export function credentialIn(r: ApiRequestForm): string | null {
  const jwt = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/;
  for (const h of r.headers) {
    if (['authorization', 'proxy-authorization', 'cookie', 'dpop', 'x-api-key'].includes(h.name.trim().toLowerCase())) return 'Authorization, Cookie or API-key header';
    if (jwt.test(h.value)) return 'JWT in a header';
  }
  const texts = [r.url, r.body, ...r.query.map((q) => q.value), ...r.form.map((f) => f.value)];
  if (texts.some((t) => jwt.test(t))) return 'JWT in the URL, query or body';
  return null;
}

export type DemoResponse = {
  status: number;
  statusText: string;
  headers: { name: string; value: string }[];
  body: string;
  isJson: boolean;
  challenge: ChallengeView | null;
};

const json = (status: number, statusText: string, value: JsonValue, extra: { name: string; value: string }[] = []): DemoResponse => ({
  status,
  statusText,
  headers: [
    { name: 'content-type', value: 'application/json' },
    { name: 'date', value: new Date().toUTCString() },
    ...extra,
  ],
  body: JSON.stringify(value, null, 2),
  isJson: true,
  challenge: null,
});

/** The demo API of ./dev/demo: /api/me answers, /api/admin needs a role, /api/expired says the token is stale. */
export function demoApi(method: string, url: URL, claims: Obj, tokenValid: boolean): DemoResponse {
  const path = url.pathname.replace(/\/+$/, '');
  // Every 401 names the demo API's protected resource metadata (RFC 9728 §5.1), as the local provider's does.
  const bearer = (error: string, description: string, scope: string | null, advice: string, unauthorized = false): ChallengeView => ({
    scheme: 'Bearer',
    realm: 'demo',
    resource_metadata: unauthorized ? `${url.origin}/.well-known/oauth-protected-resource/api` : null,
    error,
    error_description: description,
    scope,
    advice,
  });
  if (!tokenValid || path.endsWith('/api/expired')) {
    const challenge = bearer(
      'invalid_token',
      'the access token expired',
      null,
      'The API refused the access token (expired, revoked or not meant for it). Refreshing gets a new one; if that fails, sign in again.',
      true,
    );
    const header = `Bearer realm="demo", resource_metadata="${challenge.resource_metadata}", error="invalid_token", error_description="the access token expired"`;
    return { ...json(401, 'Unauthorized', { error: 'invalid_token', error_description: 'the access token expired' }, [{ name: 'www-authenticate', value: header }]), challenge };
  }
  if (path.endsWith('/api/me')) return json(200, 'OK', { ...claims, method, query: Object.fromEntries(url.searchParams) });
  if (path.endsWith('/api/admin')) {
    const description = "requires the role 'admin'";
    const header = `Bearer realm="demo", error="insufficient_scope", error_description="${description}", scope="admin"`;
    return {
      ...json(403, 'Forbidden', { error: 'insufficient_scope', error_description: description }, [{ name: 'www-authenticate', value: header }]),
      challenge: bearer(
        'insufficient_scope',
        description,
        'admin',
        'The token is valid but lacks what the API needs. Ask for the scope or role named here (edit the profile’s scopes and sign in again, or get the role at the provider).',
      ),
    };
  }
  if (path.endsWith('/api/big')) {
    const items = Array.from({ length: 4000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b', 'c'] }));
    return json(200, 'OK', { items });
  }
  return {
    status: 404,
    statusText: 'Not Found',
    headers: [{ name: 'content-type', value: 'text/plain; charset=utf-8' }],
    body: `no route for ${method} ${url.pathname}\n`,
    isJson: false,
    challenge: null,
  };
}
