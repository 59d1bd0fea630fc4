// Smoke check of the local provider and the browser stand-in, end to end:
// starts `provider.mjs --port 0 --ephemeral --verbose`, signs in through
// `browser.mjs` to a loopback callback on a random port, and checks discovery,
// PKCE, RFC 9207 iss, the tokens and ID token claims, userinfo, the demo API
// (and its challenges naming its RFC 9728 metadata), refresh-token rotation,
// introspection, revocation, consent denial, the browser's tamper knobs,
// confidential clients, ES256/EdDSA ID tokens and RP-initiated logout; then
// the device flow (approve, deny, slow_down, the poll log, expired_token),
// client credentials with a resource indicator, token exchange,
// client_secret_jwt, private_key_jwt with registered and static keys, the
// demo API's resource metadata, a registered native client managed by RFC
// 7592 (read, update, sign-in, refresh, delete), the /dev/rs and /dev/as test
// cases, the /dev/bad provider, and mutual TLS, on two more providers started
// with the flags they need. Then FAPI 2.0 mode, on four --fapi providers, with a hand-written
// client: registration (and what it refuses), PAR with private_key_jwt and
// DPoP (nonce retries at PAR, token and userinfo), the sign-in with
// request_uri, DPoP tokens and refresh, the DPoP demo API (its nonce, replay,
// htu, htm, ath, iat and key checks, in both modes), JAR, JARM (and
// BROWSER_TAMPER_RESPONSE), the static and mTLS clients, and each test
// switch. Exits non-zero if any check fails.
//
//   node dev/selftest.mjs
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
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

// --- the providers ----------------------------------------------------------
// Starts `provider.mjs --port 0 --ephemeral --exit-with-stdin` with more
// flags. Several start at once and are awaited much later, so the time limit
// runs from the await (`ready`), not from the spawn: on a busy machine a
// provider may take a while to start while the checks before it run.
const providers = [];
// Where a provider that does not start writes Node's diagnostic report (its
// JavaScript and native stacks) when ready() gives up on it.
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-selftest-reports-'));
function startProvider(flags) {
  const p = { flags };
  providers.push(p);
  launch(p);
  return p;
}

// (Re)starts p's process; p keeps its identity, so whoever holds p sees the
// new child, output and promises.
function launch(p) {
  const report = ['--report-on-signal', '--report-signal=SIGUSR2', `--report-directory=${reports}`];
  const child = spawn(process.execPath, [...report, path.join(here, 'provider.mjs'), '--port', '0', '--ephemeral', '--exit-with-stdin', ...p.flags], { stdio: ['pipe', 'pipe', 'pipe'] });
  Object.assign(p, { child, out: '', err: '', spawnedAt: Date.now() });
  child.stderr.on('data', (d) => { if (p.child === child) p.err += d; });
  p.exited = new Promise((r) => child.on('exit', (code) => r(code)));
  p.started = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      if (p.child !== child) return;
      p.out += d;
      // Whole lines only: a chunk may end inside the issuer.
      const m = /^Tessera local provider ready; issuer: (\S+)\n/m.exec(p.out);
      if (m && !p.issuer) {
        p.issuer = m[1];
        p.readyAfterMs = Date.now() - p.spawnedAt;
        resolve(p);
      }
    });
    child.on('exit', (code) => reject(new Error(`the provider (${p.flags.join(' ')}) exited (${code}): ${p.err}`)));
  });
  p.started.catch(() => {}); // reported by ready()
}

// The started provider. One that has not started 30 s from now is asked
// where it is stuck, stopped and started once more, with a line saying so
// (a start takes about a second; a provider has been seen, rarely and only
// in a full CI run, to hang before its ready line). One that does not start
// the second time either, in 60 s, fails the run with its output and stacks.
const READY_LIMIT_MS = [30_000, 60_000];
function ready(p, attempt = 0) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(async () => {
      const stuck = await stackOf(p);
      p.child.kill();
      reject(Object.assign(new Error(`the provider (${p.flags.join(' ')}) did not get ready: ${Math.round((Date.now() - p.spawnedAt) / 1000)} s since it was started; its stdout: ${JSON.stringify(p.out)}; its stderr: ${JSON.stringify(p.err)}; where it was: ${stuck}`), { timedOut: true }));
    }, READY_LIMIT_MS[attempt]);
  });
  return Promise.race([p.started, limit]).finally(() => clearTimeout(timer)).catch((err) => {
    if (!err.timedOut || attempt + 1 >= READY_LIMIT_MS.length) throw err;
    console.log(`note ${err.message}; starting it again`);
    launch(p);
    return ready(p, attempt + 1);
  });
}

// Where a provider is stuck: asks it for Node's diagnostic report (SIGUSR2)
// and returns the top of its JavaScript and native stacks.
async function stackOf(p) {
  p.child.kill('SIGUSR2');
  for (let i = 0; i < 30; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    const file = fs.readdirSync(reports).find((f) => f.includes(`.${p.child.pid}.`));
    if (!file) continue;
    try {
      const report = JSON.parse(fs.readFileSync(path.join(reports, file), 'utf8'));
      const js = report.javascriptStack?.stack?.slice(0, 8).join(' | ') ?? 'none';
      const native = report.nativeStack?.slice(0, 12).map((f) => f.symbol).join(' | ') ?? 'none';
      return `JavaScript: ${js}; native: ${native}`;
    } catch {
      // Still being written.
    }
  }
  return 'no diagnostic report within 3 s';
}

// However the run ends, no provider outlives it.
process.on('exit', () => {
  for (const p of providers) if (p.child.exitCode === null) p.child.kill();
  fs.rmSync(reports, { recursive: true, force: true });
});

const main = startProvider(['--verbose', '--access-token-ttl', String(ACCESS_TOKEN_TTL)]);
const { issuer } = await ready(main);
check('ready line names an http://127.0.0.1:<port> issuer', /^http:\/\/127\.0\.0\.1:\d+$/.test(issuer), issuer);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-selftest-'));
const secrets = []; // every code, token and state seen: none may reach a log

// Two more providers, started now and used further down: one with the device
// flow's test switches, mutual TLS and a static private_key_jwt client, one
// whose device codes expire after 2 s.
const staticKey = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const staticJwks = path.join(tmp, 'client-jwks.json');
fs.writeFileSync(staticJwks, JSON.stringify({ keys: [{ ...staticKey.publicKey.export({ format: 'jwk' }), kid: 'static-es256', alg: 'ES256', use: 'sig' }] }));
const DEVICE_INTERVAL = 1;
const second = startProvider(['--verbose', '--device-interval', String(DEVICE_INTERVAL), '--device-slow-down', '--mtls-port', '0', '--client-jwks', staticJwks]);
const third = startProvider(['--device-code-ttl', '2']);
// (Awaited further down; a failed start fails the run there.)
// And four in FAPI 2.0 mode: one with mTLS and the static private_key_jwt
// client, and one for each group of test switches.
const fapiOp = startProvider(['--fapi', '--verbose', '--mtls-port', '0', '--client-jwks', staticJwks]);
const fapiStrictOp = startProvider(['--fapi', '--bearer-despite-dpop', '--require-signed-request-object']);
const fapiWrongAudOp = startProvider(['--fapi', '--jarm-wrong-aud']);
const fapiExpiredOp = startProvider(['--fapi', '--jarm-expired']);

async function getJson(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, headers: res.headers, body };
}

const form = (fields) => new URLSearchParams(fields).toString();
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
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

async function authorize({ clientId = 'tessera', scope = 'openid profile email', env = {}, endpoint = meta.authorization_endpoint, extra = {} } = {}) {
  const cb = await callbackServer('/callback');
  const redirectUri = `http://127.0.0.1:${cb.port}/callback`;
  const { verifier, challenge } = pkce();
  const state = crypto.randomBytes(16).toString('base64url');
  const nonce = crypto.randomBytes(16).toString('base64url');
  secrets.push(state);
  const url = new URL(endpoint);
  url.search = form({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, state, nonce, code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  const browser = runBrowser(url.toString(), env);
  const timeout = new Promise((r) => setTimeout(() => r('timeout'), 20_000));
  // The callback arrives before the browser exits, if it arrives at all.
  const params = await Promise.race([cb.received, timeout, browser.exited.then(() => new Promise((r) => setTimeout(() => r('timeout'), 250)))]);
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

async function exchange(auth, clientAuth = { client_id: 'tessera' }, headers = {}, tokenEndpoint = meta.token_endpoint) {
  const res = await post(tokenEndpoint, {
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
// RFC 9728 §5.1: every 401 of the demo API names its resource metadata.
const resourceMetadata = `${issuer}/.well-known/oauth-protected-resource/api`;
const apiChallenge = `Bearer realm="tessera-demo", resource_metadata="${resourceMetadata}"`;
const none = await getJson(`${issuer}/api/me`);
check('api/me without a token: 401, a Bearer challenge with resource_metadata and scope, no error code', none.status === 401
  && none.headers.get('www-authenticate') === `${apiChallenge}, scope="api:read"`, none.headers.get('www-authenticate'));
const bogus = await getJson(`${issuer}/api/me`, { headers: { authorization: 'Bearer not-a-real-token' } });
check('api/me with an unknown token: 401 invalid_token with resource_metadata, token not echoed', bogus.status === 401
  && bogus.headers.get('www-authenticate') === `${apiChallenge}, error="invalid_token", error_description="the access token is unknown, expired or revoked"`
  && !JSON.stringify(bogus.body).includes('not-a-real-token'), bogus.headers.get('www-authenticate'));
for (const [method, route] of [['GET', '/api/admin'], ['POST', '/api/forget'], ['HEAD', '/api/me']]) {
  const r = await fetch(`${issuer}${route}`, { method });
  check(`${method} ${route} without a token: the same challenge`, r.status === 401 && r.headers.get('www-authenticate') === `${apiChallenge}, scope="api:read"`, r.headers.get('www-authenticate'));
}

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
  && meForgot.headers.get('www-authenticate')?.startsWith(`${apiChallenge}, error="invalid_token", error_description="`), meForgot.headers.get('www-authenticate'));
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

// === The grants added to the provider ========================================
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const TT = {
  access: 'urn:ietf:params:oauth:token-type:access_token',
  refresh: 'urn:ietf:params:oauth:token-type:refresh_token',
  id: 'urn:ietf:params:oauth:token-type:id_token',
};
const api = `${issuer}/api`;
const SERVICE = basic('tessera-service', 'tessera-demo-secret');
const ASSERTION_SECRET = 'tessera-demo-secret-for-hs256-assertions-0123456789';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const keep = (body) => {
  for (const k of ['access_token', 'refresh_token', 'id_token', 'device_code', 'user_code']) if (body?.[k]) secrets.push(body[k]);
  return body;
};
const isJwt = (s) => typeof s === 'string' && s.split('.').length === 3;
const apiMe = (token, base = issuer) => getJson(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });

// RFC 7523 client assertions, signed here with node:crypto.
function signJwt(header, payload, key) {
  const data = Buffer.from(`${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`);
  const sig = {
    HS256: () => crypto.createHmac('sha256', key).update(data).digest(),
    RS256: () => crypto.sign('sha256', data, key),
    PS256: () => crypto.sign('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
    ES256: () => crypto.sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }),
    EdDSA: () => crypto.sign(null, data, key),
    Ed25519: () => crypto.sign(null, data, key),
  }[header.alg]();
  return `${data}.${sig.toString('base64url')}`;
}
function assertion(clientId, { key, alg, kid, aud = meta.token_endpoint, jti = crypto.randomUUID() }) {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ alg, typ: 'JWT', ...(kid ? { kid } : {}) }, { iss: clientId, sub: clientId, aud, jti, iat: now, exp: now + 60 }, key);
}
const viaAssertion = (jwt) => ({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt });

// --- discovery of the new features -----------------------------------------
check('discovery: grant types include device_code, client_credentials, token exchange',
  [DEVICE_GRANT, 'client_credentials', TOKEN_EXCHANGE, 'authorization_code', 'refresh_token'].every((g) => meta.grant_types_supported?.includes(g)), JSON.stringify(meta.grant_types_supported));
check('discovery: device_authorization_endpoint and registration_endpoint',
  meta.device_authorization_endpoint === `${issuer}/device/auth` && meta.registration_endpoint === `${issuer}/reg`, `${meta.device_authorization_endpoint} ${meta.registration_endpoint}`);
check('discovery: token endpoint auth methods and assertion algorithms',
  ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'].every((m) => meta.token_endpoint_auth_methods_supported?.includes(m))
  && !meta.token_endpoint_auth_methods_supported.includes('tls_client_auth')
  && ['HS256', 'ES256', 'RS256', 'PS256', 'EdDSA'].every((a) => meta.token_endpoint_auth_signing_alg_values_supported?.includes(a)),
  `${meta.token_endpoint_auth_methods_supported} / ${meta.token_endpoint_auth_signing_alg_values_supported}`);
check('discovery: no mTLS without --mtls-port', meta.mtls_endpoint_aliases === undefined && meta.tls_client_certificate_bound_access_tokens === undefined);
check('code flow without resource: the access token is opaque as before', !isJwt(t.body.access_token) && !('aud' in me.body), t.body.access_token?.length);

// --- device authorization grant (RFC 8628), no test switches ----------------
async function deviceAuthorization(fields, { base = meta.device_authorization_endpoint, tls } = {}) {
  const res = tls
    ? await httpsForm(base, fields, tls)
    : await post(base, fields);
  keep(res.body);
  return res;
}
const da = await deviceAuthorization({ client_id: 'tessera', scope: 'openid profile email' });
check('device authorization: device_code, user_code, verification URIs, expires_in, no interval by default',
  da.status === 200 && da.body.device_code && /^[A-Z]{4}-[A-Z]{4}$/.test(da.body.user_code) && da.body.verification_uri === `${issuer}/device`
  && da.body.verification_uri_complete === `${issuer}/device?user_code=${da.body.user_code}` && da.body.expires_in === 600 && !('interval' in da.body), JSON.stringify(da.body));
const pending = await post(meta.token_endpoint, { grant_type: DEVICE_GRANT, device_code: da.body.device_code, client_id: 'tessera' });
check('device: authorization_pending before the user approves', pending.status === 400 && pending.body.error === 'authorization_pending', JSON.stringify(pending.body));
const dab = runBrowser(da.body.verification_uri_complete);
const dabExit = await dab.exited;
check('browser: approves a device code from verification_uri_complete and exits 0', dabExit === 0
  && /submit: device code: submit/.test(dab.log()) && /submit: device code: confirm/.test(dab.log()) && /submit: login form/.test(dab.log())
  && /submit: consent: allow/.test(dab.log()) && /done: 200 Device signed in/.test(dab.log()) && dab.output() === '', dab.log());
check('browser log: no user code', !dab.log().includes(da.body.user_code), dab.log());
const dt = await post(meta.token_endpoint, { grant_type: DEVICE_GRANT, device_code: da.body.device_code, client_id: 'tessera' });
keep(dt.body);
const did = dt.body.id_token ? decodeJwt(dt.body.id_token) : {};
check('device: tokens once approved (opaque access token, refresh token, ID token without nonce)', dt.status === 200 && dt.body.access_token && !isJwt(dt.body.access_token)
  && dt.body.refresh_token && did.valid && did.payload.sub === 'demo-user-0001' && did.payload.aud === 'tessera' && !('nonce' in did.payload), JSON.stringify(did.payload ?? dt.body));
check('device: the access token works at the demo API', (await apiMe(dt.body.access_token)).status === 200);
const polls1 = (await getJson(`${issuer}/dev/device-polls`)).body.polls ?? [];
const daId = crypto.hash('sha256', da.body.device_code, 'hex').slice(0, 8);
check('GET /dev/device-polls: each poll with a short code id, the time and the answer',
  JSON.stringify(polls1.filter((p) => p.code === daId).map((p) => p.answer)) === '["authorization_pending","ok"]'
  && polls1.every((p) => Number.isInteger(p.at_ms) && p.at_ms > Date.now() - 60_000) && !JSON.stringify(polls1).includes(da.body.device_code), JSON.stringify(polls1));
const notAllowed = await post(meta.device_authorization_endpoint, { client_id: 'tessera-es256', scope: 'openid' });
check('device authorization by a client without the grant: unauthorized_client', notAllowed.status === 400 && notAllowed.body.error === 'unauthorized_client', JSON.stringify(notAllowed.body));

// --- client credentials, the API resource (RFC 8707) -----------------------
const cc = await post(meta.token_endpoint, { grant_type: 'client_credentials' }, { authorization: SERVICE });
keep(cc.body);
check('client credentials (tessera-service, client_secret_basic): an opaque access token', cc.status === 200 && cc.body.access_token && !isJwt(cc.body.access_token) && cc.body.token_type === 'Bearer' && !cc.body.refresh_token, JSON.stringify(cc.body));
const ccMe = await apiMe(cc.body.access_token);
check('api/me with a client credentials token: sub and client_id the client, no scope or aud, empty claims', ccMe.status === 200
  && ccMe.body.sub === 'tessera-service' && ccMe.body.client_id === 'tessera-service' && ccMe.body.scope === null && ccMe.body.aud === null
  && ccMe.body.iat && ccMe.body.exp && JSON.stringify(ccMe.body.claims) === '{}', JSON.stringify(ccMe.body));
const ccr = await post(meta.token_endpoint, { grant_type: 'client_credentials', resource: api, scope: 'api:read' }, { authorization: SERVICE });
keep(ccr.body);
const ccrJwt = isJwt(ccr.body.access_token) ? decodeJwt(ccr.body.access_token) : {};
check('client credentials with resource=<issuer>/api: a JWT access token (at+jwt) with aud, signed by the provider', ccr.status === 200 && ccrJwt.valid
  && ccrJwt.header.typ === 'at+jwt' && ccrJwt.payload.aud === api && ccrJwt.payload.iss === issuer && ccrJwt.payload.client_id === 'tessera-service'
  && ccrJwt.payload.scope === 'api:read' && ccr.body.scope === 'api:read', JSON.stringify(ccrJwt.payload ?? ccr.body));
const ccrMe = await apiMe(ccr.body.access_token);
check('api/me accepts the resource token and shows aud', ccrMe.status === 200 && ccrMe.body.aud === api && ccrMe.body.scope === 'api:read' && ccrMe.body.client_id === 'tessera-service', JSON.stringify(ccrMe.body));
const cca = await post(meta.token_endpoint, { grant_type: 'client_credentials', audience: api }, { authorization: SERVICE });
keep(cca.body);
check('client credentials with audience=<issuer>/api: the same as resource', cca.status === 200 && isJwt(cca.body.access_token) && decodeJwt(cca.body.access_token).payload.aud === api, JSON.stringify(cca.body));
const ccBadRes = await post(meta.token_endpoint, { grant_type: 'client_credentials', resource: 'https://elsewhere.example/api' }, { authorization: SERVICE });
check('client credentials for another resource: invalid_target', ccBadRes.status === 400 && ccBadRes.body.error === 'invalid_target', JSON.stringify(ccBadRes.body));
const ccBadSecret = await post(meta.token_endpoint, { grant_type: 'client_credentials' }, { authorization: basic('tessera-service', 'wrong') });
check('client credentials with a wrong secret: invalid_client', ccBadSecret.status === 401 && ccBadSecret.body.error === 'invalid_client', JSON.stringify(ccBadSecret.body));
const ccPublic = await post(meta.token_endpoint, { grant_type: 'client_credentials', client_id: 'tessera' });
check('client credentials by a client without the grant: unauthorized_client', ccPublic.status === 400 && ccPublic.body.error === 'unauthorized_client', JSON.stringify(ccPublic.body));
const ccIntro = await post(meta.introspection_endpoint, { token: cc.body.access_token }, { authorization: SERVICE });
check('introspection of a client credentials token: active', ccIntro.body.active === true && ccIntro.body.client_id === 'tessera-service', JSON.stringify(ccIntro.body));
const ccRev = await post(meta.revocation_endpoint, { token: cc.body.access_token }, { authorization: SERVICE });
check('revocation of a client credentials token: the demo API refuses it', ccRev.status === 200 && (await apiMe(cc.body.access_token)).status === 401);
const ccrForget = await fetch(`${issuer}/api/forget`, { method: 'POST', headers: { authorization: `Bearer ${cca.body.access_token}` } });
check('api/forget drops a JWT access token too', ccrForget.status === 204 && (await apiMe(cca.body.access_token)).status === 401);

// The code flow asking for the API resource: a JWT for the API at the token endpoint.
const ra = await authorize({ scope: 'openid api:read', extra: { resource: api } });
const rt = await post(meta.token_endpoint, { grant_type: 'authorization_code', code: ra.params.get('code'), redirect_uri: ra.redirectUri, code_verifier: ra.verifier, client_id: 'tessera', resource: api });
keep(rt.body);
const rtJwt = isJwt(rt.body.access_token) ? decodeJwt(rt.body.access_token) : {};
check('code flow with resource=<issuer>/api: a JWT for the API with the user as sub', rt.status === 200 && rtJwt.valid && rtJwt.payload.aud === api
  && rtJwt.payload.sub === 'demo-user-0001' && rtJwt.payload.scope === 'api:read' && rt.body.id_token, JSON.stringify(rtJwt.payload ?? rt.body));
const rtMe = await apiMe(rt.body.access_token);
check('api/me with it: the demo user and aud', rtMe.status === 200 && rtMe.body.sub === 'demo-user-0001' && rtMe.body.aud === api && rtMe.body.claims?.sub === 'demo-user-0001', JSON.stringify(rtMe.body));
const rtRev = await post(meta.revocation_endpoint, { token: rt.body.refresh_token, client_id: 'tessera' });
check('revoking the grant ends its JWT access token at the demo API', rtRev.status === 200 && (await apiMe(rt.body.access_token)).status === 401);

// --- token exchange (RFC 8693) ------------------------------------------------
const xa = await authorize();
const xt = await exchange(xa);
const te = (fields, headers = {}) => post(meta.token_endpoint, { grant_type: TOKEN_EXCHANGE, ...fields }, headers).then((r) => { keep(r.body); return r; });
const x1 = await te({ client_id: 'tessera', subject_token: xt.body.access_token, subject_token_type: TT.access, audience: api });
check('token exchange: an access token for the API', x1.status === 200 && x1.body.issued_token_type === TT.access && x1.body.token_type === 'Bearer'
  && x1.body.expires_in > 0 && x1.body.scope === 'api:read api:write' && isJwt(x1.body.access_token), JSON.stringify(x1.body));
const x1Me = await apiMe(x1.body.access_token);
check('api/me with an exchanged token: the subject\'s sub, aud, no act', x1Me.status === 200 && x1Me.body.sub === 'demo-user-0001' && x1Me.body.client_id === 'tessera'
  && x1Me.body.aud === api && !('act' in x1Me.body), JSON.stringify(x1Me.body));
const actor = await post(meta.token_endpoint, { grant_type: 'client_credentials' }, { authorization: SERVICE });
keep(actor.body);
const x2 = await te({ subject_token: xt.body.access_token, subject_token_type: TT.access, actor_token: actor.body.access_token, actor_token_type: TT.access, resource: api, scope: 'api:read' }, { authorization: SERVICE });
const x2Me = x2.body.access_token ? await apiMe(x2.body.access_token) : {};
check('token exchange with an actor (tessera-service): act.client_id, scope narrowed', x2.status === 200 && x2.body.scope === 'api:read' && x2Me.status === 200
  && x2Me.body.sub === 'demo-user-0001' && x2Me.body.client_id === 'tessera-service' && x2Me.body.act?.client_id === 'tessera-service', JSON.stringify(x2Me.body ?? x2.body));
const x3 = await te({ client_id: 'tessera', subject_token: xt.body.access_token, subject_token_type: TT.access, actor_token: dt.body.access_token, actor_token_type: TT.access });
const x3Me = x3.body.access_token ? await apiMe(x3.body.access_token) : {};
check('token exchange with a user\'s token as actor: act.sub, and no audience means the API', x3.status === 200 && x3Me.body?.act?.sub === 'demo-user-0001' && x3Me.body.aud === api, JSON.stringify(x3Me.body ?? x3.body));
const x4 = await te({ subject_token: xt.body.refresh_token, subject_token_type: TT.refresh, audience: api }, { authorization: basic('tessera-confidential', 'tessera-demo-secret') });
check('token exchange of a refresh token by tessera-confidential', x4.status === 200 && (await apiMe(x4.body.access_token)).body.sub === 'demo-user-0001', JSON.stringify(x4.body));
const x5 = await te({ client_id: 'tessera', subject_token: xt.body.id_token, subject_token_type: TT.id });
check('token exchange of the client\'s own ID token', x5.status === 200 && (await apiMe(x5.body.access_token)).body.sub === 'demo-user-0001', JSON.stringify(x5.body));
const x6 = await te({ client_id: 'tessera-confidential-post', client_secret: 'tessera-demo-secret', subject_token: xt.body.id_token, subject_token_type: TT.id });
check('token exchange of another client\'s ID token: invalid_grant', x6.status === 400 && x6.body.error === 'invalid_grant', JSON.stringify(x6.body));
const x7 = await te({ client_id: 'tessera', subject_token: xt.body.access_token, subject_token_type: TT.access, audience: 'https://elsewhere.example' });
check('token exchange for another audience: invalid_target', x7.status === 400 && x7.body.error === 'invalid_target', JSON.stringify(x7.body));
const x7b = await te({ client_id: 'tessera', subject_token: xt.body.access_token, subject_token_type: TT.access, audience: api, resource: 'https://elsewhere.example/api' });
check('token exchange for another resource: invalid_target', x7b.status === 400 && x7b.body.error === 'invalid_target', JSON.stringify(x7b.body));
const x8 = await te({ client_id: 'tessera', subject_token: 'not-a-token', subject_token_type: TT.access });
check('token exchange of an unknown token: invalid_grant', x8.status === 400 && x8.body.error === 'invalid_grant', JSON.stringify(x8.body));
const x9 = await te({ client_id: 'tessera', subject_token: xt.body.access_token, subject_token_type: TT.access, requested_token_type: TT.id });
check('token exchange asking for an ID token: invalid_request naming it', x9.status === 400 && x9.body.error === 'invalid_request' && x9.body.error_description.includes(TT.id), JSON.stringify(x9.body));
const x10 = await te({ client_id: 'tessera-es256', subject_token: xt.body.access_token, subject_token_type: TT.access });
check('token exchange by a client without the grant: unauthorized_client', x10.status === 400 && x10.body.error === 'unauthorized_client', JSON.stringify(x10.body));
const x11 = await te({ subject_token: actor.body.access_token, subject_token_type: TT.access }, { authorization: SERVICE });
const x11Me = x11.body.access_token ? await apiMe(x11.body.access_token) : {};
check('token exchange of a client credentials token: sub is that client, empty claims', x11.status === 200 && x11Me.body?.sub === 'tessera-service' && JSON.stringify(x11Me.body.claims) === '{}', JSON.stringify(x11Me.body ?? x11.body));
// Revoking the subject's grant (exchanging its refresh token did not use it up).
await post(meta.revocation_endpoint, { token: xt.body.refresh_token, client_id: 'tessera' });
const x12 = await te({ client_id: 'tessera', subject_token: xt.body.access_token, subject_token_type: TT.access });
check('token exchange of a revoked token: invalid_grant; the tokens exchanged from it end too', x12.status === 400 && x12.body.error === 'invalid_grant'
  && (await apiMe(x1.body.access_token)).status === 401, JSON.stringify(x12.body));

// --- client_secret_jwt (RFC 7523) ---------------------------------------------
const hs = (aud, jti) => assertion('tessera-secret-jwt', { key: ASSERTION_SECRET, alg: 'HS256', aud, jti });
const j1 = await post(meta.token_endpoint, { grant_type: 'client_credentials', ...viaAssertion(hs()) });
keep(j1.body);
check('client_secret_jwt: an HS256 assertion with aud = the token endpoint', j1.status === 200 && j1.body.access_token, JSON.stringify(j1.body));
const sameJti = crypto.randomUUID();
const j2 = await post(meta.token_endpoint, { grant_type: 'client_credentials', ...viaAssertion(hs(issuer, sameJti)) });
check('client_secret_jwt: aud = the issuer', j2.status === 200, JSON.stringify(j2.body));
const j3 = await post(meta.token_endpoint, { grant_type: 'client_credentials', ...viaAssertion(hs(issuer, sameJti)) });
check('client_secret_jwt: a replayed jti is refused (invalid_client, saying why)', j3.status === 401 && j3.body.error === 'invalid_client' && /only be used once/.test(j3.body.error_description), JSON.stringify(j3.body));
const j4 = await post(meta.token_endpoint, { grant_type: 'client_credentials', ...viaAssertion(assertion('tessera-secret-jwt', { key: 'x'.repeat(48), alg: 'HS256' })) });
check('client_secret_jwt: signed with the wrong secret, invalid_client', j4.status === 401 && j4.body.error === 'invalid_client', JSON.stringify(j4.body));
const j5 = await post(meta.introspection_endpoint, { token: j1.body.access_token, ...viaAssertion(hs(meta.introspection_endpoint)) });
check('introspection with client_secret_jwt', j5.status === 200 && j5.body.active === true, JSON.stringify(j5.body));
const j6 = await post(meta.revocation_endpoint, { token: j1.body.access_token, ...viaAssertion(hs()) });
check('revocation with client_secret_jwt', j6.status === 200 && (await apiMe(j1.body.access_token)).status === 401, JSON.stringify(j6.body));

// --- private_key_jwt with registered clients (RFC 7591) -------------------------
const KEYS = {
  ES256: () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  RS256: () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
  PS256: () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
  EdDSA: () => crypto.generateKeyPairSync('ed25519'),
  Ed25519: () => crypto.generateKeyPairSync('ed25519'),
};
async function register(alg, extra = {}) {
  const pair = KEYS[alg]();
  const kid = `${alg.toLowerCase()}-test`;
  const res = await getJson(meta.registration_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: `selftest ${alg}`,
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: alg,
      jwks: { keys: [{ ...pair.publicKey.export({ format: 'jwk' }), kid, use: 'sig' }] },
      ...extra,
    }),
  });
  if (res.body?.registration_access_token) secrets.push(res.body.registration_access_token);
  return { ...res, key: pair.privateKey, kid, alg };
}
let registered;
for (const alg of ['ES256', 'RS256', 'PS256', 'EdDSA', 'Ed25519']) {
  const reg = await register(alg);
  registered ??= reg;
  const id = reg.body.client_id;
  const jwt = assertion(id, { key: reg.key, alg, kid: reg.kid });
  const k1 = await post(meta.token_endpoint, { grant_type: 'client_credentials', ...viaAssertion(jwt) });
  keep(k1.body);
  const k2 = await post(meta.token_endpoint, { grant_type: 'client_credentials', ...viaAssertion(jwt) });
  check(`private_key_jwt ${alg}: registered, then client credentials; the same assertion again is refused`, reg.status === 201 && !reg.body.client_secret
    && k1.status === 200 && k1.body.access_token && k2.status === 401 && k2.body.error === 'invalid_client', `${JSON.stringify(reg.body).slice(0, 200)} ${JSON.stringify(k1.body)} ${JSON.stringify(k2.body)}`);
}
const wrongAlg = await post(meta.token_endpoint, { grant_type: 'client_credentials', ...viaAssertion(assertion(registered.body.client_id, { key: ASSERTION_SECRET, alg: 'HS256' })) });
check('private_key_jwt: an HS256 assertion is refused', wrongAlg.status === 401 && wrongAlg.body.error === 'invalid_client', JSON.stringify(wrongAlg.body));
const ra2 = await authorize({ clientId: registered.body.client_id, scope: 'openid' });
const rt2 = await exchange(ra2, viaAssertion(assertion(registered.body.client_id, { key: registered.key, alg: registered.alg, kid: registered.kid })));
check('a registered native client: loopback redirect on any port, PKCE, private_key_jwt at the token endpoint', ra2.params.get('code') && rt2.status === 200
  && rt2.body.refresh_token && decodeJwt(rt2.body.id_token).payload.aud === registered.body.client_id, JSON.stringify(rt2.body));
const regNoPkce = new URL(meta.authorization_endpoint);
regNoPkce.search = form({ response_type: 'code', client_id: registered.body.client_id, redirect_uri: 'http://127.0.0.1:5555/callback', scope: 'openid', state: 's' });
const regNoPkceRes = await fetch(regNoPkce, { redirect: 'manual' });
check('a registered client needs PKCE too', new URL(regNoPkceRes.headers.get('location') ?? 'x:/').searchParams.get('error') === 'invalid_request', regNoPkceRes.headers.get('location'));

// --- the demo API's protected resource metadata (RFC 9728) ---------------------
const prm = await getJson(resourceMetadata);
check('resource metadata: at the path-inserted location, resource, authorization server, scopes, header only, no DPoP required', prm.status === 200
  && JSON.stringify(prm.body) === JSON.stringify({
    resource: api, authorization_servers: [issuer], scopes_supported: ['api:read', 'api:write'], bearer_methods_supported: ['header'],
    resource_name: 'Tessera demo API', dpop_bound_access_tokens_required: false,
  }) && prm.headers.get('content-type').startsWith('application/json') && prm.headers.get('cache-control') === 'max-age=300', `${prm.headers.get('cache-control')} ${JSON.stringify(prm.body)}`);
const prmHead = await fetch(resourceMetadata, { method: 'HEAD' });
const prmPost = await fetch(resourceMetadata, { method: 'POST' });
check('resource metadata: HEAD 200, POST 405 with Allow', prmHead.status === 200 && prmPost.status === 405 && prmPost.headers.get('allow') === 'GET, HEAD', `${prmHead.status} ${prmPost.status}`);
const notFound = (r) => r.status === 404 && r.body?.error === 'not_found';
const wellKnown404 = await Promise.all(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/elsewhere', '/.well-known/oauth-authorization-server',
  '/.well-known/oauth-authorization-server/api', '/.well-known/oauth-authorization-server/dev/as/nobody', '/dev/rs/nobody', '/dev/as/nobody', '/dev/bad/nothing'].map((p) => getJson(`${issuer}${p}`)));
check('no metadata elsewhere (the real issuer has only OpenID discovery), no other test route: 404 not_found', wellKnown404.every(notFound), wellKnown404.map((r) => r.status).join(' '));

// --- a registered native public client and its management (RFC 7591, RFC 7592) -
const nativeMetadata = {
  application_type: 'native', client_name: 'selftest native', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1/callback'],
  grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
};
const registerNative = async (extra = {}) => {
  const res = await getJson(meta.registration_endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...nativeMetadata, ...extra }) });
  if (res.body?.registration_access_token) secrets.push(res.body.registration_access_token);
  return res;
};
const nc = await registerNative();
const ncId = nc.body.client_id;
const ncUri = nc.body.registration_client_uri;
const ncToken = { authorization: `Bearer ${nc.body.registration_access_token}` };
check('registration of a native public client: 201, no secret, no scope, a registration_client_uri and access token', nc.status === 201 && ncId && !nc.body.client_secret
  && !('scope' in nc.body) && ncUri === `${meta.registration_endpoint}/${ncId}` && nc.body.registration_access_token, JSON.stringify(nc.body).slice(0, 300));
const ncRead = await getJson(ncUri, { headers: ncToken });
check('RFC 7592 read: 200 with the metadata and the same access token', ncRead.status === 200 && ncRead.body.client_id === ncId
  && ncRead.body.token_endpoint_auth_method === 'none' && ncRead.body.registration_access_token === nc.body.registration_access_token, JSON.stringify(ncRead.body).slice(0, 300));
const ncReadOther = await getJson(ncUri, { headers: { authorization: 'Bearer not-the-registration-token' } });
check('RFC 7592 read with another token: 401 invalid_token', ncReadOther.status === 401 && ncReadOther.body.error === 'invalid_token', JSON.stringify(ncReadOther.body));
const ncPut = await getJson(ncUri, { method: 'PUT', headers: { ...ncToken, 'content-type': 'application/json' }, body: JSON.stringify({ ...nativeMetadata, client_id: ncId, client_name: 'selftest native, renamed' }) });
check('RFC 7592 update: 200, and the access token is not rotated', ncPut.status === 200 && ncPut.body.client_name === 'selftest native, renamed'
  && ncPut.body.registration_access_token === nc.body.registration_access_token, JSON.stringify(ncPut.body).slice(0, 300));
const ncIn = await authorize({ clientId: ncId, scope: 'openid offline_access profile email api:read api:write', extra: { resource: api } });
const ncTok = await post(meta.token_endpoint, { grant_type: 'authorization_code', code: ncIn.params.get('code'), redirect_uri: ncIn.redirectUri, code_verifier: ncIn.verifier, client_id: ncId, resource: api });
keep(ncTok.body);
const ncAt = ncTok.body.access_token ? decodeJwt(ncTok.body.access_token).payload : {};
check('the registered client signs in on a loopback port of its own: ID token, refresh token, an API JWT with api:read api:write', ncIn.params.get('code') && ncIn.params.get('iss') === issuer
  && ncTok.status === 200 && ncTok.body.id_token && ncTok.body.refresh_token && ncAt.aud === api && ncAt.client_id === ncId && ncAt.scope === 'api:read api:write', `${new URL(ncIn.redirectUri).port} ${JSON.stringify(ncTok.body).slice(0, 300)}`);
const ncRefresh = await post(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: ncTok.body.refresh_token, client_id: ncId, resource: api });
keep(ncRefresh.body);
check('the registered client refreshes', ncRefresh.status === 200 && ncRefresh.body.refresh_token && ncRefresh.body.access_token, JSON.stringify(ncRefresh.body));
const ncDelete = await fetch(ncUri, { method: 'DELETE', headers: ncToken });
check('RFC 7592 delete: 204', ncDelete.status === 204, ncDelete.status);
const ncGone = await getJson(ncUri, { headers: ncToken });
check('after delete: reading it again is 401 invalid_token', ncGone.status === 401 && ncGone.body.error === 'invalid_token', `${ncGone.status} ${JSON.stringify(ncGone.body)}`);
const ncRefreshGone = await post(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: ncRefresh.body.refresh_token, client_id: ncId });
check('after delete: its refresh token gets invalid_client', ncRefreshGone.status === 401 && ncRefreshGone.body.error === 'invalid_client', `${ncRefreshGone.status} ${JSON.stringify(ncRefreshGone.body)}`);
const ncAuthGone = new URL(meta.authorization_endpoint);
ncAuthGone.search = form({ response_type: 'code', client_id: ncId, redirect_uri: 'http://127.0.0.1:5555/callback', scope: 'openid', state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' });
const ncAuthGoneRes = await fetch(ncAuthGone, { redirect: 'manual' });
const ncAuthGoneText = await ncAuthGoneRes.text();
check('after delete: an authorization request is refused without a redirect', ncAuthGoneRes.status === 400 && !ncAuthGoneRes.headers.get('location')
  && /invalid_client/.test(ncAuthGoneText), `${ncAuthGoneRes.status} ${ncAuthGoneRes.headers.get('location')}`);
const scoped = await registerNative({ scope: 'openid offline_access api:read api:write' });
check('registration with the API scopes in scope: 201, the API scopes taken out (they are granted per resource)', scoped.status === 201 && scoped.body.scope === 'openid offline_access', JSON.stringify(scoped.body).slice(0, 300));

// --- test resources and authorization servers (dev-only) ------------------------
const rsMetadata = (name) => `${issuer}/.well-known/oauth-protected-resource/dev/rs/${name}`;
const asMetadata = (name) => `${issuer}/.well-known/oauth-authorization-server/dev/as/${name}`;
for (const [name, advertised] of [['wrong-resource', true], ['no-servers', true], ['issuer-mismatch', true], ['no-registration', true],
  ['registration-refused', true], ['no-metadata', false], ['well-known-only', false]]) {
  const expected = advertised ? `Bearer realm="tessera-demo", resource_metadata="${rsMetadata(name)}"` : 'Bearer realm="tessera-demo"';
  const [plainGet, withToken] = await Promise.all([getJson(`${issuer}/dev/rs/${name}`), getJson(`${issuer}/dev/rs/${name}/x?y=1`, { method: 'POST', headers: bearer })]);
  check(`dev/rs/${name}: 401 to everything, ${advertised ? 'resource_metadata in the challenge' : 'a plain challenge'}`, [plainGet, withToken].every((r) => r.status === 401
    && r.headers.get('www-authenticate') === expected), `${plainGet.status} ${withToken.status} ${plainGet.headers.get('www-authenticate')}`);
}
const rsDocs = Object.fromEntries(await Promise.all(['wrong-resource', 'no-servers', 'issuer-mismatch', 'no-registration', 'registration-refused', 'no-metadata', 'well-known-only']
  .map(async (name) => [name, await getJson(rsMetadata(name))])));
const own = (name) => `${issuer}/dev/rs/${name}`;
check('dev/rs metadata: wrong-resource names https://elsewhere.example/api', rsDocs['wrong-resource'].status === 200
  && rsDocs['wrong-resource'].body.resource === 'https://elsewhere.example/api' && same(rsDocs['wrong-resource'].body.authorization_servers, [issuer]), JSON.stringify(rsDocs['wrong-resource'].body));
check('dev/rs metadata: no-servers has no authorization_servers', rsDocs['no-servers'].status === 200 && rsDocs['no-servers'].body.resource === own('no-servers')
  && !('authorization_servers' in rsDocs['no-servers'].body), JSON.stringify(rsDocs['no-servers'].body));
for (const name of ['issuer-mismatch', 'no-registration', 'registration-refused']) {
  check(`dev/rs metadata: ${name} names the fake server ${issuer}/dev/as/${name}`, rsDocs[name].status === 200 && rsDocs[name].body.resource === own(name)
    && same(rsDocs[name].body.authorization_servers, [`${issuer}/dev/as/${name}`]), JSON.stringify(rsDocs[name].body));
}
check('dev/rs metadata: no-metadata has none (404)', notFound(rsDocs['no-metadata']), rsDocs['no-metadata'].status);
check('dev/rs metadata: well-known-only names itself and the real provider', rsDocs['well-known-only'].status === 200 && rsDocs['well-known-only'].body.resource === own('well-known-only')
  && same(rsDocs['well-known-only'].body.authorization_servers, [issuer]) && rsDocs['well-known-only'].headers.get('content-type').startsWith('application/json'), JSON.stringify(rsDocs['well-known-only'].body));
const [asMismatch, asNoReg, asRefused] = await Promise.all(['issuer-mismatch', 'no-registration', 'registration-refused'].map((name) => getJson(asMetadata(name))));
check('dev/as/issuer-mismatch metadata: issuer someone-else, the real endpoints', asMismatch.status === 200 && asMismatch.body.issuer === `${issuer}/dev/as/someone-else`
  && asMismatch.body.token_endpoint === meta.token_endpoint && asMismatch.body.registration_endpoint === meta.registration_endpoint, JSON.stringify(asMismatch.body).slice(0, 300));
check('dev/as/no-registration metadata: its issuer, S256, no registration_endpoint, no client ID metadata documents', asNoReg.status === 200 && asNoReg.body.issuer === `${issuer}/dev/as/no-registration`
  && same(asNoReg.body.code_challenge_methods_supported, ['S256']) && !('registration_endpoint' in asNoReg.body) && !('client_id_metadata_document_supported' in asNoReg.body)
  && asNoReg.body.authorization_endpoint === meta.authorization_endpoint, JSON.stringify(asNoReg.body).slice(0, 300));
check('dev/as/registration-refused metadata: its issuer and its own registration_endpoint', asRefused.status === 200 && asRefused.body.issuer === `${issuer}/dev/as/registration-refused`
  && asRefused.body.registration_endpoint === `${issuer}/dev/as/registration-refused/reg`, JSON.stringify(asRefused.body).slice(0, 300));
const refusedReg = await getJson(asRefused.body.registration_endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(nativeMetadata) });
check('dev/as/registration-refused: a registration gets 400 invalid_redirect_uri', refusedReg.status === 400
  && same(refusedReg.body, { error: 'invalid_redirect_uri', error_description: 'loopback redirect URIs are not accepted here' }), JSON.stringify(refusedReg.body));

// --- a provider with known conformance problems (dev-only) ----------------------
const badIssuer = `${issuer}/dev/bad`;
const bad = await getJson(`${badIssuer}/.well-known/openid-configuration`);
check('dev/bad discovery: the planted problems (an endpoint nobody answers among them)', bad.status === 200 && bad.headers.get('content-type').startsWith('application/json') && same(bad.body, {
  issuer: badIssuer, authorization_endpoint: meta.authorization_endpoint, token_endpoint: meta.token_endpoint, jwks_uri: `${badIssuer}/jwks`,
  response_types_supported: ['code', 'token'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['none', 'HS256'],
  code_challenge_methods_supported: ['plain'], grant_types_supported: ['authorization_code', 'implicit', 'password'],
  revocation_endpoint: 'http://127.0.0.1:9/revoke',
}), JSON.stringify(bad.body));
const badKeys = (await getJson(bad.body.jwks_uri)).body.keys ?? [];
const kids = badKeys.map((k) => k.kid);
const rsaBits = (k) => Buffer.from(k.n, 'base64url').length * 8;
check('dev/bad JWKS: a shared kid, a 1024-bit RSA key, a key without use and alg, a key with its private d', kids.length !== new Set(kids).size
  && badKeys.some((k) => k.kty === 'RSA' && rsaBits(k) === 1024) && badKeys.some((k) => !('use' in k) && !('alg' in k))
  && badKeys.some((k) => k.d && crypto.createPrivateKey({ key: k, format: 'jwk' })), JSON.stringify(badKeys.map(({ kty, kid, use, alg, d }) => ({ kty, kid, use, alg, d: !!d }))));

// === The second provider: device flow switches, static private_key_jwt, mTLS ===
const op2 = await ready(second);
const bIssuer = op2.issuer;
const lines = op2.out.split('\n');
const mtlsLine = /^mtls: (https:\/\/127\.0\.0\.1:\d+) ca=(\S+) client-cert=(\S+) client-key=(\S+) self-signed-cert=(\S+) self-signed-key=(\S+)$/.exec(lines[1] ?? '');
check('--mtls-port: the ready line first, then the mtls: line', lines[0] === `Tessera local provider ready; issuer: ${bIssuer}` && mtlsLine, lines.slice(0, 2).join(' | '));
const [, mtlsOrigin, caFile, certFile, keyFile, selfCertFile, selfKeyFile] = mtlsLine ?? [];
const certDir = caFile ? path.dirname(caFile) : '';
check('--mtls-port: certificates in a private directory outside the repository', !!mtlsLine
  && [caFile, certFile, keyFile, selfCertFile, selfKeyFile].every((f) => path.dirname(f) === certDir && (fs.statSync(f).mode & 0o777) === 0o600)
  && (fs.statSync(certDir).mode & 0o777) === 0o700 && !certDir.startsWith(path.dirname(here)), certDir);
const { body: bMeta } = await getJson(`${bIssuer}/.well-known/openid-configuration`);
const aliases = bMeta.mtls_endpoint_aliases ?? {};
check('discovery: mtls_endpoint_aliases on the HTTPS listener, tls_client_certificate_bound_access_tokens', bMeta.tls_client_certificate_bound_access_tokens === true
  && aliases.token_endpoint === `${mtlsOrigin}/token` && aliases.revocation_endpoint === `${mtlsOrigin}/token/revocation`
  && aliases.introspection_endpoint === `${mtlsOrigin}/token/introspection` && aliases.userinfo_endpoint === `${mtlsOrigin}/me`
  && aliases.device_authorization_endpoint === `${mtlsOrigin}/device/auth` && bMeta.issuer === bIssuer && bMeta.token_endpoint === `${bIssuer}/token`
  && ['tls_client_auth', 'self_signed_tls_client_auth'].every((m) => bMeta.token_endpoint_auth_methods_supported.includes(m)), JSON.stringify(aliases));

// HTTPS with (or without) a client certificate: fetch cannot present one.
const pem = (f) => fs.readFileSync(f);
const TLS = {
  ca: { ca: pem(caFile) },
  client: { ca: pem(caFile), cert: pem(certFile), key: pem(keyFile) },
  selfSigned: { ca: pem(caFile), cert: pem(selfCertFile), key: pem(selfKeyFile) },
};
function httpsRequest(url, { method = 'GET', headers = {}, body } = {}, tls = TLS.ca) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, agent: false, ...tls }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let parsed;
        try { parsed = JSON.parse(text); } catch { parsed = text; }
        resolve({ status: res.statusCode, headers: res.headers, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
function httpsForm(url, fields, tls) {
  return httpsRequest(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(fields) }, tls);
}
const thumbprint = (file) => crypto.hash('sha256', new crypto.X509Certificate(pem(file)).raw, 'base64url');

// --- the device flow with --device-interval and --device-slow-down --------------
// A client that honours the interval and slow_down (RFC 8628 §3.5).
async function pollDevice(deviceCode, interval, send) {
  let wait = interval;
  const answers = [];
  for (let i = 0; i < 10; i += 1) {
    await sleep(wait * 1000);
    const res = await send({ grant_type: DEVICE_GRANT, device_code: deviceCode });
    answers.push(res.body?.error ?? 'ok');
    if (res.body?.error === 'slow_down') wait += 5;
    else if (res.body?.error !== 'authorization_pending') return { res: { ...res, body: keep(res.body) }, answers };
  }
  return { answers };
}
async function deviceFlow({ clientId, env = {}, tls }) {
  const fields = { client_id: clientId, scope: 'openid profile' };
  const auth = tls ? await deviceAuthorization(fields, { base: aliases.device_authorization_endpoint, tls }) : await deviceAuthorization(fields, { base: bMeta.device_authorization_endpoint });
  const send = tls ? (f) => httpsForm(aliases.token_endpoint, { client_id: clientId, ...f }, tls) : (f) => post(bMeta.token_endpoint, { client_id: clientId, ...f });
  const browser = runBrowser(auth.body.verification_uri_complete ?? `${bIssuer}/nothing`, env);
  const [poll, exit] = await Promise.all([pollDevice(auth.body.device_code, auth.body.interval ?? 5, send), browser.exited]);
  return { auth, ...poll, exit, log: browser.log(), id: auth.body.device_code ? crypto.hash('sha256', auth.body.device_code, 'hex').slice(0, 8) : '' };
}
// Provider three's device code expires after 2 s; asked for now, polled later.
const op3 = await ready(third);
const { body: cMeta } = await getJson(`${op3.issuer}/.well-known/openid-configuration`);
const expiring = await post(cMeta.device_authorization_endpoint, { client_id: 'tessera', scope: 'openid' });
keep(expiring.body);
const expiringAt = Date.now();

const [approved, denied, bound] = await Promise.all([
  deviceFlow({ clientId: 'tessera' }),
  deviceFlow({ clientId: 'tessera', env: { BROWSER_CONSENT: 'deny' } }),
  deviceFlow({ clientId: 'tessera-mtls', tls: TLS.client }),
]);
check('--device-interval: the device authorization response carries interval', approved.auth.body.interval === DEVICE_INTERVAL, JSON.stringify(approved.auth.body));
check('--device-slow-down: the first poll gets slow_down, then tokens once approved', approved.answers[0] === 'slow_down' && approved.answers.at(-1) === 'ok'
  && approved.res?.body.access_token && approved.exit === 0, `${approved.answers} ${approved.log}`);
check('BROWSER_CONSENT=deny in the device flow: the next poll gets access_denied', denied.answers[0] === 'slow_down' && denied.answers.at(-1) === 'access_denied'
  && denied.exit === 0 && /submit: consent: deny/.test(denied.log) && /device code page says: Sign-in cancelled/.test(denied.log), `${denied.answers} ${denied.log}`);
const { body: { polls } } = await getJson(`${bIssuer}/dev/device-polls`);
const gapsOk = (id) => {
  const mine = polls.filter((p) => p.code === id);
  let interval = DEVICE_INTERVAL * 1000;
  for (let i = 1; i < mine.length; i += 1) {
    if (mine[i - 1].answer === 'slow_down') interval += 5000;
    if (mine[i].at_ms - mine[i - 1].at_ms < interval - 50) return false;
  }
  return mine.length >= 2;
};
check('the poll log: every poll recorded, none sooner than the interval (plus 5 s after slow_down)', [approved, denied, bound].every((f) => gapsOk(f.id))
  && /^slow_down,(authorization_pending,)*access_denied$/.test(polls.filter((p) => p.code === denied.id).map((p) => p.answer).join(',')), JSON.stringify(polls));
check('device flow over mTLS (tessera-mtls): verification URIs on the issuer, a certificate-bound token', bound.auth.body.verification_uri === `${bIssuer}/device`
  && bound.res?.status === 200 && bound.exit === 0, `${JSON.stringify(bound.auth.body)} ${bound.answers}`);
const boundMe = bound.res?.body.access_token ? await httpsRequest(`${mtlsOrigin}/api/mtls/me`, { headers: { authorization: `Bearer ${bound.res.body.access_token}` } }, TLS.client) : {};
check('api/mtls/me with the device flow\'s bound token and its certificate', boundMe.status === 200 && boundMe.body.cnf?.['x5t#S256'] === thumbprint(certFile), JSON.stringify(boundMe.body));

// --- expired_token (provider three, --device-code-ttl 2) -------------------------
await sleep(Math.max(0, 2200 - (Date.now() - expiringAt)));
const expired = await post(cMeta.token_endpoint, { grant_type: DEVICE_GRANT, device_code: expiring.body.device_code, client_id: 'tessera' });
const { body: { polls: cPolls } } = await getJson(`${op3.issuer}/dev/device-polls`);
check('--device-code-ttl: an expired device code gets expired_token', expiring.body.expires_in === 2 && expired.status === 400 && expired.body.error === 'expired_token'
  && cPolls.at(-1)?.answer === 'expired_token', `${JSON.stringify(expired.body)} ${JSON.stringify(cPolls)}`);

// --- the static private_key_jwt client (--client-jwks) ---------------------------
const pk = await post(bMeta.token_endpoint, { grant_type: 'client_credentials', resource: `${bIssuer}/api`, ...viaAssertion(assertion('tessera-private-key-jwt', { key: staticKey.privateKey, alg: 'ES256', kid: 'static-es256', aud: bMeta.token_endpoint })) });
keep(pk.body);
check('--client-jwks: tessera-private-key-jwt authenticates with its key', pk.status === 200 && isJwt(pk.body.access_token)
  && (await apiMe(pk.body.access_token, bIssuer)).body.client_id === 'tessera-private-key-jwt', JSON.stringify(pk.body));

// --- mutual TLS (RFC 8705) -----------------------------------------------------------
const m1 = await httpsForm(aliases.token_endpoint, { grant_type: 'client_credentials', client_id: 'tessera-mtls' }, TLS.client);
keep(m1.body);
check('tls_client_auth: client credentials over mTLS with the CA-signed certificate', m1.status === 200 && m1.body.access_token, JSON.stringify(m1.body));
const m1Me = await httpsRequest(`${mtlsOrigin}/api/mtls/me`, { headers: { authorization: `Bearer ${m1.body.access_token}` } }, TLS.client);
check('api/mtls/me: the bound token with its certificate, cnf x5t#S256 its thumbprint', m1Me.status === 200 && m1Me.body.client_id === 'tessera-mtls'
  && m1Me.body.cnf?.['x5t#S256'] === thumbprint(certFile), JSON.stringify(m1Me.body));
const m1NoCert = await httpsRequest(`${mtlsOrigin}/api/mtls/me`, { headers: { authorization: `Bearer ${m1.body.access_token}` } }, TLS.ca);
check('api/mtls/me without a certificate: 401 invalid_token with a reason', m1NoCert.status === 401 && m1NoCert.body.error === 'invalid_token'
  && /no client certificate/.test(m1NoCert.body.reason)
  && m1NoCert.headers['www-authenticate']?.startsWith(`Bearer realm="tessera-demo", resource_metadata="${bIssuer}/.well-known/oauth-protected-resource/api", error="invalid_token", error_description="`),
`${m1NoCert.headers['www-authenticate']} ${JSON.stringify(m1NoCert.body)}`);
const m1Other = await httpsRequest(`${mtlsOrigin}/api/mtls/me`, { headers: { authorization: `Bearer ${m1.body.access_token}` } }, TLS.selfSigned);
check('api/mtls/me with another certificate: 401', m1Other.status === 401 && /not the one/.test(m1Other.body.reason), JSON.stringify(m1Other.body));
const m1Plain = await apiMe(m1.body.access_token, bIssuer);
check('api/me over plain HTTP refuses a certificate-bound token', m1Plain.status === 401 && /bound to a client certificate/.test(m1Plain.body.reason), JSON.stringify(m1Plain.body));
const unbound = await post(bMeta.token_endpoint, { grant_type: 'client_credentials' }, { authorization: SERVICE });
keep(unbound.body);
const unboundMe = await httpsRequest(`${mtlsOrigin}/api/mtls/me`, { headers: { authorization: `Bearer ${unbound.body.access_token}` } }, TLS.client);
check('api/mtls/me refuses a token that is not certificate-bound', unboundMe.status === 401 && /not certificate-bound/.test(unboundMe.body.reason), JSON.stringify(unboundMe.body));
const m2 = await httpsForm(aliases.token_endpoint, { grant_type: 'client_credentials', client_id: 'tessera-mtls' }, TLS.selfSigned);
check('tls_client_auth with the self-signed certificate: invalid_client', m2.status === 401 && m2.body.error === 'invalid_client', JSON.stringify(m2.body));
const m3 = await post(bMeta.token_endpoint, { grant_type: 'client_credentials', client_id: 'tessera-mtls' });
check('tls_client_auth over plain HTTP: invalid_client', m3.status === 401 && m3.body.error === 'invalid_client', JSON.stringify(m3.body));
const s1 = await httpsForm(aliases.token_endpoint, { grant_type: 'client_credentials', client_id: 'tessera-mtls-self-signed' }, TLS.selfSigned);
keep(s1.body);
const s1Me = s1.body.access_token ? await httpsRequest(`${mtlsOrigin}/api/mtls/me`, { headers: { authorization: `Bearer ${s1.body.access_token}` } }, TLS.selfSigned) : {};
check('self_signed_tls_client_auth: a token bound to the self-signed certificate', s1.status === 200 && s1Me.status === 200
  && s1Me.body.cnf?.['x5t#S256'] === thumbprint(selfCertFile), `${JSON.stringify(s1.body)} ${JSON.stringify(s1Me.body)}`);
const s2 = await httpsForm(aliases.token_endpoint, { grant_type: 'client_credentials', client_id: 'tessera-mtls-self-signed' }, TLS.client);
check('self_signed_tls_client_auth with another certificate: invalid_client', s2.status === 401 && s2.body.error === 'invalid_client', JSON.stringify(s2.body));
const ma = await authorize({ clientId: 'tessera-mtls', scope: 'openid profile', endpoint: bMeta.authorization_endpoint });
const mt = await httpsForm(aliases.token_endpoint, { grant_type: 'authorization_code', code: ma.params.get('code'), redirect_uri: ma.redirectUri, code_verifier: ma.verifier, client_id: 'tessera-mtls' }, TLS.client);
keep(mt.body);
const mtUserinfo = await httpsRequest(aliases.userinfo_endpoint, { headers: { authorization: `Bearer ${mt.body.access_token}` } }, TLS.client);
const mtPlainUserinfo = await getJson(bMeta.userinfo_endpoint, { headers: { authorization: `Bearer ${mt.body.access_token}` } });
check('tessera-mtls code flow: tokens over mTLS; userinfo with the certificate, not without', mt.status === 200 && mt.body.refresh_token
  && mtUserinfo.status === 200 && mtUserinfo.body.sub === 'demo-user-0001' && mtPlainUserinfo.status === 401, `${JSON.stringify(mt.body)} ${mtUserinfo.status} ${mtPlainUserinfo.status}`);
const mr = await httpsForm(aliases.token_endpoint, { grant_type: 'refresh_token', refresh_token: mt.body.refresh_token, client_id: 'tessera-mtls' }, TLS.client);
keep(mr.body);
const mi = await httpsForm(aliases.introspection_endpoint, { token: mr.body.access_token, client_id: 'tessera-mtls' }, TLS.client);
check('tessera-mtls: refresh and introspection over mTLS', mr.status === 200 && mi.body.active === true && mi.body.cnf?.['x5t#S256'] === thumbprint(certFile), `${JSON.stringify(mr.body)} ${JSON.stringify(mi.body)}`);

// === FAPI 2.0 mode (--fapi) =====================================================
// A hand-written FAPI 2.0 client: an ES256 key for private_key_jwt, another
// for DPoP, PAR with a client assertion and a DPoP proof (retried with the
// server's nonce), the sign-in through the browser stand-in with request_uri,
// tokens, refresh and the DPoP demo API; then JAR, JARM, mTLS and the switches.
const fapi = await ready(fapiOp);
const fIssuer = fapi.issuer;
const fLines = fapi.out.split('\n');
const fMtlsLine = /^mtls: (https:\/\/127\.0\.0\.1:\d+) ca=(\S+) client-cert=(\S+) client-key=(\S+) self-signed-cert=(\S+) self-signed-key=(\S+)$/.exec(fLines[1] ?? '');
check('--fapi: the same ready line, then the mtls: line, then a summary naming FAPI 2.0', fLines[0] === `Tessera local provider ready; issuer: ${fIssuer}`
  && fMtlsLine && /FAPI 2\.0/.test(fLines[2] ?? ''), fLines.slice(0, 3).join(' | '));
const [, fMtlsOrigin, fCa, fCert, fKey] = fMtlsLine ?? [];
const fTls = fMtlsLine ? { ca: pem(fCa), cert: pem(fCert), key: pem(fKey) } : {};
const { body: fMeta } = await getJson(`${fIssuer}/.well-known/openid-configuration`);
const { body: fJwks } = await getJson(fMeta.jwks_uri);
const fPrm = await getJson(`${fIssuer}/.well-known/oauth-protected-resource/api`);
check('--fapi resource metadata: the FAPI issuer, DPoP-bound tokens required', fPrm.status === 200 && same(fPrm.body.authorization_servers, [fIssuer])
  && fPrm.body.resource === `${fIssuer}/api` && fPrm.body.dpop_bound_access_tokens_required === true, JSON.stringify(fPrm.body));
check('--fapi discovery: PAR endpoint and required, S256, iss parameter', fMeta.pushed_authorization_request_endpoint === `${fIssuer}/request`
  && fMeta.require_pushed_authorization_requests === true && same(fMeta.code_challenge_methods_supported, ['S256'])
  && fMeta.authorization_response_iss_parameter_supported === true, JSON.stringify(fMeta).slice(0, 400));
check('--fapi discovery: DPoP, JAR and JARM algorithms (no RS256, no HS256)', same(fMeta.dpop_signing_alg_values_supported, ['ES256', 'PS256', 'EdDSA', 'Ed25519'])
  && same(fMeta.request_object_signing_alg_values_supported, ['PS256', 'ES256', 'EdDSA', 'Ed25519']) && fMeta.request_parameter_supported === true
  && fMeta.require_signed_request_object === false && same(fMeta.authorization_signing_alg_values_supported, ['PS256', 'ES256', 'EdDSA'])
  && same(fMeta.id_token_signing_alg_values_supported, ['PS256', 'ES256', 'EdDSA']) && fMeta.response_modes_supported?.includes('jwt')
  && same(fMeta.token_endpoint_auth_signing_alg_values_supported, ['PS256', 'ES256', 'EdDSA', 'Ed25519']),
`${fMeta.dpop_signing_alg_values_supported} / ${fMeta.request_object_signing_alg_values_supported} / ${fMeta.authorization_signing_alg_values_supported} / ${fMeta.response_modes_supported}`);
check('--fapi discovery: private_key_jwt and mTLS only, code only, PAR on the mTLS listener too', same(fMeta.token_endpoint_auth_methods_supported, ['private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'])
  && same(fMeta.response_types_supported, ['code']) && fMeta.mtls_endpoint_aliases?.pushed_authorization_request_endpoint === `${fMtlsOrigin}/request`
  && !fMeta.device_authorization_endpoint && !fMeta.grant_types_supported.includes(TOKEN_EXCHANGE),
`${fMeta.token_endpoint_auth_methods_supported} / ${fMeta.response_types_supported} / ${JSON.stringify(fMeta.mtls_endpoint_aliases)}`);
check('--fapi jwks: PS256, ES256 and EdDSA keys, no RS256', same(fJwks.keys?.map((k) => k.alg), ['PS256', 'ES256', 'EdDSA']) && fJwks.keys.every((k) => !k.d), JSON.stringify(fJwks.keys?.map((k) => k.kid)));

// JWS checks against a provider's JWK Set.
function verifyAgainst(jwkSet, jwt) {
  const [h, p, sig] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const payload = JSON.parse(Buffer.from(p, 'base64url'));
  const jwk = jwkSet.keys.find((k) => k.kid === header.kid);
  let valid = false;
  if (jwk && jwk.alg === header.alg) {
    const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
    const data = Buffer.from(`${h}.${p}`);
    const signature = Buffer.from(sig, 'base64url');
    if (header.alg === 'PS256') valid = crypto.verify('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
    else if (header.alg === 'ES256') valid = crypto.verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    else if (header.alg === 'EdDSA') valid = crypto.verify(null, data, key, signature);
  }
  return { header, payload, valid };
}

// DPoP (RFC 9449): proofs signed with node:crypto, and requests that retry
// once on use_dpop_nonce, remembering each origin's latest nonce.
const dpopKey = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherDpopKey = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicJwk = (pair) => pair.publicKey.export({ format: 'jwk' });
const thumb = (pair) => {
  const { crv, kty, x, y } = publicJwk(pair);
  return crypto.hash('sha256', JSON.stringify({ crv, kty, x, y }), 'base64url');
};
const athOf = (token) => crypto.hash('sha256', token, 'base64url');
function dpopProof(pair, { htm = 'POST', htu, nonce, ath, jti = crypto.randomUUID(), iat = Math.floor(Date.now() / 1000) }) {
  return signJwt({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk(pair) }, { jti, htm, htu, iat, ...(nonce ? { nonce } : {}), ...(ath ? { ath } : {}) }, pair.privateKey);
}
const dpopNonces = new Map(); // origin -> the last DPoP-Nonce it sent
// One request with a proof (and a fresh client assertion each time, from
// makeFields), retried once if the server asks for a nonce.
async function dpopSend(url, { method = 'POST', makeFields = () => ({}), token, tls } = {}, pair = dpopKey) {
  const origin = new URL(url).origin;
  const once = async () => {
    const proof = dpopProof(pair, { htm: method, htu: url, nonce: dpopNonces.get(origin), ath: token ? athOf(token) : undefined });
    const headers = { dpop: proof, ...(token ? { authorization: `DPoP ${token}` } : {}) };
    let res;
    if (tls) {
      res = method === 'GET' ? await httpsRequest(url, { headers }, tls) : await httpsRequest(url, { method, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: form(makeFields()) }, tls);
      res.headers = new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
    } else {
      res = method === 'GET' ? await getJson(url, { headers }) : await post(url, makeFields(), headers);
    }
    if (res.headers.get('dpop-nonce')) dpopNonces.set(origin, res.headers.get('dpop-nonce'));
    return res;
  };
  const first = await once();
  const asked = first.body?.error === 'use_dpop_nonce' || /use_dpop_nonce/.test(first.headers.get('www-authenticate') ?? '');
  const res = asked ? await once() : first;
  keep(res.body);
  return { first, res, retried: asked };
}

// Registration (RFC 7591) of a private_key_jwt client with its own ES256 key.
const json = { 'content-type': 'application/json' };
async function fapiRegister(op, extra = {}) {
  const pair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `selftest-${crypto.randomUUID().slice(0, 8)}`;
  const res = await getJson(`${op.issuer}/reg`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      client_name: 'selftest FAPI client',
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [{ ...publicJwk(pair), kid, alg: 'ES256', use: 'sig' }] },
      dpop_bound_access_tokens: true,
      ...extra,
    }),
  });
  if (res.body?.registration_access_token) secrets.push(res.body.registration_access_token);
  return { ...res, id: res.body?.client_id, key: pair.privateKey, kid, op };
}
// A private_key_jwt assertion for a FAPI provider: aud is the issuer.
const fapiAuth = (c, aud = c.op.issuer) => viaAssertion(assertion(c.id, { key: c.key, alg: 'ES256', kid: c.kid, aud }));
// A signed request object (JAR, RFC 9101) with what FAPI 2.0 wants: iss,
// aud, exp, nbf (exp - nbf at most an hour).
function requestObject(c, params, { omit = [] } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: c.id, aud: c.op.issuer, client_id: c.id, iat: now, nbf: now, exp: now + 300, jti: crypto.randomUUID(), ...params };
  for (const k of omit) delete claims[k];
  return signJwt({ alg: 'ES256', typ: 'oauth-authz-req+jwt', kid: c.kid }, claims, c.key);
}
// The FAPI sign-in: PAR (plain parameters or a request object), then the
// browser stand-in with client_id and request_uri, back at a loopback callback.
async function fapiSignIn(c, { fields = {}, jar = false, env = {}, pair = dpopKey, parUrl = c.op.meta.pushed_authorization_request_endpoint, clientAuth = () => fapiAuth(c), tls } = {}) {
  const cb = await callbackServer('/callback');
  const redirectUri = `http://127.0.0.1:${cb.port}/callback`;
  const { verifier, challenge } = pkce();
  const state = crypto.randomBytes(16).toString('base64url');
  const nonce = crypto.randomBytes(16).toString('base64url');
  secrets.push(state);
  const params = { response_type: 'code', client_id: c.id, redirect_uri: redirectUri, scope: 'openid profile', state, nonce, code_challenge: challenge, code_challenge_method: 'S256', ...fields };
  const makeFields = () => ({ ...(jar ? { client_id: c.id, request: requestObject(c, params) } : params), ...clientAuth() });
  const par = pair ? await dpopSend(parUrl, { makeFields, tls }, pair) : { res: tls ? await httpsForm(parUrl, makeFields(), tls) : await post(parUrl, makeFields()) };
  if (par.res.body?.request_uri) secrets.push(par.res.body.request_uri);
  const url = new URL(c.op.meta.authorization_endpoint);
  url.search = form({ client_id: c.id, request_uri: par.res.body?.request_uri ?? 'none' });
  const browser = runBrowser(url.toString(), env);
  const timeout = new Promise((r) => setTimeout(() => r('timeout'), 20_000));
  const got = await Promise.race([cb.received, timeout, browser.exited.then(() => new Promise((r) => setTimeout(() => r('timeout'), 250)))]);
  const exit = await Promise.race([browser.exited, timeout]);
  cb.server.close();
  const p = got === 'timeout' ? new URLSearchParams() : got;
  for (const k of ['code', 'response']) if (p.get(k)) secrets.push(p.get(k));
  return { par, params: p, state, nonce, verifier, redirectUri, exit, log: browser.log() };
}
const codeFields = (s, code = s.params.get('code')) => ({ grant_type: 'authorization_code', code, redirect_uri: s.redirectUri, code_verifier: s.verifier });
const fapiToken = (c, fields, pair = dpopKey) => dpopSend(c.op.meta.token_endpoint, { makeFields: () => ({ ...fields, ...fapiAuth(c) }) }, pair);
const dpopApiUrl = (op) => `${op.issuer}/api/dpop/me`;
fapi.meta = fMeta;

// --- what FAPI 2.0 mode refuses at registration -----------------------------------
const refusedRegistrations = {
  'a public client (none)': { token_endpoint_auth_method: 'none' },
  'client_secret_basic': { token_endpoint_auth_method: 'client_secret_basic' },
  'an HS256 assertion': { token_endpoint_auth_signing_alg: 'HS256' },
  'an RS256 assertion': { token_endpoint_auth_signing_alg: 'RS256' },
  'response_type code id_token': { response_types: ['code id_token'] },
  'the implicit grant': { grant_types: ['implicit'], response_types: ['id_token'] },
  'RS256 ID tokens': { id_token_signed_response_alg: 'RS256' },
};
const refusedAnswers = [];
for (const [what, extra] of Object.entries(refusedRegistrations)) {
  const r = await fapiRegister(fapi, extra);
  refusedAnswers.push(`${what}: ${r.status} ${r.body?.error}`);
}
check('--fapi registration refuses public and secret clients, HS256/RS256, other response types, implicit', refusedAnswers.every((a) => / 400 invalid_client_metadata$/.test(a)), refusedAnswers.join('; '));

// --- (a) private_key_jwt + DPoP ----------------------------------------------------
const fc = await fapiRegister(fapi);
check('--fapi registration (a) private_key_jwt + DPoP: 201, PAR required, DPoP-bound, ES256 ID tokens', fc.status === 201 && fc.body.dpop_bound_access_tokens === true
  && fc.body.require_pushed_authorization_requests === true && fc.body.id_token_signed_response_alg === 'ES256' && !fc.body.client_secret, JSON.stringify(fc.body).slice(0, 400));
const unbound0 = await fapiRegister(fapi, { dpop_bound_access_tokens: undefined });
check('--fapi registration: a client that asks for no binding is made DPoP-bound', unbound0.status === 201 && unbound0.body.dpop_bound_access_tokens === true, JSON.stringify(unbound0.body).slice(0, 300));

// Without PAR, the authorization endpoint refuses.
const noPar = new URL(fMeta.authorization_endpoint);
noPar.search = form({ response_type: 'code', client_id: fc.id, redirect_uri: 'http://127.0.0.1:5555/callback', scope: 'openid', state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' });
const noParRes = await fetch(noPar, { redirect: 'manual' });
const noParAt = new URL(noParRes.headers.get('location') ?? 'x:/');
check('--fapi: an authorization request without PAR is refused', noParAt.searchParams.get('error') === 'invalid_request'
  && /Pushed Authorization Request must be used/.test(noParAt.searchParams.get('error_description') ?? ''), noParRes.headers.get('location'));

// PAR's first proof has no nonce: use_dpop_nonce and a DPoP-Nonce header.
const parUrl = fMeta.pushed_authorization_request_endpoint;
const firstParFields = { response_type: 'code', client_id: fc.id, redirect_uri: 'http://127.0.0.1:5555/callback', scope: 'openid', state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' };
const firstAssertion = fapiAuth(fc);
const par0 = await post(parUrl, { ...firstParFields, ...firstAssertion }, { dpop: dpopProof(dpopKey, { htu: parUrl }) });
const asNonce = par0.headers.get('dpop-nonce');
check('--fapi PAR: a DPoP proof without a nonce gets 400 use_dpop_nonce and a DPoP-Nonce header', par0.status === 400 && par0.body.error === 'use_dpop_nonce' && !!asNonce, `${par0.status} ${JSON.stringify(par0.body)}`);
const par0Again = await post(parUrl, { ...firstParFields, ...firstAssertion }, { dpop: dpopProof(dpopKey, { htu: parUrl, nonce: asNonce }) });
check('--fapi PAR: the retry needs a fresh client assertion (a jti is good once)', par0Again.status === 401 && par0Again.body.error === 'invalid_client'
  && /once/.test(par0Again.body.error_description), JSON.stringify(par0Again.body));
const par1 = await post(parUrl, { ...firstParFields, ...fapiAuth(fc) }, { dpop: dpopProof(dpopKey, { htu: parUrl, nonce: asNonce }) });
check('--fapi PAR: with the nonce and a fresh assertion, 201 with request_uri and expires_in', par1.status === 201 && /^urn:ietf:params:oauth:request_uri:/.test(par1.body.request_uri)
  && par1.body.expires_in > 0 && par1.body.expires_in <= 60, JSON.stringify(par1.body));
const parNoDpop = await post(parUrl, { ...firstParFields, ...fapiAuth(fc) });
check('--fapi PAR without a DPoP proof: accepted (the binding is then checked at the token endpoint)', parNoDpop.status === 201, JSON.stringify(parNoDpop.body));
const parAudToken = await post(parUrl, { ...firstParFields, ...fapiAuth(fc, fMeta.token_endpoint) });
check('--fapi: a client assertion whose aud is not the issuer is refused (FAPI 2.0)', parAudToken.status === 401 && parAudToken.body.error === 'invalid_client'
  && /issuer/.test(parAudToken.body.error_description), JSON.stringify(parAudToken.body));

// The whole sign-in.
dpopNonces.set(new URL(fIssuer).origin, asNonce);
const fs1 = await fapiSignIn(fc);
check('--fapi sign-in: PAR (with the nonce), the browser with request_uri, code, state and iss at the callback', fs1.par.res.status === 201 && fs1.exit === 0
  && fs1.params.get('code') && fs1.params.get('state') === fs1.state && fs1.params.get('iss') === fIssuer
  && /\/auth\?client_id&request_uri -> 303/.test(fs1.log) && /submit: login form/.test(fs1.log) && /submit: consent: allow/.test(fs1.log), `${JSON.stringify(fs1.par.res.body)} ${fs1.log}`);
// The token request's first proof has no nonce either: asked for one, the code survives.
const tokenUrl = fMeta.token_endpoint;
const tok0 = await post(tokenUrl, { ...codeFields(fs1), ...fapiAuth(fc) }, { dpop: dpopProof(dpopKey, { htu: tokenUrl }) });
check('--fapi token: a DPoP proof without a nonce gets 400 use_dpop_nonce and a DPoP-Nonce header', tok0.status === 400 && tok0.body.error === 'use_dpop_nonce' && !!tok0.headers.get('dpop-nonce'), JSON.stringify(tok0.body));
const tok1 = await post(tokenUrl, { ...codeFields(fs1), ...fapiAuth(fc) }, { dpop: dpopProof(dpopKey, { htu: tokenUrl, nonce: tok0.headers.get('dpop-nonce') }) });
keep(tok1.body);
const fId = tok1.body.id_token ? verifyAgainst(fJwks, tok1.body.id_token) : {};
check('--fapi token: with the nonce, token_type DPoP, a refresh token, an ES256 ID token', tok1.status === 200 && tok1.body.token_type === 'DPoP' && tok1.body.refresh_token
  && fId.valid && fId.header.alg === 'ES256' && fId.payload.aud === fc.id && fId.payload.nonce === fs1.nonce, JSON.stringify(tok1.body).slice(0, 300));
const fAccess = tok1.body.access_token;

// The DPoP demo API: its own nonce first, then the checks.
const apiUrl = dpopApiUrl(fapi);
const api0 = await getJson(apiUrl, { headers: { authorization: `DPoP ${fAccess}`, dpop: dpopProof(dpopKey, { htm: 'GET', htu: apiUrl, ath: athOf(fAccess) }) } });
const rsNonce = api0.headers.get('dpop-nonce');
check('api/dpop/me: a proof without a nonce gets 401 use_dpop_nonce with a DPoP-Nonce header (its own nonce)', api0.status === 401
  && /^DPoP error="use_dpop_nonce", error_description="[^"]+"$/.test(api0.headers.get('www-authenticate') ?? '') && !!rsNonce && rsNonce !== tok0.headers.get('dpop-nonce'),
`${api0.status} ${api0.headers.get('www-authenticate')}`);
const goodProof = dpopProof(dpopKey, { htm: 'GET', htu: apiUrl, ath: athOf(fAccess), nonce: rsNonce });
const api1 = await getJson(apiUrl, { headers: { authorization: `DPoP ${fAccess}`, dpop: goodProof } });
check('api/dpop/me: with the nonce, 200 like /api/me plus cnf.jkt, the proof key\'s thumbprint', api1.status === 200 && api1.body.sub === 'demo-user-0001'
  && api1.body.client_id === fc.id && api1.body.claims?.name === 'Dana Demo' && api1.body.cnf?.jkt === thumb(dpopKey), JSON.stringify(api1.body));
const apiReplay = await getJson(apiUrl, { headers: { authorization: `DPoP ${fAccess}`, dpop: goodProof } });
const dpopRefusal = (r, pattern, error = 'invalid_dpop_proof') => r.status === 401 && r.body.error === error
  && (r.headers.get('www-authenticate') ?? '').startsWith(`DPoP error="${error}", error_description="`) && pattern.test(r.body.error_description);
check('api/dpop/me: a replayed proof (same jti) is refused', dpopRefusal(apiReplay, /jti has been used before/), `${apiReplay.status} ${JSON.stringify(apiReplay.body)}`);
const apiCall = (headers) => getJson(apiUrl, { headers });
const proofWith = (o) => dpopProof(dpopKey, { htm: 'GET', htu: apiUrl, ath: athOf(fAccess), nonce: rsNonce, ...o });
const wrongHtu = await apiCall({ authorization: `DPoP ${fAccess}`, dpop: proofWith({ htu: `${fIssuer}/api/me` }) });
check('api/dpop/me: a proof for another URL (htu) is refused, naming htu', dpopRefusal(wrongHtu, /htu/), JSON.stringify(wrongHtu.body));
const withQuery = await getJson(`${apiUrl}?x=1`, { headers: { authorization: `DPoP ${fAccess}`, dpop: proofWith({}) } });
check('api/dpop/me: htu is compared without the query', withQuery.status === 200, JSON.stringify(withQuery.body));
const wrongHtm = await apiCall({ authorization: `DPoP ${fAccess}`, dpop: proofWith({ htm: 'POST' }) });
check('api/dpop/me: a proof for another method (htm) is refused', dpopRefusal(wrongHtm, /htm/), JSON.stringify(wrongHtm.body));
const wrongAth = await apiCall({ authorization: `DPoP ${fAccess}`, dpop: proofWith({ ath: athOf('another token') }) });
check('api/dpop/me: an ath that is not the token\'s hash is refused', dpopRefusal(wrongAth, /ath/), JSON.stringify(wrongAth.body));
const oldIat = await apiCall({ authorization: `DPoP ${fAccess}`, dpop: proofWith({ iat: Math.floor(Date.now() / 1000) - 3600 }) });
check('api/dpop/me: an old iat is refused', dpopRefusal(oldIat, /iat/), JSON.stringify(oldIat.body));
const badNonce = await apiCall({ authorization: `DPoP ${fAccess}`, dpop: proofWith({ nonce: 'not-a-nonce' }) });
check('api/dpop/me: an unknown nonce gets use_dpop_nonce again', dpopRefusal(badNonce, /nonce/, 'use_dpop_nonce') && !!badNonce.headers.get('dpop-nonce'), JSON.stringify(badNonce.body));
const otherKey = await apiCall({ authorization: `DPoP ${fAccess}`, dpop: dpopProof(otherDpopKey, { htm: 'GET', htu: apiUrl, ath: athOf(fAccess), nonce: rsNonce }) });
check('api/dpop/me: a proof by another key than cnf.jkt is refused', dpopRefusal(otherKey, /not the one the access token is bound to/), JSON.stringify(otherKey.body));
const forged = proofWith({}).split('.');
forged[2] = `${forged[2].slice(0, 20)}${forged[2][20] === 'A' ? 'B' : 'A'}${forged[2].slice(21)}`;
const badSig = await apiCall({ authorization: `DPoP ${fAccess}`, dpop: forged.join('.') });
check('api/dpop/me: a proof whose signature does not verify is refused', dpopRefusal(badSig, /signature/), JSON.stringify(badSig.body));
const noProof = await apiCall({ authorization: `DPoP ${fAccess}` });
check('api/dpop/me: no DPoP header is refused', dpopRefusal(noProof, /no DPoP proof/), JSON.stringify(noProof.body));
const asBearer = await apiCall({ authorization: `Bearer ${fAccess}`, dpop: proofWith({}) });
check('api/dpop/me: the Bearer scheme is refused (invalid_token)', dpopRefusal(asBearer, /not Bearer/, 'invalid_token'), JSON.stringify(asBearer.body));
const noAuth = await apiCall({});
check('api/dpop/me without credentials: 401 with a DPoP challenge (algs, no error)', noAuth.status === 401
  && noAuth.headers.get('www-authenticate') === 'DPoP realm="tessera-demo", algs="ES256 PS256 EdDSA Ed25519"', noAuth.headers.get('www-authenticate'));
const fIntro = await post(fMeta.introspection_endpoint, { token: fAccess, ...fapiAuth(fc) });
check('--fapi introspection (private_key_jwt): active, token_type DPoP, cnf.jkt', fIntro.status === 200 && fIntro.body.active === true
  && fIntro.body.token_type === 'DPoP' && fIntro.body.cnf?.jkt === thumb(dpopKey), JSON.stringify(fIntro.body));
const fapiBearerMe = await getJson(`${fIssuer}/api/me`, { headers: { authorization: `Bearer ${fAccess}` } });
check('--fapi api/me: a DPoP-bound token used as a bearer token is refused', fapiBearerMe.status === 401 && /DPoP-bound/.test(fapiBearerMe.body.reason), JSON.stringify(fapiBearerMe.body));
dpopNonces.delete(new URL(fIssuer).origin);
const userinfo = await dpopSend(fMeta.userinfo_endpoint, { method: 'GET', token: fAccess });
check('--fapi userinfo with DPoP: asks for the provider\'s nonce, then the demo user', userinfo.retried && userinfo.first.status === 401
  && /use_dpop_nonce/.test(userinfo.first.headers.get('www-authenticate') ?? '') && userinfo.res.status === 200 && userinfo.res.body.sub === 'demo-user-0001', `${userinfo.first.headers.get('www-authenticate')} ${JSON.stringify(userinfo.res.body)}`);

// Refresh: a proof is required, the token stays bound to the same key, and the
// refresh token is not rotated (FAPI 2.0).
const refreshNoProof = await post(tokenUrl, { grant_type: 'refresh_token', refresh_token: tok1.body.refresh_token, ...fapiAuth(fc) });
check('--fapi refresh without a DPoP proof is refused', refreshNoProof.status === 400 && refreshNoProof.body.error === 'invalid_grant' && /DPoP/.test(refreshNoProof.body.error_description), JSON.stringify(refreshNoProof.body));
const refreshed = await fapiToken(fc, { grant_type: 'refresh_token', refresh_token: tok1.body.refresh_token });
const refreshedMe = refreshed.res.body.access_token ? await dpopSend(apiUrl, { method: 'GET', token: refreshed.res.body.access_token }) : { res: {} };
check('--fapi refresh with DPoP: a new DPoP token with the same cnf.jkt; the refresh token is not rotated', refreshed.res.status === 200 && refreshed.res.body.token_type === 'DPoP'
  && refreshed.res.body.access_token !== fAccess && refreshed.res.body.refresh_token === tok1.body.refresh_token
  && refreshedMe.res.status === 200 && refreshedMe.res.body.cnf?.jkt === thumb(dpopKey), `${JSON.stringify(refreshed.res.body).slice(0, 200)} ${JSON.stringify(refreshedMe.res.body)}`);
const refreshedAgain = await fapiToken(fc, { grant_type: 'refresh_token', refresh_token: tok1.body.refresh_token });
check('--fapi refresh: the same refresh token works again', refreshedAgain.res.status === 200, JSON.stringify(refreshedAgain.res.body));

// JAR: a signed request object inside PAR; and what is refused.
const fj = await fapiSignIn(fc, { jar: true });
const fjTok = fj.params.get('code') ? await fapiToken(fc, codeFields(fj)) : { res: {} };
check('--fapi JAR through PAR: a signed request object (ES256), then code and DPoP tokens', fj.par.res.status === 201 && fj.params.get('state') === fj.state
  && fjTok.res.status === 200 && fjTok.res.body.token_type === 'DPoP', `${JSON.stringify(fj.par.res.body)} ${JSON.stringify(fjTok.res.body).slice(0, 200)}`);
const jarNoNbf = await dpopSend(parUrl, { makeFields: () => ({ client_id: fc.id, request: requestObject(fc, firstParFields, { omit: ['nbf'] }), ...fapiAuth(fc) }) });
check('--fapi JAR: a request object without nbf is refused (invalid_request_object)', jarNoNbf.res.status === 400 && jarNoNbf.res.body.error === 'invalid_request_object', JSON.stringify(jarNoNbf.res.body));
const jarByValue = new URL(fMeta.authorization_endpoint);
jarByValue.search = form({ client_id: fc.id, request: requestObject(fc, firstParFields) });
const jarByValueRes = await fetch(jarByValue, { redirect: 'manual' });
const jarByValueText = await jarByValueRes.text();
check('--fapi JAR by value at the authorization endpoint is refused: PAR is required', jarByValueRes.status === 400
  && /invalid_request: Pushed Authorization Request must be used/.test(jarByValueText), `${jarByValueRes.status} ${jarByValueText.slice(-300)}`);

// --- (b) private_key_jwt + JARM ---------------------------------------------------------
const jc = await fapiRegister(fapi, { authorization_signed_response_alg: 'ES256' });
check('--fapi registration (b) private_key_jwt + JARM: 201 with authorization_signed_response_alg ES256', jc.status === 201 && jc.body.authorization_signed_response_alg === 'ES256', JSON.stringify(jc.body).slice(0, 300));
const fm = await fapiSignIn(jc, { fields: { response_mode: 'jwt' } });
const jarm = fm.params.get('response') ? verifyAgainst(fJwks, fm.params.get('response')) : {};
const nowS = Math.floor(Date.now() / 1000);
check('--fapi JARM: the callback gets only response=<JWT>, signed ES256 by the provider, with iss, aud, exp, code, state', fm.exit === 0 && [...fm.params.keys()].join() === 'response'
  && jarm.valid && jarm.header.alg === 'ES256' && jarm.payload.iss === fIssuer && jarm.payload.aud === jc.id && jarm.payload.exp > nowS && jarm.payload.exp <= nowS + 130
  && jarm.payload.code && jarm.payload.state === fm.state && !('iat' in jarm.payload) && /\/callback\?response -> 200/.test(fm.log), `${[...fm.params.keys()]} ${JSON.stringify(jarm.payload)} ${fm.log}`);
const fmTok = jarm.payload?.code ? await fapiToken(jc, codeFields(fm, jarm.payload.code)) : { res: {} };
check('--fapi JARM: the code from the response works at the token endpoint', fmTok.res.status === 200 && fmTok.res.body.token_type === 'DPoP', JSON.stringify(fmTok.res.body).slice(0, 200));
const fmt = await fapiSignIn(jc, { fields: { response_mode: 'jwt' }, env: { BROWSER_TAMPER_RESPONSE: '1' } });
const tampered = fmt.params.get('response') ? verifyAgainst(fJwks, fmt.params.get('response')) : {};
check('BROWSER_TAMPER_RESPONSE=1: the JARM response\'s signature no longer verifies (claims intact)', fmt.exit === 0 && tampered.valid === false
  && tampered.payload?.state === fmt.state && /tamper: response signature changed/.test(fmt.log), `${JSON.stringify(tampered.payload)} ${fmt.log}`);
const fmDeny = await fapiSignIn(jc, { fields: { response_mode: 'jwt' }, env: { BROWSER_CONSENT: 'deny' } });
const denied2 = fmDeny.params.get('response') ? verifyAgainst(fJwks, fmDeny.params.get('response')) : {};
check('--fapi JARM: a denial is a signed response too (error=access_denied inside)', denied2.valid && denied2.payload.error === 'access_denied' && denied2.payload.state === fmDeny.state, JSON.stringify(denied2.payload));

// --- the static private_key_jwt client (--client-jwks) in --fapi mode ----------------
const staticClient = { id: 'tessera-private-key-jwt', key: staticKey.privateKey, kid: 'static-es256', op: fapi };
const fcc = await fapiToken(staticClient, { grant_type: 'client_credentials' });
check('--fapi --client-jwks: tessera-private-key-jwt, client credentials with DPoP (nonce retried): token_type DPoP', fcc.res.status === 200
  && fcc.res.body.token_type === 'DPoP', JSON.stringify(fcc.res.body));
const fccMe = await dpopSend(apiUrl, { method: 'GET', token: fcc.res.body.access_token });
check('api/dpop/me with a client credentials DPoP token: sub is the client, cnf.jkt', fccMe.res.status === 200 && fccMe.res.body.sub === 'tessera-private-key-jwt'
  && fccMe.res.body.cnf?.jkt === thumb(dpopKey), JSON.stringify(fccMe.res.body));
const fccNoProof = await post(tokenUrl, { grant_type: 'client_credentials', ...fapiAuth(staticClient) });
check('--fapi: client credentials without a DPoP proof are refused (sender-constrained tokens only)', fccNoProof.status === 400 && /DPoP/.test(fccNoProof.body.error_description ?? ''), JSON.stringify(fccNoProof.body));
const fStatic = await fapiSignIn(staticClient);
const fStaticTok = fStatic.params.get('code') ? await fapiToken(staticClient, codeFields(fStatic)) : { res: {} };
check('--fapi --client-jwks: tessera-private-key-jwt signs in through PAR', fStaticTok.res.status === 200 && fStaticTok.res.body.token_type === 'DPoP', JSON.stringify(fStaticTok.res.body).slice(0, 200));

// --- mTLS in --fapi mode ------------------------------------------------------------------
const fAliases = fMeta.mtls_endpoint_aliases ?? {};
const mtlsClient = { id: 'tessera-mtls', op: fapi };
const fm1 = await httpsForm(fAliases.token_endpoint, { grant_type: 'client_credentials', client_id: 'tessera-mtls' }, fTls);
keep(fm1.body);
const fm1Me = fm1.body.access_token ? await httpsRequest(`${fMtlsOrigin}/api/mtls/me`, { headers: { authorization: `Bearer ${fm1.body.access_token}` } }, fTls) : {};
check('--fapi --mtls-port: tessera-mtls gets a certificate-bound token without DPoP', fm1.status === 200 && fm1.body.token_type === 'Bearer'
  && fm1Me.status === 200 && fm1Me.body.cnf?.['x5t#S256'] === crypto.hash('sha256', new crypto.X509Certificate(pem(fCert)).raw, 'base64url'), `${JSON.stringify(fm1.body)} ${JSON.stringify(fm1Me.body)}`);
const fmSign = await fapiSignIn(mtlsClient, { pair: null, parUrl: fAliases.pushed_authorization_request_endpoint, clientAuth: () => ({ client_id: 'tessera-mtls' }), tls: fTls });
const fmSignTok = fmSign.params.get('code') ? await httpsForm(fAliases.token_endpoint, { ...codeFields(fmSign), client_id: 'tessera-mtls' }, fTls) : {};
keep(fmSignTok.body);
check('--fapi --mtls-port: tessera-mtls signs in with PAR over mTLS (tls_client_auth), a certificate-bound token', fmSign.par.res.status === 201
  && fmSignTok.status === 200 && fmSignTok.body.refresh_token, `${JSON.stringify(fmSign.par.res.body)} ${JSON.stringify(fmSignTok.body).slice(0, 200)}`);

// --- the test switches -------------------------------------------------------------------------
// --bearer-despite-dpop with --require-signed-request-object.
const strict = await ready(fapiStrictOp);
strict.meta = (await getJson(`${strict.issuer}/.well-known/openid-configuration`)).body;
check('--require-signed-request-object: discovery says require_signed_request_object true', strict.meta.require_signed_request_object === true, strict.meta.require_signed_request_object);
const sc = await fapiRegister(strict);
check('--require-signed-request-object: registered clients get require_signed_request_object', sc.status === 201 && sc.body.require_signed_request_object === true, JSON.stringify(sc.body).slice(0, 300));
const plainPar = await dpopSend(strict.meta.pushed_authorization_request_endpoint, { makeFields: () => ({ ...firstParFields, client_id: sc.id, ...fapiAuth(sc) }) });
check('--require-signed-request-object: PAR without a request object is refused', plainPar.res.status === 400 && /Request Object must be used/.test(plainPar.res.body.error_description), JSON.stringify(plainPar.res.body));
const ss = await fapiSignIn(sc, { jar: true });
const sTok = ss.params.get('code') ? await fapiToken(sc, codeFields(ss)) : { res: {} };
check('--bearer-despite-dpop: a DPoP proof was sent, yet token_type Bearer', ss.par.res.status === 201 && sTok.res.status === 200 && sTok.res.body.token_type === 'Bearer', `${JSON.stringify(ss.par.res.body)} ${JSON.stringify(sTok.res.body).slice(0, 200)}`);
const sDpopMe = sTok.res.body.access_token ? await dpopSend(dpopApiUrl(strict), { method: 'GET', token: sTok.res.body.access_token }) : { res: {} };
const sBearerMe = sTok.res.body.access_token ? await getJson(`${strict.issuer}/api/me`, { headers: { authorization: `Bearer ${sTok.res.body.access_token}` } }) : {};
check('--bearer-despite-dpop: the token is unbound: api/dpop/me refuses it, api/me takes it as a bearer token', sDpopMe.res.status === 401 && sDpopMe.res.body.error === 'invalid_token'
  && /not DPoP-bound/.test(sDpopMe.res.body.error_description) && sBearerMe.status === 200, `${JSON.stringify(sDpopMe.res.body)} ${sBearerMe.status}`);

// --jarm-wrong-aud and --jarm-expired.
for (const [label, op, test] of [
  ['--jarm-wrong-aud: the JARM response is signed but made out to another audience', fapiWrongAudOp, (p, c) => p.aud === 'https://wrong-audience.invalid' && p.aud !== c.id && p.exp > Date.now() / 1000],
  ['--jarm-expired: the JARM response is signed but already expired', fapiExpiredOp, (p, c) => p.aud === c.id && p.exp < Date.now() / 1000 - 60],
]) {
  const sw = await ready(op);
  sw.meta = (await getJson(`${sw.issuer}/.well-known/openid-configuration`)).body;
  const swJwks = (await getJson(sw.meta.jwks_uri)).body;
  const swc = await fapiRegister(sw, { authorization_signed_response_alg: 'PS256' });
  const swIn = await fapiSignIn(swc, { fields: { response_mode: 'jwt' } });
  const swJarm = swIn.params.get('response') ? verifyAgainst(swJwks, swIn.params.get('response')) : {};
  check(label, swJarm.valid && swJarm.header.alg === 'PS256' && swJarm.payload.iss === sw.issuer && swJarm.payload.code
    && swJarm.payload.state === swIn.state && test(swJarm.payload, swc), `${JSON.stringify(swJarm.header)} ${JSON.stringify(swJarm.payload)} ${swIn.log}`);
}

// /api/dpop/me serves the normal provider too: a DPoP-bound token from it
// (DPoP without nonces there) and the demo API's own nonce.
const nd = await authorize({ scope: 'openid' });
const ndTok = await dpopSend(meta.token_endpoint, { makeFields: () => ({ grant_type: 'authorization_code', code: nd.params.get('code'), redirect_uri: nd.redirectUri, code_verifier: nd.verifier, client_id: 'tessera' }) });
check('normal mode: a DPoP proof at the token endpoint (no nonce needed) gives a DPoP-bound token', ndTok.res.status === 200 && !ndTok.retried && ndTok.res.body.token_type === 'DPoP', JSON.stringify(ndTok.res.body).slice(0, 200));
const ndMe = ndTok.res.body.access_token ? await dpopSend(`${issuer}/api/dpop/me`, { method: 'GET', token: ndTok.res.body.access_token }) : { res: {} };
check('normal mode api/dpop/me: its nonce asked for, then 200 with cnf.jkt', ndMe.retried && ndMe.res.status === 200 && ndMe.res.body.client_id === 'tessera'
  && ndMe.res.body.cnf?.jkt === thumb(dpopKey), JSON.stringify(ndMe.res.body));

// The FAPI-only flags need --fapi; the device flow is not part of it.
for (const [flags, message] of [[['--jarm-expired'], /--jarm-expired needs --fapi/], [['--fapi', '--device-slow-down'], /not part of --fapi mode/]]) {
  const bad = startProvider(flags);
  const outcome = await ready(bad).then(() => 'started', (err) => err.message);
  check(`provider.mjs ${flags.join(' ')}: refused with a message`, message.test(outcome), outcome);
  if (outcome === 'started') bad.child.kill();
}

// --- nothing secret in the logs ---------------------------------------------
const logs = fs.readdirSync(tmp).map((f) => fs.readFileSync(path.join(tmp, f), 'utf8')).join('\n');
const leaked = secrets.filter((s) => s && (logs.includes(s) || main.err.includes(s) || second.err.includes(s) || fapiOp.err.includes(s)));
check('no code, state or token in the browser logs or the provider\'s --verbose log', leaked.length === 0 && /GET \/auth 303/.test(main.err)
  && /mtls POST \/token 200/.test(second.err), `${leaked.length} leaked`);

main.child.stdin.end();
const providerExit = await Promise.race([main.exited, new Promise((r) => setTimeout(() => r('still running'), 5000))]);
check('--exit-with-stdin: the provider stops when stdin closes', providerExit === 0, providerExit);
second.child.stdin.end();
third.child.stdin.end();
for (const op of [fapiOp, fapiStrictOp, fapiWrongAudOp, fapiExpiredOp]) op.child.stdin.end();
const secondExit = await Promise.race([second.exited, new Promise((r) => setTimeout(() => r('still running'), 5000))]);
await Promise.race([third.exited, new Promise((r) => setTimeout(r, 5000))]);
check('--mtls-port: the certificates are removed when the provider stops', secondExit === 0 && certDir && !fs.existsSync(certDir), `${secondExit} ${certDir}`);
fs.rmSync(tmp, { recursive: true, force: true });

// How long the providers took to start (a slow machine shows here first).
const startTimes = providers.filter((p) => p.readyAfterMs !== undefined).map((p) => p.readyAfterMs);
console.log(`providers: ${startTimes.length} started, the slowest in ${Math.max(...startTimes)} ms`);
console.log(`selftest: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
