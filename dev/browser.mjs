// A stand-in for the system browser, for the demo on headless machines and
// for the tests. Tessera runs it as `<command> <url>` and does not wait.
// Over plain HTTP it does what a person would: follows redirects with a
// cookie jar, fills in the local provider's login form (demo / demo),
// answers the consent and sign-out pages, and finally requests Tessera's
// loopback redirect. It also works against a provider that answers the
// authorization request with a direct redirect to the callback. After a
// pushed authorization request it is given /auth?client_id=…&request_uri=…
// and goes the same way; a JARM answer (?response=<JWT>) reaches the callback
// as it is.
// Given a device flow's verification_uri_complete (RFC 8628), it confirms the
// code, signs in, answers consent and stops at the "device signed in" page.
//
//   node dev/browser.mjs [--log FILE] <URL>      (the URL is always last)
//
// Knobs (environment):
//   BROWSER_LOGIN, BROWSER_PASSWORD   credentials (default demo / demo)
//   BROWSER_CONSENT=deny              press "Deny" on the consent page (in the
//                                     device flow too: the device's next poll
//                                     gets access_denied)
//   BROWSER_USER_CODE=<code>          type this user code on the device flow's
//                                     code page (for a bare verification_uri)
//   BROWSER_TAMPER_STATE=1            on the way back to a loopback callback,
//                                     replace `state` with "tampered-state"
//   BROWSER_DROP_ISS=1                ... drop the RFC 9207 `iss` parameter
//   BROWSER_SET_ISS=<url>             ... replace `iss` with <url>
//   BROWSER_TAMPER_RESPONSE=1         ... flip one character of the signature
//                                     of a JARM `response` JWT (the knobs
//                                     above see only the parameters outside
//                                     it: with JARM, state and iss are inside)
//   BROWSER_MODE=idle                 never visit the URL (for timeout tests)
//   BROWSER_SCHEME_HANDLER=<command>  hand a private-use-scheme redirect
//                                     (dev.tessera.app:/callback?...) to
//                                     `<command> <url>`, as a real browser hands
//                                     it to the OS (e.g. xdg-open), and wait for it
//   TESSERA_BROWSER_LOG=<file>        same as --log (lines are appended)
// The log has one line per hop: method, URL with parameter names only (never
// a value: no code, state or token), and status; then the final page's title.
// It writes nothing to stdout or stderr, which Tessera may share.
// Exit status: 0 once a final page is reached, 1 on a network error, too many
// hops or the 30 s limit, 2 on bad usage.
import fs from 'node:fs';

const TIMEOUT_MS = 30_000;
const MAX_HOPS = 40;

const args = process.argv.slice(2);
let logFile = process.env.TESSERA_BROWSER_LOG || undefined;
const logAt = args.indexOf('--log');
if (logAt !== -1 && logAt < args.length - 2) {
  logFile = args[logAt + 1];
  args.splice(logAt, 2);
}
const start = args.at(-1);

function log(line) {
  if (!logFile) return;
  try {
    fs.appendFileSync(logFile, `${line}\n`);
  } catch {
    // A log that cannot be written must not stop the sign-in.
  }
}

// The URL with query values hidden: codes, state and tokens stay out of logs.
function describe(url) {
  try {
    const u = new URL(url);
    const names = [...new Set(u.searchParams.keys())];
    const where = u.protocol === 'http:' || u.protocol === 'https:' ? `${u.origin}${u.pathname}` : `${u.protocol}${u.pathname}`;
    return `${where}${names.length ? `?${names.join('&')}` : ''}`;
  } catch {
    return '(not a URL)';
  }
}

// A small cookie jar: host-only cookies, with Path and expiry honoured.
const jar = new Map(); // hostname -> Map("name\0path" -> { name, value, path, expires })

function defaultPath(u) {
  const p = u.pathname;
  return p.lastIndexOf('/') > 0 ? p.slice(0, p.lastIndexOf('/')) : '/';
}

function remember(url, response) {
  const u = new URL(url);
  const cookies = jar.get(u.hostname) ?? new Map();
  for (const header of response.headers.getSetCookie?.() ?? []) {
    const [pair, ...attrs] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const cookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), path: defaultPath(u), expires: Infinity };
    for (const attr of attrs) {
      const [k, ...v] = attr.split('=');
      const key = k.trim().toLowerCase();
      const value = v.join('=').trim();
      if (key === 'path' && value.startsWith('/')) cookie.path = value;
      else if (key === 'max-age' && /^-?\d+$/.test(value)) cookie.expires = Date.now() + Number(value) * 1000;
      else if (key === 'expires' && cookie.expires === Infinity && !Number.isNaN(Date.parse(value))) cookie.expires = Date.parse(value);
    }
    const id = `${cookie.name}\0${cookie.path}`;
    if (cookie.expires <= Date.now()) cookies.delete(id);
    else cookies.set(id, cookie);
  }
  jar.set(u.hostname, cookies);
}

function cookieHeader(url) {
  const u = new URL(url);
  const now = Date.now();
  const matching = [...(jar.get(u.hostname)?.values() ?? [])]
    .filter((c) => c.expires > now)
    .filter((c) => u.pathname === c.path || u.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
    .sort((a, b) => b.path.length - a.path.length);
  return matching.map((c) => `${c.name}=${c.value}`).join('; ');
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
let providerOrigin;

// Whether a URL is the app's loopback redirect: a loopback host that is not
// the authorization server the browser was sent to.
function isLoopbackCallback(url) {
  return LOOPBACK.has(url.hostname) && url.origin !== providerOrigin;
}

// The tamper knobs, applied to the parameters of the response to the app.
function tamperParams(params) {
  const changed = [];
  if (process.env.BROWSER_TAMPER_STATE === '1' && params.has('state')) {
    params.set('state', 'tampered-state');
    changed.push('state changed');
  }
  if (process.env.BROWSER_DROP_ISS === '1' && params.has('iss')) {
    params.delete('iss');
    changed.push('iss dropped');
  }
  if (process.env.BROWSER_SET_ISS) {
    params.set('iss', process.env.BROWSER_SET_ISS);
    changed.push('iss replaced');
  }
  if (process.env.BROWSER_TAMPER_RESPONSE === '1' && params.has('response')) {
    // A character from the middle of the signature, where every bit counts
    // (the last one may carry only padding bits).
    const parts = params.get('response').split('.');
    const signature = parts.at(-1);
    if (parts.length === 3 && signature.length > 1) {
      const at = Math.floor(signature.length / 2);
      parts[2] = `${signature.slice(0, at)}${signature[at] === 'A' ? 'B' : 'A'}${signature.slice(at + 1)}`;
      params.set('response', parts.join('.'));
      changed.push('response signature changed');
    }
  }
  if (changed.length) log(`tamper: ${changed.join(', ')}`);
}

function tamper(url) {
  const u = new URL(url);
  if (!isLoopbackCallback(u)) return url;
  tamperParams(u.searchParams);
  return u.toString();
}

async function request(method, url, body) {
  const headers = { 'user-agent': 'tessera-browser-stand-in/1', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
  const cookie = cookieHeader(url);
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  let response;
  try {
    response = await fetch(url, { method, headers, body, redirect: 'manual' });
  } catch (err) {
    const cause = err.cause?.code ?? err.cause?.errors?.[0]?.code ?? err.cause?.message ?? err.message;
    log(`${method} ${describe(url)} -> network error: ${cause}`);
    throw new Error(`network error (${cause})`);
  }
  remember(url, response);
  log(`${method} ${describe(url)} -> ${response.status}`);
  return response;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'", '#34': '"' };
const decode = (s) => s.replace(/&(amp|lt|gt|quot|apos|#39|#x27|#34);/g, (_, e) => ENTITIES[e]);
const attr = (attrs, name) => {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  return m ? decode(m[1] ?? m[2] ?? m[3]) : undefined;
};

// The forms on a page, with their hidden and prefilled fields.
function forms(html, base) {
  const found = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const fields = new URLSearchParams();
    for (const input of m[2].matchAll(/<input\b([^>]*)>/gi)) {
      const name = attr(input[1], 'name');
      if (name) fields.set(name, attr(input[1], 'value') ?? '');
    }
    found.push({
      id: attr(m[1], 'id'),
      action: new URL(attr(m[1], 'action') || base, base).toString(),
      method: (attr(m[1], 'method') ?? 'get').toUpperCase(),
      fields,
    });
  }
  return found;
}

const submitted = new Set();

// What a person would press on this page, if it is one we know.
function nextSubmission(html, url) {
  const all = forms(html, url);
  const login = all.find((f) => new URL(f.action).pathname.endsWith('/login'));
  if (login) {
    // A second login form for the same sign-in means the password was refused.
    if (submitted.has(login.action)) {
      log('login refused: stopping at the sign-in page');
      return undefined;
    }
    submitted.add(login.action);
    login.fields.set('login', process.env.BROWSER_LOGIN ?? 'demo');
    login.fields.set('password', process.env.BROWSER_PASSWORD ?? 'demo');
    return { ...login, what: 'login form' };
  }
  const deny = process.env.BROWSER_CONSENT === 'deny';
  const consent = all.find((f) => new URL(f.action).pathname.endsWith(deny ? '/abort' : '/confirm'));
  if (consent) return { ...consent, what: deny ? 'consent: deny' : 'consent: allow' };
  // The device flow's pages (oidc-provider's forms, each with an xsrf field):
  // "is this your device?" (its hidden confirm=yes is the Continue button)...
  const deviceConfirm = all.find((f) => f.id === 'op.deviceConfirmForm');
  if (deviceConfirm) return { ...deviceConfirm, what: 'device code: confirm' };
  // ...and the code input page, shown for a bare verification_uri, a wrong
  // or expired code, or after the sign-in was denied.
  const deviceInput = all.find((f) => f.id === 'op.deviceInputForm');
  if (deviceInput) {
    const alert = /<p class="error" role="alert">([\s\S]*?)<\/p>/.exec(html)?.[1];
    if (alert) log(`device code page says: ${decode(alert)}`);
    const userCode = process.env.BROWSER_USER_CODE;
    if (!userCode || submitted.has('device code')) return undefined;
    submitted.add('device code');
    deviceInput.fields.set('user_code', userCode);
    return { ...deviceInput, what: 'device code: enter' };
  }
  // verification_uri_complete answers with an auto-submitting form that
  // hands the code on.
  const autoSubmit = /<title>\s*Submitting Callback\s*<\/title>/i.test(html) && all.length === 1 && all[0].method === 'POST';
  if (autoSubmit && all[0].fields.has('user_code')) return { ...all[0], what: 'device code: submit' };
  // oidc-provider's sign-out confirmation (or its auto-submitted variant): a
  // form with an xsrf field; logout=yes is its "Yes, sign me out" button.
  const logout = all.find((f) => f.fields.has('xsrf'));
  if (logout) {
    logout.fields.set('logout', 'yes');
    return { ...logout, what: 'sign-out: yes' };
  }
  // An auto-submitting response page (response_mode=form_post).
  if (autoSubmit) {
    const post = all[0];
    if (isLoopbackCallback(new URL(post.action))) tamperParams(post.fields);
    return { ...post, what: 'form_post' };
  }
  return undefined;
}

function summary(text) {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text)?.[1];
  const plain = (s) => decode(s.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
  const first = plain(title ?? h1 ?? text.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ''));
  return first.slice(0, 120);
}

async function browse(url) {
  providerOrigin = new URL(url).origin;
  let method = 'GET';
  let body;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      // A private-use scheme such as dev.tessera.app:/callback: a real browser
      // hands it to the operating system.
      const handler = process.env.BROWSER_SCHEME_HANDLER;
      if (!handler) {
        log(`done: ${describe(url)} is for the operating system to open; not followed`);
        return;
      }
      tamperParams(target.searchParams);
      const [cmd, ...cmdArgs] = handler.split(' ').filter(Boolean);
      const { spawnSync } = await import('node:child_process');
      const run = spawnSync(cmd, [...cmdArgs, target.toString()], { stdio: 'ignore', timeout: 20_000 });
      log(`handed ${describe(target.toString())} to ${cmd}: exit ${run.status ?? run.error?.code}`);
      return;
    }
    const response = await request(method, url, body);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = tamper(new URL(location, url).toString());
      if (!(response.status === 307 || response.status === 308)) {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    const text = await response.text();
    const html = /html/i.test(response.headers.get('content-type') ?? '');
    const form = html ? nextSubmission(text, url) : undefined;
    if (form) {
      log(`submit: ${form.what}`);
      if (form.method === 'POST') {
        url = form.action;
        method = 'POST';
        body = form.fields.toString();
      } else {
        const next = new URL(form.action);
        for (const [k, v] of form.fields) next.searchParams.append(k, v);
        url = next.toString();
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    log(`done: ${response.status} ${summary(text)}`);
    return;
  }
  throw new Error(`more than ${MAX_HOPS} hops`);
}

if (process.env.BROWSER_MODE === 'idle') {
  log('idle: not visiting the URL');
  process.exit(0);
}
if (!start || start.startsWith('--')) {
  console.error('usage: node dev/browser.mjs [--log FILE] <URL>');
  process.exit(2);
}
try {
  new URL(start);
} catch {
  log('error: the last argument is not a URL');
  process.exit(2);
}
setTimeout(() => {
  log(`error: gave up after ${TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, TIMEOUT_MS).unref();
browse(start).then(() => process.exit(0), (err) => {
  log(`error: ${err.message}`);
  process.exit(1);
});
