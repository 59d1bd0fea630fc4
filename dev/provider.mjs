// Tessera's local OpenID provider: panva's oidc-provider (a certified
// implementation) configured with a demo user, native and confidential
// clients, refresh-token rotation, revocation, introspection, RP-initiated
// logout, and a small protected demo API on the same server.
//
//   node dev/provider.mjs [--port N] [--access-token-ttl SECS] [--ephemeral]
//                         [--exit-with-stdin] [--verbose]
//
// It listens on 127.0.0.1 only and prints one line when ready:
//   Tessera local provider ready; issuer: http://127.0.0.1:9090
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Provider from 'oidc-provider';

const here = path.dirname(fileURLToPath(import.meta.url));
const USAGE = 'usage: node dev/provider.mjs [--port N] [--access-token-ttl SECS] [--ephemeral] [--exit-with-stdin] [--verbose]';

function parseArgs(argv) {
  const opts = {
    port: Number(process.env.TESSERA_DEV_PORT || 9090),
    accessTokenTtl: 600,
    ephemeral: false,
    exitWithStdin: false,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      i += 1;
      if (argv[i] === undefined) throw new Error(`${arg} needs a value`);
      return argv[i];
    };
    if (arg === '--port') opts.port = Number(value());
    else if (arg === '--access-token-ttl') opts.accessTokenTtl = Number(value());
    else if (arg === '--ephemeral') opts.ephemeral = true;
    else if (arg === '--exit-with-stdin') opts.exitWithStdin = true;
    else if (arg === '--verbose') opts.verbose = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port must be 0-65535');
  if (!Number.isInteger(opts.accessTokenTtl) || opts.accessTokenTtl <= 0) {
    throw new Error('--access-token-ttl must be a positive whole number of seconds');
  }
  return opts;
}

// Signing keys: RS256 (the default for ID tokens), ES256 and EdDSA, each with
// a kid. Kept in dev/.data/jwks.json so a restarted provider keeps its keys
// (and clients' cached JWKS stay valid); --ephemeral makes fresh ones in memory.
const KEY_ALGS = ['RS256', 'ES256', 'EdDSA'];

function generateJwks() {
  const stamp = Date.now().toString(36);
  const make = (type, options, kid, alg) => ({
    ...crypto.generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' }),
    kid,
    alg,
    use: 'sig',
  });
  return {
    keys: [
      make('rsa', { modulusLength: 2048 }, `rs256-${stamp}`, 'RS256'),
      make('ec', { namedCurve: 'P-256' }, `es256-${stamp}`, 'ES256'),
      make('ed25519', {}, `eddsa-${stamp}`, 'EdDSA'),
    ],
  };
}

function signingKeys(ephemeral) {
  if (ephemeral) return generateJwks();
  const file = path.join(here, '.data', 'jwks.json');
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    const algs = new Set(saved.keys?.filter((k) => k.kid && k.d).map((k) => k.alg));
    if (KEY_ALGS.every((alg) => algs.has(alg))) return saved;
    console.error(`tessera local provider: ${file} lacks a signing key, making new keys`);
  } catch (err) {
    if (err.code !== 'ENOENT') console.error(`tessera local provider: cannot use ${file} (${err.message}), making new keys`);
  }
  const jwks = generateJwks();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(jwks), { mode: 0o600 });
  return jwks;
}

// State lives in memory. A plain map with expiry rather than oidc-provider's
// bundled quick-start adapter, which is an LRU cache of 1000 entries: under a
// long test run it could evict a live grant or session.
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
const entries = new Map(); // "Model:id" -> { payload, expiresAt }
const grantMembers = new Map(); // grantId -> Set of "Model:id"
const sessionUids = new Map(); // session uid -> session id
const userCodes = new Map(); // user code -> device code id

class MemoryAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    if (this.model === 'Session' && payload.uid) sessionUids.set(payload.uid, id);
    if (payload.userCode) userCodes.set(payload.userCode, id);
    if (GRANTABLE.has(this.model) && payload.grantId) {
      if (!grantMembers.has(payload.grantId)) grantMembers.set(payload.grantId, new Set());
      grantMembers.get(payload.grantId).add(key);
    }
  }

  async find(id) {
    const key = this.key(id);
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid) {
    const id = sessionUids.get(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode) {
    const id = userCodes.get(userCode);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id) {
    const entry = entries.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    entries.delete(this.key(id));
  }

  async revokeByGrantId(grantId) {
    for (const key of grantMembers.get(grantId) ?? []) entries.delete(key);
    grantMembers.delete(grantId);
  }
}

// Forget what has expired, once a minute.
setInterval(() => {
  const now = Date.now();
  for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  for (const [grantId, keys] of grantMembers) {
    for (const key of keys) if (!entries.has(key)) keys.delete(key);
    if (keys.size === 0) grantMembers.delete(grantId);
  }
  for (const [uid, id] of sessionUids) if (!entries.has(`Session:${id}`)) sessionUids.delete(uid);
  for (const [code, id] of userCodes) if (!entries.has(`DeviceCode:${id}`)) userCodes.delete(code);
}, 60_000).unref();

const DEMO = { username: 'demo', password: 'demo', accountId: 'demo-user-0001' };

function demoClaims(issuer) {
  return {
    sub: DEMO.accountId,
    name: 'Dana Demo',
    given_name: 'Dana',
    family_name: 'Demo',
    preferred_username: 'demo',
    email: 'demo@example.com',
    email_verified: true,
    locale: 'en',
    zoneinfo: 'Europe/Amsterdam',
    updated_at: 1767225600,
    picture: `${issuer}/static/demo-avatar.svg`,
    roles: ['viewer', 'developer'],
    groups: ['tessera-demo', 'engineering'],
  };
}

// Which claims each scope grants: used by the provider, the consent page and
// the demo API. `profile` includes roles and groups, so the default scopes
// "openid profile email" carry them.
const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'picture', 'locale', 'zoneinfo', 'updated_at', 'roles', 'groups'],
  email: ['email', 'email_verified'],
  roles: ['roles'],
  groups: ['groups'],
};
const SCOPES = ['openid', 'offline_access', 'profile', 'email', 'roles', 'groups'];

const NATIVE_REDIRECTS = ['http://127.0.0.1/callback', 'dev.tessera.app:/callback'];
const POST_LOGOUT = ['http://127.0.0.1/logged-out'];

function client(id, extra = {}) {
  return {
    client_id: id,
    application_type: 'native',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    // oidc-provider lets native clients use a registered loopback redirect on
    // any port (RFC 8252 §7.3): Client#redirectUriAllowed strips the port.
    redirect_uris: NATIVE_REDIRECTS,
    post_logout_redirect_uris: POST_LOGOUT,
    token_endpoint_auth_method: 'none',
    ...extra,
  };
}

const CLIENTS = [
  client('tessera'),
  client('tessera-es256', { id_token_signed_response_alg: 'ES256' }),
  client('tessera-eddsa', { id_token_signed_response_alg: 'EdDSA' }),
  client('tessera-confidential', { client_secret: 'tessera-demo-secret', token_endpoint_auth_method: 'client_secret_basic' }),
  client('tessera-confidential-post', { client_secret: 'tessera-demo-secret', token_endpoint_auth_method: 'client_secret_post' }),
];

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const STYLE = `:root{color-scheme:light dark;--accent:#3b5bdb}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;min-height:100vh;display:grid;place-items:center;background:Canvas;color:CanvasText}
main{width:min(28rem,92vw);box-sizing:border-box;margin:1.5rem 0;padding:2rem;border:1px solid color-mix(in srgb,CanvasText 15%,transparent);border-radius:1rem}
h1{font-size:1.3rem;margin:0 0 .25rem}.sub{opacity:.7;margin:0 0 1.25rem}
label{display:block;font-size:.9rem;margin:.75rem 0 .25rem}input{width:100%;box-sizing:border-box;padding:.55rem .7rem;border-radius:.5rem;border:1px solid color-mix(in srgb,CanvasText 30%,transparent);font:inherit;background:Canvas;color:CanvasText}
button{font:inherit;padding:.55rem 1.1rem;border-radius:.5rem;border:0;background:var(--accent);color:#fff;cursor:pointer;margin-top:1.25rem}
button.secondary{background:transparent;color:CanvasText;border:1px solid color-mix(in srgb,CanvasText 30%,transparent)}
.hint{background:color-mix(in srgb,var(--accent) 12%,transparent);border-radius:.5rem;padding:.6rem .8rem;font-size:.9rem}
.error{color:#c92a2a;font-size:.9rem}ul{padding-left:1.2rem}li{margin:.2rem 0}.row{display:flex;gap:.5rem}code{font-size:.9em}.claims{opacity:.75;font-size:.85rem}`;

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)} · Tessera local provider</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function loginPage(uid, client, error) {
  return page('Sign in', `<h1>Sign in</h1><p class="sub">to <b>${escape(client)}</b> at the Tessera local provider</p>
<p class="hint">Demo user: <b>demo</b> / password: <b>demo</b></p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
<label for="login">Username</label><input id="login" name="login" value="demo" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form>`);
}

function consentPage(uid, client, scopes, claims) {
  const items = scopes.map((s) => {
    const released = SCOPE_CLAIMS[s]?.filter((c) => c !== 'sub') ?? [];
    const what = s === 'offline_access' ? 'stay signed in (refresh tokens)' : released.join(', ');
    return `<li><code>${escape(s)}</code>${what ? ` <span class="claims">${escape(what)}</span>` : ''}</li>`;
  }).join('');
  const claimList = claims.length ? `<p>Also the claims ${claims.map((c) => `<code>${escape(c)}</code>`).join(', ')}</p>` : '';
  return page('Allow access', `<h1>Allow access?</h1><p class="sub"><b>${escape(client)}</b> asks for:</p><ul>${items}</ul>${claimList}
<div class="row"><form method="post" action="/interaction/${escape(uid)}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button class="secondary" type="submit">Deny</button></form></div>`);
}

const AVATAR = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" rx="20" fill="#3b5bdb"/><circle cx="48" cy="38" r="16" fill="#e7ecff"/><path d="M18 86c4-17 16-26 30-26s26 9 30 26" fill="#e7ecff"/></svg>`;

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
      if (data.length > 64 * 1024) {
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
      }
    });
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function sendJson(res, status, value, headers = {}) {
  send(res, status, 'application/json', JSON.stringify(value), headers);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));

  // Listen first so that --port 0 works: the issuer names the real port.
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  const findAccount = (id) => (id === DEMO.accountId
    ? { accountId: id, claims: async () => demoClaims(issuer) }
    : undefined);

  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    clients: CLIENTS,
    jwks: signingKeys(opts.ephemeral),
    cookies: { keys: ['tessera-local-provider-cookie-key-not-secret'] },
    findAccount: async (_ctx, id) => findAccount(id),
    claims: SCOPE_CLAIMS,
    scopes: SCOPES,
    // The ID token carries the scope claims (roles, email…), not only userinfo.
    conformIdTokenClaims: false,
    // PKCE for every client; oidc-provider 9 knows only S256 (plain is refused).
    pkce: { required: () => true },
    // A refresh token on every code exchange, without asking for
    // offline_access, and a new one on every refresh (the old one is refused).
    issueRefreshToken: async (_ctx, c) => c.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: opts.accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 600,
      RefreshToken: 86400,
      Interaction: 3600,
      Session: 86400,
      Grant: 86400,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Browsers may call the token, userinfo and revocation endpoints only from
    // a client's own redirect origins (what oidc-provider does by default).
    clientBasedCORS: (ctx, origin, c) => origin !== 'null'
      && (ctx.oidc.route === 'userinfo' || c.clientAuthMethod === 'none')
      && c.redirectUris.some((uri) => URL.parse(uri)?.origin === origin),
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        // A client revokes only its own tokens.
        allowedPolicy: async (_ctx, c, token) => token.clientId === c.clientId,
      },
      introspection: {
        enabled: true,
        // Any authenticated client may introspect; a public client only its own tokens.
        allowedPolicy: async (_ctx, c, token) => c.clientAuthMethod !== 'none' || token.clientId === c.clientId,
      },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // `form` is oidc-provider's <form id="op.logoutForm"> with its xsrf field.
        logoutSource: async (ctx, form) => {
          ctx.body = page('Sign out', `<h1>Sign out?</h1><p class="sub">Sign out of the Tessera local provider at <code>${escape(ctx.host)}</code>.</p>${form}
<div class="row"><button autofocus type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button class="secondary" type="submit" form="op.logoutForm">Stay signed in</button></div>`);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page('Signed out', '<h1>Signed out</h1><p class="sub">You are signed out of the Tessera local provider.</p>');
        },
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Error', `<h1>Something went wrong</h1><p class="error">${escape(out.error)}${out.error_description ? `: ${escape(out.error_description)}` : ''}</p>`);
    },
  });
  provider.on('server_error', (_ctx, err) => console.error('provider error:', err.message));
  const callback = provider.callback();

  async function interaction(req, res, uid, action) {
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (err) {
      if (!err.expose) throw err;
      return send(res, err.status ?? 400, 'text/html', page('Sign-in expired', '<h1>This sign-in has expired</h1><p class="sub">Start the sign-in again from Tessera.</p>'));
    }
    if (details.uid !== uid) return send(res, 400, 'text/html', page('Error', '<h1>This sign-in page is out of date</h1><p class="sub">Start the sign-in again from Tessera.</p>'));
    const { prompt, params, session } = details;
    const client = await provider.Client.find(params.client_id);
    const clientName = client?.clientName ?? params.client_id;

    if (!action) {
      if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed', { allow: 'GET' });
      if (prompt.name === 'login') return send(res, 200, 'text/html', loginPage(uid, clientName));
      const missing = prompt.details.missingOIDCScope ?? String(params.scope ?? '').split(' ').filter(Boolean);
      return send(res, 200, 'text/html', consentPage(uid, clientName, missing, prompt.details.missingOIDCClaims ?? []));
    }
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed', { allow: 'POST' });
    if (action === 'login') {
      if (prompt.name !== 'login') return send(res, 400, 'text/html', page('Error', '<h1>Already signed in</h1>'));
      const form = await readBody(req);
      if (form.get('login') !== DEMO.username || form.get('password') !== DEMO.password) {
        return send(res, 200, 'text/html', loginPage(uid, clientName, 'Wrong username or password. Use demo / demo.'));
      }
      return provider.interactionFinished(req, res, { login: { accountId: DEMO.accountId } }, { mergeWithLastSubmission: false });
    }
    if (action === 'confirm') {
      if (prompt.name !== 'consent') return send(res, 400, 'text/html', page('Error', '<h1>Nothing to allow</h1>'));
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
      if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      const grantId = await grant.save();
      const consent = details.grantId ? {} : { grantId };
      return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
    }
    // abort: the client gets error=access_denied at its redirect URI.
    return provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
  }

  // The demo API: a resource server on the same host that validates the bearer
  // token against the provider's own token store. Never echoes the token.
  async function api(req, res, pathname) {
    const realm = 'Bearer realm="tessera-demo"';
    const challenge = (error, description) => `${realm}, error="${error}", error_description="${description}"`;
    const unauthorized = (description) => sendJson(res, 401, { error: 'invalid_token', reason: description },
      { 'www-authenticate': challenge('invalid_token', description) });

    const methods = { '/api/me': ['GET', 'HEAD'], '/api/admin': ['GET', 'HEAD'], '/api/forget': ['POST'] }[pathname];
    if (!methods) return sendJson(res, 404, { error: 'not_found' });
    if (!methods.includes(req.method)) return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: methods.join(', ') });
    const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
      return sendJson(res, 401, { error: 'invalid_token', reason: 'send an access token: Authorization: Bearer <token>' },
        { 'www-authenticate': realm });
    }
    // find() checks the expiry; a revoked token is gone from the store.
    const token = await provider.AccessToken.find(match[1]);
    if (!token || token.isExpired) return unauthorized('the access token is unknown, expired or revoked');
    const account = findAccount(token.accountId);
    if (!account) return unauthorized('the access token belongs to an unknown account');

    if (pathname === '/api/forget') {
      // The API drops this one access token, as a resource server may before
      // its exp (a key rotation, a cache flush). Unlike revocation at the
      // provider, which ends the whole grant, the refresh token still works:
      // the next call gets 401 invalid_token, and a refresh recovers.
      await token.destroy();
      res.writeHead(204);
      return res.end();
    }
    const all = await account.claims('userinfo', token.scope);
    const granted = new Set(String(token.scope ?? '').split(' ').flatMap((scope) => SCOPE_CLAIMS[scope] ?? []));
    const claims = Object.fromEntries(Object.entries(all).filter(([k]) => granted.has(k) || k === 'sub'));
    if (pathname === '/api/me') {
      return sendJson(res, 200, { sub: token.accountId, client_id: token.clientId, scope: token.scope, iat: token.iat, exp: token.exp, claims });
    }
    const roles = claims.roles ?? [];
    if (!roles.includes('admin')) {
      return sendJson(res, 403, {
        error: 'insufficient_role',
        reason: `GET /api/admin requires the role 'admin'; ${claims.preferred_username ?? token.accountId} has roles ${roles.join(', ') || '(none granted)'}`,
      }, { 'www-authenticate': challenge('insufficient_scope', 'requires role admin') });
    }
    return sendJson(res, 200, { ok: true, sub: token.accountId });
  }

  function home() {
    const clients = CLIENTS.map((c) => `<li><code>${escape(c.client_id)}</code>${c.client_secret
      ? ` secret <code>${escape(c.client_secret)}</code>, ${escape(c.token_endpoint_auth_method)}`
      : ` public, PKCE${c.id_token_signed_response_alg ? `, ${escape(c.id_token_signed_response_alg)} ID tokens` : ''}`}</li>`).join('');
    return page('Tessera local provider', `<h1>Tessera local provider</h1><p class="sub">Issuer <code>${escape(issuer)}</code></p>
<p class="hint">Demo user: <b>demo</b> / password: <b>demo</b></p><p>Clients:</p><ul>${clients}</ul>
<p>Redirect URIs: <code>http://127.0.0.1/callback</code> (any port), <code>dev.tessera.app:/callback</code></p>
<p>Discovery: <a href="/.well-known/openid-configuration"><code>/.well-known/openid-configuration</code></a></p>
<p>Demo API: <code>GET /api/me</code>, <code>GET /api/admin</code> (403 for the demo user), <code>POST /api/forget</code> (the API drops the token it is sent)</p>`);
  }

  server.on('request', async (req, res) => {
    if (opts.verbose) {
      const started = Date.now();
      // The path only: never a query string, which can carry codes or tokens.
      res.on('finish', () => console.error(`${req.method} ${req.url.split('?')[0]} ${res.statusCode} ${Date.now() - started}ms`));
    }
    try {
      const { pathname } = new URL(req.url, issuer);
      const m = /^\/interaction\/([^/]+)(?:\/(login|confirm|abort))?$/.exec(pathname);
      if (m) return await interaction(req, res, m[1], m[2]);
      if (pathname.startsWith('/api/')) return await api(req, res, pathname);
      if (pathname === '/static/demo-avatar.svg') return send(res, 200, 'image/svg+xml', AVATAR, { 'cache-control': 'public, max-age=3600' });
      if (pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) return send(res, 200, 'text/html', home());
      return callback(req, res);
    } catch (err) {
      console.error('request failed:', err.message);
      if (!res.headersSent) send(res, err.status ?? 500, 'text/html', page('Error', `<h1>Error</h1><p class="error">${escape(err.message)}</p>`));
      else res.end();
    }
  });

  console.log(`Tessera local provider ready; issuer: ${issuer}`);
  console.log(`  demo user:   ${DEMO.username} / ${DEMO.password} (sub ${DEMO.accountId}, roles viewer, developer)`);
  console.log('  clients:     tessera (public, PKCE S256), tessera-es256, tessera-eddsa (same, ES256 / EdDSA ID tokens)');
  console.log('               tessera-confidential (client_secret_basic), tessera-confidential-post (client_secret_post), secret tessera-demo-secret');
  console.log('  redirects:   http://127.0.0.1/callback (any port), dev.tessera.app:/callback');
  console.log(`  demo API:    ${issuer}/api/me  ${issuer}/api/admin`);

  if (opts.exitWithStdin) {
    process.stdin.on('end', () => process.exit(0));
    process.stdin.on('close', () => process.exit(0));
    process.stdin.on('error', () => process.exit(0));
    process.stdin.resume();
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
}

main().catch((err) => {
  console.error(`tessera local provider: ${err.code === 'EADDRINUSE' ? `port ${err.port} is in use (try --port 0 or TESSERA_DEV_PORT)` : err.message}`);
  process.exit(1);
});
