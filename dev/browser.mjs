// A stand-in for the system browser, for the demo on headless machines and
// for the tests. Tessera runs it as `<command> <url>` and does not wait.
// Over plain HTTP it does what a person would: follows redirects with a
// cookie jar, fills in the local provider's login form (demo / demo),
// answers the consent and sign-out pages, and finally requests Tessera's
// loopback redirect.
//
//   node dev/browser.mjs [--log FILE] <URL>
//
// Knobs (environment):
//   BROWSER_LOGIN, BROWSER_PASSWORD   credentials (default demo / demo)
//   BROWSER_CONSENT=deny              press "Deny" on the consent page
//   BROWSER_TAMPER_STATE=1            change `state` on the way back to 127.0.0.1
//   BROWSER_DROP_ISS=1                drop the RFC 9207 `iss` parameter
//   BROWSER_SET_ISS=<url>             replace `iss`
//   BROWSER_MODE=idle                 never visit the URL (for timeout tests)
//   TESSERA_BROWSER_LOG=<file>        same as --log
// The log names each hop's method, URL (parameter names only, never values)
// and status.
import fs from 'node:fs';

const args = process.argv.slice(2);
let logFile = process.env.TESSERA_BROWSER_LOG;
const logAt = args.indexOf('--log');
if (logAt !== -1) {
  logFile = args[logAt + 1];
  args.splice(logAt, 2);
}
const start = args.at(-1);

function log(line) {
  if (logFile) fs.appendFileSync(logFile, `${line}\n`);
}

// The URL with query values hidden: codes, state and tokens stay out of logs.
function describe(url) {
  const u = new URL(url);
  const names = [...u.searchParams.keys()];
  return `${u.origin}${u.pathname}${names.length ? `?${names.join('&')}` : ''}`;
}

const jar = new Map();

function remember(url, response) {
  const host = new URL(url).host;
  const cookies = jar.get(host) ?? new Map();
  for (const header of response.headers.getSetCookie?.() ?? []) {
    const [pair] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  jar.set(host, cookies);
}

function cookieHeader(url) {
  const cookies = jar.get(new URL(url).host);
  return cookies ? [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') : '';
}

function tamper(url) {
  const u = new URL(url);
  if (u.hostname !== '127.0.0.1') return url;
  if (process.env.BROWSER_TAMPER_STATE === '1' && u.searchParams.has('state')) u.searchParams.set('state', 'tampered-state');
  if (process.env.BROWSER_DROP_ISS === '1') u.searchParams.delete('iss');
  if (process.env.BROWSER_SET_ISS) u.searchParams.set('iss', process.env.BROWSER_SET_ISS);
  return u.toString();
}

async function request(method, url, body) {
  const headers = { 'user-agent': 'tessera-browser-double/1' };
  const cookie = cookieHeader(url);
  if (cookie) headers.cookie = cookie;
  if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(url, { method, headers, body, redirect: 'manual' });
  remember(url, response);
  log(`${method} ${describe(url)} -> ${response.status}`);
  return response;
}

// The forms a person would submit, found in the page's HTML.
function forms(html, base) {
  const found = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = m[1];
    const action = /action="([^"]*)"/i.exec(attrs)?.[1] ?? '';
    const method = (/method="([^"]*)"/i.exec(attrs)?.[1] ?? 'get').toUpperCase();
    const fields = new URLSearchParams();
    for (const input of m[2].matchAll(/<(?:input|button)\b([^>]*)>/gi)) {
      const name = /name="([^"]*)"/i.exec(input[1])?.[1];
      const value = /value="([^"]*)"/i.exec(input[1])?.[1] ?? '';
      if (name) fields.set(name, value.replace(/&amp;/g, '&'));
    }
    found.push({ action: new URL(action.replace(/&amp;/g, '&') || base, base).toString(), method, fields, html: m[0] });
  }
  return found;
}

function nextSubmission(html, url) {
  const all = forms(html, url);
  const login = all.find((f) => f.action.endsWith('/login'));
  if (login) {
    login.fields.set('login', process.env.BROWSER_LOGIN ?? 'demo');
    login.fields.set('password', process.env.BROWSER_PASSWORD ?? 'demo');
    return login;
  }
  const wanted = process.env.BROWSER_CONSENT === 'deny' ? '/abort' : '/confirm';
  const consent = all.find((f) => f.action.endsWith(wanted));
  if (consent) return consent;
  // oidc-provider's sign-out confirmation: a form with an xsrf field; "yes" signs out everywhere.
  const logout = all.find((f) => f.fields.has('xsrf'));
  if (logout) {
    logout.fields.set('logout', 'yes');
    return logout;
  }
  return undefined;
}

async function browse(url) {
  let method = 'GET';
  let body;
  for (let hop = 0; hop < 30; hop += 1) {
    const response = await request(method, url, body);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = tamper(new URL(location, url).toString());
      method = 'GET';
      body = undefined;
      continue;
    }
    const text = await response.text();
    const form = (response.headers.get('content-type') ?? '').includes('html') ? nextSubmission(text, url) : undefined;
    if (form) {
      url = form.action;
      method = form.method;
      body = form.method === 'POST' ? form.fields.toString() : undefined;
      if (form.method === 'GET') url = `${url}${url.includes('?') ? '&' : '?'}${form.fields}`;
      continue;
    }
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1] ?? text.slice(0, 80);
    log(`done: ${response.status} ${title.trim()}`);
    return;
  }
  throw new Error('too many hops');
}

if (process.env.BROWSER_MODE === 'idle') {
  log('idle: not visiting the URL');
  process.exit(0);
}
if (!start) {
  console.error('usage: node dev/browser.mjs [--log FILE] <URL>');
  process.exit(2);
}
setTimeout(() => {
  log('gave up after 30 s');
  process.exit(1);
}, 30_000).unref();
browse(start).catch((err) => {
  log(`error: ${err.message}`);
  process.exit(1);
});
