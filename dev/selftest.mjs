// Smoke check of the local provider and the browser stand-in, end to end:
// starts `provider.mjs --port 0 --ephemeral --verbose`, signs in through
// `browser.mjs` to a loopback callback on a random port, and checks discovery,
// PKCE, RFC 9207 iss, the tokens and ID token claims, userinfo, the demo API,
// refresh-token rotation, introspection, revocation, consent denial, the
// browser's tamper knobs, confidential clients, ES256/EdDSA ID tokens and
// RP-initiated logout. Exits non-zero if any check fails.
//
//   node dev/selftest.mjs
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ACCESS_TOKEN_TTL = 120;
let passed = 0;
let failed = 0;

function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail !== '' ? ` (${String(detail).slice(0, 400)})` : ''}`);
}

// --- the provider ---------------------------------------------------------
const provider = spawn(process.execPath, [path.join(here, 'provider.mjs'), '--port', '0', '--ephemeral', '--exit-with-stdin', '--verbose', '--access-token-ttl', String(ACCESS_TOKEN_TTL)], { stdio: ['pipe', 'pipe', 'pipe'] });
let providerOut = '';
let providerErr = '';
provider.stderr.on('data', (d) => { providerErr += d; });
const issuer = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('the provider did not get ready in 20 s')), 20_000);
  provider.stdout.on('data', (d) => {
    providerOut += d;
    const m = /^Tessera local provider ready; issuer: (\S+)$/m.exec(providerOut);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  provider.on('exit', (code) => reject(new Error(`the provider exited (${code}): ${providerErr}`)));
});
check('ready line names an http://127.0.0.1:<port> issuer', /^http:\/\/127\.0\.0\.1:\d+$/.test(issuer), issuer);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-selftest-'));
const secrets = []; // every code, token and state seen: none may reach a log

async function getJson(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, headers: res.headers, body };
}

const form = (fields) => new URLSearchParams(fields).toString();
const post = (url, fields, headers = {}) => getJson(url, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: form(fields),
});
const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

// --- discovery --------------------------------------------------------------
const { body: meta } = await getJson(`${issuer}/.well-known/openid-configuration`);
check('discovery: issuer', meta.issuer === issuer, meta.issuer);
check('discovery: S256 and not plain', meta.code_challenge_methods_supported?.includes('S256') && !meta.code_challenge_methods_supported.includes('plain'), JSON.stringify(meta.code_challenge_methods_supported));
check('discovery: authorization_response_iss_parameter_supported', meta.authorization_response_iss_parameter_supported === true);
for (const ep of ['revocation_endpoint', 'introspection_endpoint', 'end_session_endpoint', 'userinfo_endpoint', 'token_endpoint']) {
  check(`discovery: ${ep}`, typeof meta[ep] === 'string' && meta[ep].startsWith(issuer), meta[ep]);
}
check('discovery: scopes include roles and groups', ['openid', 'profile', 'email', 'offline_access', 'roles', 'groups'].every((s) => meta.scopes_supported?.includes(s)));
check('discovery: ID token algs RS256, ES256, EdDSA', ['RS256', 'ES256', 'EdDSA'].every((a) => meta.id_token_signing_alg_values_supported?.includes(a)));
const { body: jwks } = await getJson(meta.jwks_uri);
check('jwks: three keys with kids, public parts only', jwks.keys?.length === 3 && jwks.keys.every((k) => k.kid && !k.d));

// --- helpers: PKCE, a loopback callback receiver, the browser --------------
function pkce() {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return { verifier, challenge: crypto.hash('sha256', verifier, 'base64url') };
}

function callbackServer(pathname) {
  return new Promise((resolve) => {
    let deliver;
    const received = new Promise((r) => { deliver = r; });
    const server = http.createServer((req, res) => {
      const u = new URL(req.url, 'http://127.0.0.1');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Signed in to Tessera</title><p>You can close this window.');
      if (u.pathname === pathname) deliver(u.searchParams);
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, received, port: server.address().port }));
  });
}

function runBrowser(url, env = {}) {
  const logFile = path.join(tmp, `browser-${crypto.randomUUID()}.log`);
  const child = spawn(process.execPath, [path.join(here, 'browser.mjs'), '--log', logFile, url], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  return { exited, log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''), output: () => output };
}

async function authorize({ clientId = 'tessera', scope = 'openid profile email', env = {} } = {}) {
  const cb = await callbackServer('/callback');
  const redirectUri = `http://127.0.0.1:${cb.port}/callback`;
  const { verifier, challenge } = pkce();
  const state = crypto.randomBytes(16).toString('base64url');
  const nonce = crypto.randomBytes(16).toString('base64url');
  secrets.push(state);
  const url = new URL(meta.authorization_endpoint);
  url.search = form({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, state, nonce, code_challenge: challenge, code_challenge_method: 'S256' });
  const browser = runBrowser(url.toString(), env);
  const timeout = new Promise((r) => setTimeout(() => r('timeout'), 20_000));
  const params = await Promise.race([cb.received, timeout, browser.exited.then(() => timeout)]);
  const exit = await Promise.race([browser.exited, timeout]);
  cb.server.close();
  const p = params === 'timeout' ? new URLSearchParams() : params;
  if (p.get('code')) secrets.push(p.get('code'));
  return { params: p, state, nonce, verifier, redirectUri, exit, log: browser.log(), output: browser.output() };
}

function decodeJwt(jwt) {
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const payload = JSON.parse(Buffer.from(p, 'base64url'));
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  let valid = false;
  if (jwk) {
    const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
    const data = Buffer.from(`${h}.${p}`);
    const sig = Buffer.from(s, 'base64url');
    if (header.alg === 'RS256') valid = crypto.verify('sha256', data, key, sig);
    else if (header.alg === 'ES256') valid = crypto.verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
    else if (header.alg === 'EdDSA') valid = crypto.verify(null, data, key, sig);
  }
  return { header, payload, valid };
}

async function exchange(auth, clientAuth = { client_id: 'tessera' }, headers = {}) {
  const res = await post(meta.token_endpoint, {
    grant_type: 'authorization_code', code: auth.params.get('code'), redirect_uri: auth.redirectUri, code_verifier: auth.verifier, ...clientAuth,
  }, headers);
  for (const k of ['access_token', 'refresh_token', 'id_token']) if (res.body?.[k]) secrets.push(res.body[k]);
  return res;
}

// --- a public client's sign-in ---------------------------------------------
const a = await authorize();
check('browser: exits 0 after the callback', a.exit === 0, `exit ${a.exit}; ${a.log}`);
check('browser: writes nothing to stdout or stderr', a.output === '', a.output);
check('callback: code, state, iss', a.params.get('code') && a.params.get('state') === a.state && a.params.get('iss') === issuer, [...a.params.keys()].join(','));
check('browser log: login form, consent, callback', /submit: login form/.test(a.log) && /submit: consent: allow/.test(a.log) && /\/callback\?code&state&iss -> 200/.test(a.log), a.log);
const t = await exchange(a);
check('token: 200 with access, refresh and ID token', t.status === 200 && t.body.access_token && t.body.refresh_token && t.body.id_token, JSON.stringify(t.body));
check(`token: expires_in is the --access-token-ttl (${ACCESS_TOKEN_TTL})`, t.body.expires_in > ACCESS_TOKEN_TTL - 5 && t.body.expires_in <= ACCESS_TOKEN_TTL, t.body.expires_in);
const id = decodeJwt(t.body.id_token);
check('ID token: RS256 signature verifies', id.header.alg === 'RS256' && id.valid, JSON.stringify(id.header));
check('ID token: iss, aud, nonce, sub', id.payload.iss === issuer && id.payload.aud === 'tessera' && id.payload.nonce === a.nonce && id.payload.sub === 'demo-user-0001');
check('ID token: roles, groups, email, name', JSON.stringify(id.payload.roles) === '["viewer","developer"]'
  && JSON.stringify(id.payload.groups) === '["tessera-demo","engineering"]' && id.payload.email === 'demo@example.com' && id.payload.name === 'Dana Demo', JSON.stringify(id.payload));
check('ID token: picture on the issuer', id.payload.picture === `${issuer}/static/demo-avatar.svg`);
const avatar = await fetch(id.payload.picture);
check('avatar: served as SVG', avatar.status === 200 && avatar.headers.get('content-type').startsWith('image/svg+xml'));
const bearer = { authorization: `Bearer ${t.body.access_token}` };
const ui = await getJson(meta.userinfo_endpoint, { headers: bearer });
check('userinfo: the demo user with roles', ui.status === 200 && ui.body.sub === 'demo-user-0001' && ui.body.roles?.includes('developer') && ui.body.email_verified === true, JSON.stringify(ui.body));
const me = await getJson(`${issuer}/api/me`, { headers: bearer });
check('api/me: 200 with sub, client_id, scope, iat, exp, claims', me.status === 200 && me.body.sub === 'demo-user-0001' && me.body.client_id === 'tessera'
  && me.body.scope.includes('email') && me.body.iat && me.body.exp && me.body.claims?.groups?.includes('engineering') && me.body.claims.email === 'demo@example.com', JSON.stringify(me.body));
const admin = await getJson(`${issuer}/api/admin`, { headers: bearer });
check('api/admin: 403 insufficient_scope challenge', admin.status === 403
  && admin.headers.get('www-authenticate') === 'Bearer realm="tessera-demo", error="insufficient_scope", error_description="requires role admin"'
  && admin.body.error === 'insufficient_role' && admin.body.reason === "GET /api/admin requires the role 'admin'; demo has roles viewer, developer", `${admin.headers.get('www-authenticate')} ${JSON.stringify(admin.body)}`);
const none = await getJson(`${issuer}/api/me`);
check('api/me without a token: 401 with a Bearer challenge', none.status === 401 && none.headers.get('www-authenticate')?.startsWith('Bearer realm="tessera-demo"'));
const bogus = await getJson(`${issuer}/api/me`, { headers: { authorization: 'Bearer not-a-real-token' } });
check('api/me with an unknown token: 401 invalid_token, token not echoed', bogus.status === 401 && bogus.headers.get('www-authenticate').includes('error="invalid_token"')
  && !bogus.headers.get('www-authenticate').includes('not-a-real-token') && !JSON.stringify(bogus.body).includes('not-a-real-token'));

const intro = await post(meta.introspection_endpoint, { token: t.body.access_token, client_id: 'tessera' });
check('introspection by the public client: active', intro.status === 200 && intro.body.active === true && intro.body.client_id === 'tessera' && intro.body.sub === 'demo-user-0001', JSON.stringify(intro.body));

const r1 = await post(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: t.body.refresh_token, client_id: 'tessera' });
if (r1.body?.refresh_token) secrets.push(r1.body.refresh_token, r1.body.access_token);
check('refresh: a new access and refresh token', r1.status === 200 && r1.body.refresh_token && r1.body.refresh_token !== t.body.refresh_token && r1.body.access_token !== t.body.access_token, JSON.stringify(r1.body));
const meAfter = await getJson(`${issuer}/api/me`, { headers: { authorization: `Bearer ${r1.body.access_token}` } });
check('api/me accepts the refreshed access token', meAfter.status === 200);
const old = await post(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: t.body.refresh_token, client_id: 'tessera' });
check('refresh: the old refresh token is rejected (invalid_grant)', old.status === 400 && old.body.error === 'invalid_grant', JSON.stringify(old.body));

// --- revocation -------------------------------------------------------------
const b = await authorize();
const tb = await exchange(b);
const rev = await post(meta.revocation_endpoint, { token: tb.body.refresh_token, token_type_hint: 'refresh_token', client_id: 'tessera' });
check('revocation: 200', rev.status === 200, rev.status);
const afterRev = await post(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: tb.body.refresh_token, client_id: 'tessera' });
check('revocation: the refresh token no longer refreshes', afterRev.status === 400 && afterRev.body.error === 'invalid_grant', JSON.stringify(afterRev.body));
const meRev = await getJson(`${issuer}/api/me`, { headers: { authorization: `Bearer ${tb.body.access_token}` } });
check('revocation: the grant\'s access token is refused by the demo API', meRev.status === 401, meRev.status);

// --- the demo API drops one access token; the grant lives on ------------------
const f = await authorize();
const tf = await exchange(f);
const forget = await fetch(`${issuer}/api/forget`, { method: 'POST', headers: { authorization: `Bearer ${tf.body.access_token}` } });
check('api/forget: 204', forget.status === 204, forget.status);
const meForgot = await getJson(`${issuer}/api/me`, { headers: { authorization: `Bearer ${tf.body.access_token}` } });
check('api/forget: the dropped access token gets 401 invalid_token', meForgot.status === 401
  && meForgot.headers.get('www-authenticate')?.includes('error="invalid_token"'), meForgot.status);
const rf = await post(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: tf.body.refresh_token, client_id: 'tessera' });
if (rf.body?.refresh_token) secrets.push(rf.body.refresh_token, rf.body.access_token);
check('api/forget: the refresh token still refreshes, and the new access token works', rf.status === 200
  && (await getJson(`${issuer}/api/me`, { headers: { authorization: `Bearer ${rf.body.access_token}` } })).status === 200, JSON.stringify(rf.body));
const forgetGet = await getJson(`${issuer}/api/forget`, { headers: { authorization: `Bearer ${rf.body.access_token}` } });
check('api/forget: only POST (405)', forgetGet.status === 405, forgetGet.status);

// --- denial and the browser's knobs ------------------------------------------
const d = await authorize({ env: { BROWSER_CONSENT: 'deny' } });
check('consent denied: error=access_denied with state and iss', d.params.get('error') === 'access_denied' && d.params.get('state') === d.state && d.params.get('iss') === issuer && !d.params.has('code'), [...d.params].map(([k]) => k).join(','));
const ts = await authorize({ env: { BROWSER_TAMPER_STATE: '1' } });
check('BROWSER_TAMPER_STATE=1: state is "tampered-state"', ts.params.get('state') === 'tampered-state' && ts.params.get('code'));
const di = await authorize({ env: { BROWSER_DROP_ISS: '1' } });
check('BROWSER_DROP_ISS=1: no iss', di.params.get('code') && !di.params.has('iss'));
const si = await authorize({ env: { BROWSER_SET_ISS: 'https://attacker.example' } });
check('BROWSER_SET_ISS: iss replaced', si.params.get('iss') === 'https://attacker.example' && si.params.get('code'));
const wrong = await authorize({ env: { BROWSER_PASSWORD: 'nope' } });
check('wrong password: the form comes back with an error, no callback', !wrong.params.has('code') && wrong.exit === 0 && /login refused/.test(wrong.log), wrong.log);
const idleLog = path.join(tmp, 'idle.log');
const idle = spawn(process.execPath, [path.join(here, 'browser.mjs'), '--log', idleLog, `${issuer}/never`], { env: { ...process.env, BROWSER_MODE: 'idle' } });
const idleExit = await new Promise((r) => idle.on('exit', r));
check('BROWSER_MODE=idle: exits 0 without a request', idleExit === 0 && !/GET /.test(fs.readFileSync(idleLog, 'utf8')));

// --- PKCE and redirect rules ------------------------------------------------
async function authorizationError(fields) {
  const url = new URL(meta.authorization_endpoint);
  url.search = form({ response_type: 'code', client_id: 'tessera', redirect_uri: 'http://127.0.0.1:5555/callback', scope: 'openid', state: 's', ...fields });
  const res = await fetch(url, { redirect: 'manual' });
  const loc = res.headers.get('location');
  return { status: res.status, error: loc ? new URL(loc).searchParams.get('error') : undefined };
}
const noPkce = await authorizationError({});
check('PKCE required: no code_challenge is refused', noPkce.error === 'invalid_request', JSON.stringify(noPkce));
const plain = await authorizationError({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
check('PKCE plain is refused', plain.error === 'invalid_request', JSON.stringify(plain));
const badRedirect = await authorizationError({ redirect_uri: 'http://127.0.0.1:5555/elsewhere', code_challenge: pkce().challenge, code_challenge_method: 'S256' });
check('an unregistered redirect path is refused without redirecting', badRedirect.status === 400 && !badRedirect.error, JSON.stringify(badRedirect));

// --- confidential clients, ES256 and EdDSA ----------------------------------
const cb1 = await authorize({ clientId: 'tessera-confidential' });
const tc1 = await exchange(cb1, {}, { authorization: basic('tessera-confidential', 'tessera-demo-secret') });
check('tessera-confidential: client_secret_basic', tc1.status === 200 && decodeJwt(tc1.body.id_token).payload.aud === 'tessera-confidential' && tc1.body.refresh_token, JSON.stringify(tc1.body));
const cr1 = await post(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: tc1.body.refresh_token }, { authorization: basic('tessera-confidential', 'tessera-demo-secret') });
check('tessera-confidential: refresh with basic', cr1.status === 200 && cr1.body.refresh_token, JSON.stringify(cr1.body));
// (oidc-provider treats client_secret_basic and client_secret_post as interchangeable.)
const cnone = await post(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: cr1.body.refresh_token, client_id: 'tessera-confidential' });
check('tessera-confidential: no secret is refused (invalid_client)', cnone.status === 401 && cnone.body.error === 'invalid_client', JSON.stringify(cnone.body));
const cbad = await post(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: cr1.body.refresh_token }, { authorization: basic('tessera-confidential', 'wrong-secret') });
check('tessera-confidential: a wrong secret is refused (invalid_client)', cbad.status === 401 && cbad.body.error === 'invalid_client', JSON.stringify(cbad.body));
const cb2 = await authorize({ clientId: 'tessera-confidential-post' });
const tc2 = await exchange(cb2, { client_id: 'tessera-confidential-post', client_secret: 'tessera-demo-secret' });
check('tessera-confidential-post: client_secret_post', tc2.status === 200 && decodeJwt(tc2.body.id_token).payload.aud === 'tessera-confidential-post' && tc2.body.refresh_token, JSON.stringify(tc2.body));
const cintro = await post(meta.introspection_endpoint, { token: t.body.refresh_token, client_id: 'tessera-confidential-post', client_secret: 'tessera-demo-secret' });
check('introspection: a consumed refresh token is inactive', cintro.status === 200 && cintro.body.active === false, JSON.stringify(cintro.body));
for (const [clientId, alg] of [['tessera-es256', 'ES256'], ['tessera-eddsa', 'EdDSA']]) {
  const x = await authorize({ clientId });
  const tx = await exchange(x, { client_id: clientId });
  const jwt = tx.body.id_token ? decodeJwt(tx.body.id_token) : {};
  check(`${clientId}: ${alg} ID token verifies`, jwt.header?.alg === alg && jwt.valid && jwt.payload.aud === clientId, JSON.stringify(jwt.header));
}

// --- RP-initiated logout ----------------------------------------------------
const lo = await callbackServer('/logged-out');
const logoutUrl = new URL(meta.end_session_endpoint);
logoutUrl.search = form({ id_token_hint: t.body.id_token, post_logout_redirect_uri: `http://127.0.0.1:${lo.port}/logged-out`, state: 'bye' });
const lb = runBrowser(logoutUrl.toString());
const loParams = await Promise.race([lo.received, new Promise((r) => setTimeout(() => r(undefined), 15_000))]);
await lb.exited;
lo.server.close();
check('end session: back at post_logout_redirect_uri with state', loParams?.get('state') === 'bye', lb.log());

// --- nothing secret in the logs ---------------------------------------------
const logs = fs.readdirSync(tmp).map((f) => fs.readFileSync(path.join(tmp, f), 'utf8')).join('\n');
const leaked = secrets.filter((s) => s && (logs.includes(s) || providerErr.includes(s)));
check('no code, state or token in the browser logs or the provider\'s --verbose log', leaked.length === 0 && /GET \/auth 303/.test(providerErr), `${leaked.length} leaked`);

provider.stdin.end();
const providerExit = await Promise.race([new Promise((r) => provider.on('exit', r)), new Promise((r) => setTimeout(() => r('still running'), 5000))]);
check('--exit-with-stdin: the provider stops when stdin closes', providerExit === 0, providerExit);
fs.rmSync(tmp, { recursive: true, force: true });

console.log(`selftest: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
