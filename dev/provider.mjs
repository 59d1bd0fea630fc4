// Tessera's local OpenID provider: panva's oidc-provider (a certified
// implementation) configured with a demo user, native and confidential
// clients, refresh-token rotation, revocation, introspection, RP-initiated
// logout, and a small protected demo API on the same server. Also the device
// authorization grant (RFC 8628), client credentials with a resource
// indicator (RFC 8707), token exchange (RFC 8693), client authentication by
// signed assertion (RFC 7523), dynamic client registration (RFC 7591) and its
// management (RFC 7592) and, with --mtls-port, mutual TLS (RFC 8705) on a
// second, HTTPS listener. The demo API also has a DPoP-protected route
// (RFC 9449), GET /api/dpop/me, and protected resource metadata (RFC 9728)
// that its 401s point at. Dev-only test cases: resources and authorization
// servers whose metadata a client must refuse (/dev/rs/<case>, /dev/as/<name>)
// and a provider with known conformance problems (/dev/bad).
//
// With --fapi it is instead an authorization server of the FAPI 2.0 Security
// Profile (a separate process, beside a normal one): pushed authorization
// requests required (RFC 9126), PKCE S256, RFC 9207 iss, sender-constrained
// tokens only (DPoP with server nonces, or mTLS), signed request objects
// (JAR, RFC 9101), JWT-secured authorization responses (JARM) and
// private_key_jwt or mTLS client authentication. Its test switches
// (--bearer-despite-dpop, --jarm-wrong-aud, --jarm-expired) make it misbehave
// on purpose, for tests that check the client notices; they are dev-only.
//
//   node dev/provider.mjs [--port N] [--access-token-ttl SECS] [--ephemeral]
//                         [--exit-with-stdin] [--verbose]
//                         [--device-interval SECS] [--device-slow-down]
//                         [--device-code-ttl SECS] [--client-jwks FILE]
//                         [--mtls-port N]
//   node dev/provider.mjs --fapi [--require-signed-request-object]
//                         [--bearer-despite-dpop] [--jarm-wrong-aud]
//                         [--jarm-expired] [the options above but the device flow's]
//
// It listens on 127.0.0.1 only and prints one line when ready:
//   Tessera local provider ready; issuer: http://127.0.0.1:9090
// and, with --mtls-port, right after it:
//   mtls: https://127.0.0.1:PORT ca=<file> client-cert=<file> client-key=<file> self-signed-cert=<file> self-signed-key=<file>
import http from 'node:http';
import https from 'node:https';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Provider, { errors } from 'oidc-provider';

const here = path.dirname(fileURLToPath(import.meta.url));
const USAGE = 'usage: node dev/provider.mjs [--port N] [--access-token-ttl SECS] [--ephemeral] [--exit-with-stdin] [--verbose]'
  + ' [--device-interval SECS] [--device-slow-down] [--device-code-ttl SECS] [--client-jwks FILE] [--mtls-port N]'
  + '\n       node dev/provider.mjs --fapi [--require-signed-request-object] [--bearer-despite-dpop] [--jarm-wrong-aud] [--jarm-expired]'
  + ' [--port N] [--access-token-ttl SECS] [--ephemeral] [--exit-with-stdin] [--verbose] [--client-jwks FILE] [--mtls-port N]';
// The flags that only mean something in --fapi mode.
const FAPI_ONLY = ['--require-signed-request-object', '--bearer-despite-dpop', '--jarm-wrong-aud', '--jarm-expired'];

function parseArgs(argv) {
  const opts = {
    port: Number(process.env.TESSERA_DEV_PORT || 9090),
    accessTokenTtl: 600,
    ephemeral: false,
    exitWithStdin: false,
    verbose: false,
    deviceInterval: undefined,
    deviceSlowDown: false,
    deviceCodeTtl: 600,
    clientJwks: undefined,
    mtlsPort: undefined,
    fapi: false,
    requireSignedRequestObject: false,
    bearerDespiteDpop: false,
    jarmWrongAud: false,
    jarmExpired: false,
  };
  const given = new Set();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    given.add(arg);
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
    else if (arg === '--device-interval') opts.deviceInterval = Number(value());
    else if (arg === '--device-slow-down') opts.deviceSlowDown = true;
    else if (arg === '--device-code-ttl') opts.deviceCodeTtl = Number(value());
    else if (arg === '--client-jwks') opts.clientJwks = value();
    else if (arg === '--mtls-port') opts.mtlsPort = Number(value());
    else if (arg === '--fapi') opts.fapi = true;
    else if (arg === '--require-signed-request-object') opts.requireSignedRequestObject = true;
    else if (arg === '--bearer-despite-dpop') opts.bearerDespiteDpop = true;
    else if (arg === '--jarm-wrong-aud') opts.jarmWrongAud = true;
    else if (arg === '--jarm-expired') opts.jarmExpired = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port must be 0-65535');
  if (!Number.isInteger(opts.accessTokenTtl) || opts.accessTokenTtl <= 0) {
    throw new Error('--access-token-ttl must be a positive whole number of seconds');
  }
  if (opts.deviceInterval !== undefined && (!Number.isInteger(opts.deviceInterval) || opts.deviceInterval <= 0)) {
    throw new Error('--device-interval must be a positive whole number of seconds');
  }
  if (!Number.isInteger(opts.deviceCodeTtl) || opts.deviceCodeTtl <= 0) {
    throw new Error('--device-code-ttl must be a positive whole number of seconds');
  }
  if (opts.mtlsPort !== undefined && (!Number.isInteger(opts.mtlsPort) || opts.mtlsPort < 0 || opts.mtlsPort > 65535)) {
    throw new Error('--mtls-port must be 0-65535');
  }
  if (!opts.fapi) {
    const stray = FAPI_ONLY.find((flag) => given.has(flag));
    if (stray) throw new Error(`${stray} needs --fapi\n${USAGE}`);
  } else {
    const device = ['--device-interval', '--device-slow-down', '--device-code-ttl'].find((flag) => given.has(flag));
    if (device) throw new Error(`${device}: the device flow is not part of --fapi mode`);
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

// --fapi: FAPI 2.0 allows PS256, ES256 and EdDSA (Ed25519) only, not RS256,
// so the RSA key is published for PS256 instead (the same key, its kid
// rs256-… becoming ps256-…); the ES256 and EdDSA keys stay as they are.
function fapiSigningKeys(jwks) {
  return {
    keys: jwks.keys.map((k) => (k.alg === 'RS256'
      ? { ...k, alg: 'PS256', kid: k.kid.startsWith('rs256-') ? `ps256-${k.kid.slice(6)}` : `ps256-${k.kid}` }
      : k)),
  };
}

// The JWK Set of /dev/bad, the provider with known conformance problems (for
// `tessera lint`), one problem to a key: two keys sharing a kid, an RSA key of
// 1024 bits (RFC 7518 §3.3 asks for 2048 or more), a key with neither use nor
// alg, and one that still carries its private member d. Made afresh at every
// start; none of them signs anything.
function plantedJwks() {
  const pair = (type, options) => crypto.generateKeyPairSync(type, options);
  const pub = (type, options) => pair(type, options).publicKey.export({ format: 'jwk' });
  return {
    keys: [
      { ...pub('ec', { namedCurve: 'P-256' }), kid: 'bad-shared-kid', use: 'sig', alg: 'ES256' },
      { ...pub('ec', { namedCurve: 'P-256' }), kid: 'bad-shared-kid', use: 'sig', alg: 'ES256' },
      { ...pub('rsa', { modulusLength: 1024 }), kid: 'bad-rsa-1024', use: 'sig', alg: 'RS256' },
      { ...pub('ed25519', {}), kid: 'bad-no-use-alg' },
      { ...pair('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'bad-private-d', use: 'sig', alg: 'ES256' },
    ],
  };
}

// State lives in memory. A plain map with expiry rather than oidc-provider's
// bundled quick-start adapter, which is an LRU cache of 1000 entries: under a
// long test run it could evict a live grant or session.
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
const entries = new Map(); // "Model:id" -> { payload, expiresAt }
const grantMembers = new Map(); // grantId -> Set of "Model:id"
const sessionUids = new Map(); // session uid -> session id
const userCodes = new Map(); // user code -> device code id
// A device code is kept this long after it expires, so that a late poll is
// answered expired_token (oidc-provider checks the code's own exp) rather
// than invalid_grant for a code it no longer knows.
const RETAIN_AFTER_EXPIRY_S = { DeviceCode: 600 };
const slowedDown = new Set(); // device codes already answered slow_down (--device-slow-down)

class MemoryAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    const retain = expiresIn ? expiresIn + (RETAIN_AFTER_EXPIRY_S[this.model] ?? 0) : 0;
    entries.set(key, { payload, expiresAt: retain ? Date.now() + retain * 1000 : Infinity });
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
  for (const id of slowedDown) if (!entries.has(`DeviceCode:${id}`)) slowedDown.delete(id);
  for (const [key, forgetAt] of seenDpopProofs) if (forgetAt <= now) seenDpopProofs.delete(key);
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

const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const CODE_GRANTS = ['authorization_code', 'refresh_token'];
const EVERY_GRANT = [...CODE_GRANTS, 'client_credentials', DEVICE_CODE, TOKEN_EXCHANGE];
const FAPI_GRANTS = [...CODE_GRANTS, 'client_credentials'];
// --fapi: the JWS algorithms FAPI 2.0 allows (§5.4.1: PS256, ES256, EdDSA
// with Ed25519), for what clients sign and what the provider signs.
const FAPI_ALGS = {
  client: ['PS256', 'ES256', 'EdDSA', 'Ed25519'], // client assertions, request objects
  dpop: ['ES256', 'PS256', 'EdDSA', 'Ed25519'],
  server: ['PS256', 'ES256', 'EdDSA'], // ID tokens, JARM responses (the provider's keys)
};
const FAPI_DEFAULT_ALG = 'ES256';
// --jarm-wrong-aud: the audience JARM responses are then made out to.
const WRONG_AUDIENCE = 'https://wrong-audience.invalid';
const SECRET = 'tessera-demo-secret';
// client_secret_jwt signs with HS256, whose key should be at least 32 bytes.
const ASSERTION_SECRET = 'tessera-demo-secret-for-hs256-assertions-0123456789';

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
  client('tessera', { grant_types: [...CODE_GRANTS, DEVICE_CODE, TOKEN_EXCHANGE] }),
  client('tessera-es256', { id_token_signed_response_alg: 'ES256' }),
  client('tessera-eddsa', { id_token_signed_response_alg: 'EdDSA' }),
  client('tessera-confidential', { client_secret: SECRET, token_endpoint_auth_method: 'client_secret_basic', grant_types: [...CODE_GRANTS, TOKEN_EXCHANGE] }),
  client('tessera-confidential-post', { client_secret: SECRET, token_endpoint_auth_method: 'client_secret_post', grant_types: [...CODE_GRANTS, TOKEN_EXCHANGE] }),
  // A service with no user and no browser: client credentials and token exchange.
  {
    client_id: 'tessera-service',
    client_secret: SECRET,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials', TOKEN_EXCHANGE],
    response_types: [],
    redirect_uris: [],
  },
  // RFC 7523: the client authenticates with a JWT signed (HS256) with its secret.
  client('tessera-secret-jwt', { client_secret: ASSERTION_SECRET, token_endpoint_auth_method: 'client_secret_jwt', grant_types: EVERY_GRANT }),
];

// What the home page says about a client's authentication (HTML).
function describeAuth(c) {
  switch (c.token_endpoint_auth_method) {
    case 'none': return 'public, PKCE';
    case 'client_secret_basic':
    case 'client_secret_post':
    case 'client_secret_jwt': return `secret <code>${escape(c.client_secret)}</code>, ${c.token_endpoint_auth_method}`;
    case 'private_key_jwt': return 'private_key_jwt with the keys of <code>--client-jwks</code>';
    case 'tls_client_auth': return `tls_client_auth (certificate subject <code>${escape(c.tls_client_auth_subject_dn)}</code>), certificate-bound tokens`;
    case 'self_signed_tls_client_auth': return 'self_signed_tls_client_auth (the self-signed certificate), certificate-bound tokens';
    default: return escape(c.token_endpoint_auth_method);
  }
}

// The public JWK Set of --client-jwks, for the static private_key_jwt client.
function readClientJwks(file) {
  let jwks;
  try {
    jwks = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`--client-jwks ${file}: ${err.message}`);
  }
  if (!Array.isArray(jwks?.keys) || jwks.keys.length === 0) throw new Error(`--client-jwks ${file}: not a JWK Set (no "keys")`);
  if (jwks.keys.some((k) => ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((m) => m in k))) {
    throw new Error(`--client-jwks ${file}: must hold public keys only (a key has private members)`);
  }
  return { keys: jwks.keys };
}

// Throwaway certificates for the mTLS listener, made with the openssl command
// in a fresh private directory that is removed on exit: a CA, a server
// certificate for 127.0.0.1, a client certificate from the CA (CN=tessera-mtls)
// and a self-signed client certificate.
const MTLS_SUBJECT_DN = 'CN=tessera-mtls';

function mintCertificates() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-mtls-'));
  fs.chmodSync(dir, 0o700);
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name) => path.join(dir, name);
  fs.writeFileSync(file('openssl.cnf'), `[req]
distinguished_name = dn
prompt = no
[dn]
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
[self_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
`, { mode: 0o600 });
  // Each command takes milliseconds; one that has not finished in 15 s is
  // stopped and run once more, so that a stuck openssl cannot keep the
  // provider from starting without a word.
  const openssl = (...args) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 15_000, killSignal: 'SIGKILL' });
        return;
      } catch (err) {
        const timedOut = err.code === 'ETIMEDOUT' || err.signal === 'SIGKILL';
        if (timedOut && attempt === 1) {
          console.error(`tessera local provider: openssl ${args[0]} did not finish in 15 s; running it again`);
          continue;
        }
        const why = err.code === 'ENOENT' ? 'the openssl command is not installed'
          : timedOut ? 'it did not finish in 15 s, twice' : String(err.stderr || err.message).trim();
        throw new Error(`--mtls-port: openssl ${args[0]} failed: ${why}`);
      }
    }
  };
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-config', file('openssl.cnf')];
  const serial = () => `0x${crypto.randomBytes(12).toString('hex')}`;
  openssl('req', '-x509', ...newKey, '-extensions', 'ca_ext', '-days', '2', '-set_serial', serial(),
    '-subj', '/CN=Tessera local provider mTLS CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
  for (const [name, subject, ext] of [['server', '/CN=127.0.0.1', 'server_ext'], ['client', `/${MTLS_SUBJECT_DN}`, 'client_ext']]) {
    openssl('req', '-new', ...newKey, '-subj', subject, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`));
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-set_serial', serial(),
      '-days', '2', '-extfile', file('openssl.cnf'), '-extensions', ext, '-out', file(`${name}.pem`));
    fs.rmSync(file(`${name}.csr`));
  }
  openssl('req', '-x509', ...newKey, '-extensions', 'self_ext', '-days', '2', '-set_serial', serial(),
    '-subj', '/CN=tessera-mtls-self-signed', '-keyout', file('self-signed.key'), '-out', file('self-signed.pem'));
  for (const name of fs.readdirSync(dir)) fs.chmodSync(file(name), 0o600);
  return {
    dir,
    ca: file('ca.pem'),
    serverCert: file('server.pem'),
    serverKey: file('server.key'),
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
    selfSignedCert: file('self-signed.pem'),
    selfSignedKey: file('self-signed.key'),
  };
}

// The peer certificate of a request on the mTLS listener (none on plain HTTP).
function peerCertificate(socket) {
  if (typeof socket?.getPeerCertificate !== 'function') return undefined;
  const peer = socket.getPeerCertificate();
  return peer?.raw ? new crypto.X509Certificate(peer.raw) : undefined;
}

// RFC 8705's x5t#S256: the base64url SHA-256 of the certificate's DER.
const certThumbprint = (cert) => crypto.hash('sha256', cert.raw, 'base64url');

// JWS signatures with node:crypto, for the algorithms used here (RFC 7518;
// EdDSA and its fully-specified name Ed25519 are Ed25519 signatures).
function verifyJws(alg, key, data, signature) {
  switch (alg) {
    case 'RS256':
      return key.asymmetricKeyType === 'rsa' && crypto.verify('sha256', data, key, signature);
    case 'PS256':
      return key.asymmetricKeyType === 'rsa'
        && crypto.verify('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
    case 'ES256':
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
        && crypto.verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    case 'EdDSA':
    case 'Ed25519':
      return key.asymmetricKeyType === 'ed25519' && crypto.verify(null, data, key, signature);
    default:
      return false;
  }
}

function signJws(alg, key, data) {
  switch (alg) {
    case 'RS256': return crypto.sign('sha256', data, key);
    case 'PS256': return crypto.sign('sha256', data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case 'ES256': return crypto.sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
    case 'Ed25519': return crypto.sign(null, data, key);
    default: throw new Error(`cannot sign with ${alg}`);
  }
}

// RFC 7638: the SHA-256 thumbprint of a public JWK's required members, in
// lexicographic order (what DPoP's cnf.jkt holds, RFC 9449 §6).
const THUMBPRINT_MEMBERS = { EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'], OKP: ['crv', 'kty', 'x'] };
function jwkThumbprint(jwk) {
  const members = THUMBPRINT_MEMBERS[jwk?.kty];
  if (!members || members.some((m) => typeof jwk[m] !== 'string')) return undefined;
  return crypto.hash('sha256', JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]]))), 'base64url');
}

// The demo API's DPoP nonces (RFC 9449 §9), its own rather than the
// provider's: an HMAC of the current minute under a key made at start, so
// nothing is stored; one stays good for about five minutes.
const RS_NONCE_KEY = crypto.randomBytes(32);
const RS_NONCE_STEP_S = 60;
const rsNonceAt = (step) => crypto.createHmac('sha256', RS_NONCE_KEY).update(`tessera-demo-api-dpop-nonce:${step}`).digest('base64url');
const rsStep = () => Math.floor(Date.now() / 1000 / RS_NONCE_STEP_S);
const currentRsNonce = () => rsNonceAt(rsStep());
function rsNonceValid(nonce) {
  const step = rsStep();
  for (let s = step - 4; s <= step; s += 1) if (rsNonceAt(s) === nonce) return true;
  return false;
}
// How far a proof's iat may be from the server's clock, and the proofs the
// demo API has accepted (key thumbprint and jti), kept that long to refuse replays.
const DPOP_IAT_WINDOW_S = 300;
const seenDpopProofs = new Map(); // "jkt:jti" -> forget at (ms)

// A certificate's subject as an RFC 4514 string (most specific RDN first).
const subjectDn = (cert) => cert.subject.split('\n').reverse().join(',');
const normalizeDn = (dn) => dn.split(',').map((rdn) => rdn.trim().replace(/\s*=\s*/, '=')).join(',').toLowerCase();

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

// The device flow's pages (RFC 8628 §3.3). `form` is oidc-provider's form
// (id op.deviceInputForm or op.deviceConfirmForm, with its xsrf field); the
// buttons submit it from outside.
const DEVICE_ERRORS = {
  NoCodeError: 'Enter the code your device shows.',
  NotFoundError: 'No sign-in is waiting for that code. Check it and try again.',
  ExpiredError: 'That code has expired. Start again on your device.',
  AlreadyUsedError: 'That code has already been used. Start again on your device.',
  AbortedError: 'Sign-in cancelled: your device is told that access was denied.',
};

function deviceInputPage(form, err) {
  const message = err ? (DEVICE_ERRORS[err.name] ?? `Something went wrong${err.error ? `: ${err.error}` : ''}. Try again.`) : undefined;
  return page('Connect a device', `<h1>Connect a device</h1><p class="sub">Enter the code your device shows.</p>
${message ? `<p class="error" role="alert">${escape(message)}</p>` : ''}
${form.replace('placeholder="Enter code"', 'placeholder="XXXX-XXXX" aria-label="Code"')}
<button type="submit" form="op.deviceInputForm">Continue</button>`);
}

function deviceConfirmPage(form, clientName, userCode) {
  return page('Confirm device', `<h1>Is this your device?</h1><p class="sub"><b>${escape(clientName)}</b> asks to sign in on a device that shows the code</p>
<p class="hint" style="text-align:center;font-size:1.5rem;letter-spacing:.1em"><code>${escape(userCode)}</code></p>
<p class="claims">Continue only if the code matches and you started this sign-in.</p>${form}
<div class="row"><button autofocus type="submit" form="op.deviceConfirmForm">Continue</button>
<button class="secondary" type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Cancel</button></div>`);
}

function deviceSuccessPage(clientName) {
  return page('Device signed in', `<h1>Your device is signed in</h1><p class="sub"><b>${escape(clientName)}</b> can carry on; you can close this window.</p>`);
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

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
}

// The provider's own routes, named here so that the mTLS aliases in discovery
// cannot drift from them (these are oidc-provider's defaults).
const ROUTES = {
  authorization: '/auth',
  token: '/token',
  revocation: '/token/revocation',
  introspection: '/token/introspection',
  userinfo: '/me',
  device_authorization: '/device/auth',
  code_verification: '/device',
  registration: '/reg',
  pushed_authorization_request: '/request',
};

const TOKEN_TYPES = {
  access_token: 'urn:ietf:params:oauth:token-type:access_token',
  refresh_token: 'urn:ietf:params:oauth:token-type:refresh_token',
  id_token: 'urn:ietf:params:oauth:token-type:id_token',
};
const API_SCOPES = 'api:read api:write';
// The well-known locations of protected resource metadata (RFC 9728 §3.1) and
// authorization server metadata (RFC 8414 §3.1), into which the path of a
// resource identifier or an issuer is inserted after the host.
const RESOURCE_METADATA = '/.well-known/oauth-protected-resource';
const AS_METADATA = '/.well-known/oauth-authorization-server';
const resourceMetadataPath = (resource) => `${RESOURCE_METADATA}${new URL(resource).pathname}`;
// The demo API's Bearer challenge (RFC 6750 §3).
const REALM = 'Bearer realm="tessera-demo"';
const MAX_POLLS = 10_000;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const clientJwks = opts.clientJwks ? readClientJwks(opts.clientJwks) : undefined;

  // Listen first so that --port 0 works: the issuer names the real port.
  const server = http.createServer();
  await listen(server, opts.port);
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const apiResource = `${issuer}/api`;
  // RFC 9728 §5.1: every 401 of the demo API's Bearer routes points at its
  // protected resource metadata, so that a client given only the API's URL
  // can find the authorization server and the scopes to ask for.
  const apiMetadataUrl = `${issuer}${resourceMetadataPath(apiResource)}`;
  const apiChallenge = `${REALM}, resource_metadata="${apiMetadataUrl}"`;

  // RFC 8705: a second, HTTPS listener that asks for (but does not require)
  // a client certificate; the issuer stays the plain-HTTP one.
  let mtls;
  if (opts.mtlsPort !== undefined) {
    const certs = mintCertificates();
    const tlsServer = https.createServer({
      key: fs.readFileSync(certs.serverKey),
      cert: fs.readFileSync(certs.serverCert),
      ca: fs.readFileSync(certs.ca),
      requestCert: true,
      rejectUnauthorized: false,
    });
    await listen(tlsServer, opts.mtlsPort).catch((err) => {
      throw err.code === 'EADDRINUSE' ? new Error(`--mtls-port: port ${opts.mtlsPort} is in use (try --mtls-port 0)`) : err;
    });
    mtls = {
      ...certs,
      server: tlsServer,
      origin: `https://127.0.0.1:${tlsServer.address().port}`,
      selfSigned: new crypto.X509Certificate(fs.readFileSync(certs.selfSignedCert)),
    };
  }

  // --fapi: FAPI 2.0 allows only confidential clients authenticated by
  // private_key_jwt or mTLS, so none of the public and secret clients; the
  // static ones that remain have the code, refresh and client credentials
  // grants (no device flow or token exchange in this mode).
  const { fapi } = opts;
  const clients = fapi ? [] : [...CLIENTS];
  if (clientJwks) {
    clients.push(client('tessera-private-key-jwt', { token_endpoint_auth_method: 'private_key_jwt', jwks: clientJwks, grant_types: fapi ? FAPI_GRANTS : EVERY_GRANT }));
  }
  if (mtls) {
    const mtlsGrants = fapi ? FAPI_GRANTS : [...CODE_GRANTS, 'client_credentials', DEVICE_CODE];
    clients.push(
      client('tessera-mtls', {
        token_endpoint_auth_method: 'tls_client_auth',
        tls_client_auth_subject_dn: MTLS_SUBJECT_DN,
        tls_client_certificate_bound_access_tokens: true,
        grant_types: mtlsGrants,
      }),
      client('tessera-mtls-self-signed', {
        token_endpoint_auth_method: 'self_signed_tls_client_auth',
        jwks: { keys: [{ ...mtls.selfSigned.publicKey.export({ format: 'jwk' }), kid: 'tessera-mtls-self-signed', x5c: [mtls.selfSigned.raw.toString('base64')] }] },
        tls_client_certificate_bound_access_tokens: true,
        grant_types: mtlsGrants,
      }),
    );
  }

  const findAccount = (id) => (id === DEMO.accountId
    ? { accountId: id, claims: async () => demoClaims(issuer) }
    : undefined);

  const jwks = fapi ? fapiSigningKeys(signingKeys(opts.ephemeral)) : signingKeys(opts.ephemeral);
  // The provider's public keys, for the demo API to verify JWT access tokens.
  const verifyKeys = new Map(jwks.keys.map((k) => [k.kid, { alg: k.alg, key: crypto.createPublicKey({ key: k, format: 'jwk' }) }]));
  // The DPoP proof algorithms accepted, by the provider and the demo API alike
  // (oidc-provider's defaults, and PS256 too in --fapi mode).
  const dpopAlgs = fapi ? FAPI_ALGS.dpop : ['ES256', 'Ed25519', 'EdDSA'];

  // RFC 8707: the demo API is the one resource server. Its access tokens are
  // JWTs (RFC 9068, typ at+jwt) signed RS256 by the provider, with aud
  // <issuer>/api. Without a resource parameter nothing changes: the code flow
  // gets the same opaque access tokens for userinfo and the demo API as before.
  const apiResourceServer = () => ({
    scope: API_SCOPES,
    audience: apiResource,
    accessTokenFormat: 'jwt',
    accessTokenTTL: opts.accessTokenTtl,
    jwt: { sign: { alg: fapi ? 'PS256' : 'RS256' } },
  });

  // Claims that token exchange adds to the tokens it issues (act, and sub when
  // the subject is a client); keyed by the token object being saved.
  const exchanged = new WeakMap();

  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    clients,
    jwks,
    cookies: { keys: ['tessera-local-provider-cookie-key-not-secret'] },
    findAccount: async (_ctx, id) => findAccount(id),
    claims: SCOPE_CLAIMS,
    scopes: SCOPES,
    routes: ROUTES,
    // The ID token carries the scope claims (roles, email…), not only userinfo.
    conformIdTokenClaims: false,
    // PKCE for every client; oidc-provider 9 knows only S256 (plain is refused).
    pkce: { required: () => true },
    // A refresh token on every code exchange, without asking for
    // offline_access, and a new one on every refresh (the old one is refused).
    // --fapi: not rotated (FAPI 2.0 §5.3.2.1: no refresh token rotation but in
    // extraordinary circumstances); it stays good until it expires.
    issueRefreshToken: async (_ctx, c) => c.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: !fapi,
    ttl: {
      AccessToken: opts.accessTokenTtl,
      ClientCredentials: opts.accessTokenTtl,
      AuthorizationCode: 60,
      DeviceCode: opts.deviceCodeTtl,
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
    clientAuthMethods: fapi ? ['private_key_jwt', ...(mtls ? ['tls_client_auth', 'self_signed_tls_client_auth'] : [])] : [
      'client_secret_basic', 'client_secret_jwt', 'client_secret_post', 'private_key_jwt', 'none',
      ...(mtls ? ['tls_client_auth', 'self_signed_tls_client_auth'] : []),
    ],
    // RFC 7523 assertions: HS256 for client_secret_jwt, the rest for
    // private_key_jwt. Ed25519 is the fully-specified name (RFC 9864) of EdDSA
    // with Ed25519, which oidc-provider 9 accepts as well.
    enabledJWA: fapi ? {
      clientAuthSigningAlgValues: FAPI_ALGS.client,
      requestObjectSigningAlgValues: FAPI_ALGS.client,
      dPoPSigningAlgValues: FAPI_ALGS.dpop,
      idTokenSigningAlgValues: FAPI_ALGS.server,
      authorizationSigningAlgValues: FAPI_ALGS.server,
    } : { clientAuthSigningAlgValues: ['HS256', 'RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'] },
    ...(fapi ? {
      // FAPI 2.0: the code flow only (no implicit or hybrid response types).
      responseTypes: ['code'],
      // What a client that does not say gets: private_key_jwt, and ES256 ID
      // tokens and JARM responses (RS256 is not allowed; PS256 and EdDSA are).
      clientDefaults: {
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'private_key_jwt',
        id_token_signed_response_alg: FAPI_DEFAULT_ALG,
        authorization_signed_response_alg: FAPI_DEFAULT_ALG,
      },
    } : {}),
    // Client metadata adjusted before oidc-provider validates it. The
    // validator runs for every client, registered or static; software_id and
    // software_version (RFC 7591 §2) are the metadata it hangs on.
    //
    // `scope`: oidc-provider refuses a registration whose scope names anything
    // but its OpenID scopes (SCOPES), such as the API's scopes that a client
    // starting from the API's metadata (RFC 9728 scopes_supported) asks for.
    // Those are granted per resource (RFC 8707) and never checked against a
    // client's scope, so they are taken out of it: the registration succeeds
    // and the client may still ask for them.
    //
    // --fapi: FAPI 2.0 §5.3.2.1: sender-constrained access tokens only. A
    // client that asks for neither binding gets one: certificate-bound tokens
    // when it authenticates with a certificate, DPoP otherwise, so that the
    // token endpoint refuses a request without a DPoP proof ("DPoP proof JWT
    // not provided").
    extraClientMetadata: {
      properties: ['software_id', 'software_version'],
      validator: (_ctx, key, _value, metadata) => {
        if (key !== 'software_id') return;
        if (typeof metadata.scope === 'string') {
          const kept = metadata.scope.split(' ').filter((scope) => !API_SCOPES.split(' ').includes(scope));
          if (kept.length) metadata.scope = kept.join(' ');
          else delete metadata.scope;
        }
        if (!fapi || metadata.dpop_bound_access_tokens || metadata.tls_client_certificate_bound_access_tokens) return;
        if (['tls_client_auth', 'self_signed_tls_client_auth'].includes(metadata.token_endpoint_auth_method)) {
          metadata.tls_client_certificate_bound_access_tokens = true;
        } else {
          metadata.dpop_bound_access_tokens = true;
        }
      },
    },
    extraTokenClaims: async (_ctx, token) => (exchanged.get(token)?.act ? { act: exchanged.get(token).act } : undefined),
    formats: {
      customizers: {
        jwt: async (_ctx, token, jwt) => {
          const sub = exchanged.get(token)?.sub;
          if (sub !== undefined) jwt.payload.sub = sub;
        },
      },
    },
    discovery: {
      claim_types_supported: ['normal'],
      // --fapi: shown as false unless --require-signed-request-object (then
      // oidc-provider says true).
      ...(fapi ? { require_signed_request_object: false } : {}),
      ...(mtls ? {
        mtls_endpoint_aliases: {
          token_endpoint: `${mtls.origin}${ROUTES.token}`,
          revocation_endpoint: `${mtls.origin}${ROUTES.revocation}`,
          introspection_endpoint: `${mtls.origin}${ROUTES.introspection}`,
          userinfo_endpoint: `${mtls.origin}${ROUTES.userinfo}`,
          ...(fapi ? {
            pushed_authorization_request_endpoint: `${mtls.origin}${ROUTES.pushed_authorization_request}`,
          } : {
            device_authorization_endpoint: `${mtls.origin}${ROUTES.device_authorization}`,
          }),
        },
      } : {}),
    },
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
      clientCredentials: { enabled: true },
      ...(fapi ? {
        fapi: { enabled: true, profile: '2.0' },
        // RFC 9126, required of every authorization request (and so of every
        // client: require_pushed_authorization_requests).
        pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
        // RFC 9449 with server nonces: a proof without one (at PAR, the token
        // endpoint or userinfo) gets use_dpop_nonce and a DPoP-Nonce header.
        dPoP: { enabled: true, nonceSecret: crypto.randomBytes(32), requireNonce: () => true },
        // RFC 9101: signed request objects, by value, also inside PAR.
        requestObjects: { enabled: true, requireSignedRequestObject: opts.requireSignedRequestObject },
        // JARM: response_mode jwt (query.jwt for the code flow), and
        // query.jwt, fragment.jwt, form_post.jwt.
        jwtResponseModes: { enabled: true },
      } : {}),
      deviceFlow: fapi ? { enabled: false } : {
        enabled: true,
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: async (ctx, form, out, err) => {
          ctx.type = 'html';
          ctx.body = deviceInputPage(form, err && { name: err.name, error: out?.error });
        },
        userCodeConfirmSource: async (ctx, form, c, _deviceInfo, userCode) => {
          ctx.type = 'html';
          ctx.body = deviceConfirmPage(form, c.clientName ?? c.clientId, userCode);
        },
        successSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = deviceSuccessPage(ctx.oidc.client.clientName ?? ctx.oidc.client.clientId);
        },
      },
      resourceIndicators: {
        enabled: true,
        // No default resource: without `resource` the tokens stay as they were.
        // For client credentials, RFC 8693's `audience` names the resource too.
        // oidc-provider drops parameters a grant does not know, so it is read
        // from the request body.
        defaultResource: async (ctx, _client, oneOf) => {
          if (oneOf) return oneOf;
          if (ctx.oidc.route === 'token' && ctx.oidc.params.grant_type === 'client_credentials') return ctx.oidc.body?.audience;
          return undefined;
        },
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator !== apiResource) throw new errors.InvalidTarget(`unknown resource ${indicator}; the only one is ${apiResource}`);
          return apiResourceServer();
        },
      },
      // RFC 7591: open dynamic registration, no initial access token. A
      // registered client gets no `scope` unless it sends one, so it may ask
      // for offline_access and (with resource) the API's scopes.
      registration: { enabled: true, initialAccessToken: false },
      // RFC 7592: the registration access token of the answer reads (GET),
      // updates (PUT) and deletes (DELETE) the client at its
      // registration_client_uri, <issuer>/reg/<client_id>. It stays the same
      // token after an update, so a client that stores it need not rewrite it.
      registrationManagement: { enabled: true, rotateRegistrationAccessToken: false },
      mTLS: mtls ? {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: true,
        getCertificate: (ctx) => peerCertificate(ctx.socket),
        // Verified against the throwaway CA by the TLS layer.
        certificateAuthorized: (ctx) => ctx.socket.authorized === true,
        certificateSubjectMatches: (ctx, property, expected) => {
          const cert = peerCertificate(ctx.socket);
          return property === 'tls_client_auth_subject_dn' && !!cert && normalizeDn(subjectDn(cert)) === normalizeDn(expected);
        },
      } : { enabled: false },
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

  // --bearer-despite-dpop (dev-only, --fapi): the token endpoint checks a
  // DPoP proof as usual but does not bind the access token to its key, so the
  // answer says token_type Bearer and the token has no cnf.jkt. A client that
  // sent a proof must refuse it (RFC 9449 §5).
  if (opts.bearerDespiteDpop) {
    for (const Model of [provider.AccessToken, provider.ClientCredentials]) {
      const setThumbprint = Model.prototype.setThumbprint;
      Model.prototype.setThumbprint = function unboundDespiteDpop(prop, input) {
        if (prop === 'jkt') return undefined;
        return setThumbprint.call(this, prop, input);
      };
    }
  }

  // --jarm-wrong-aud, --jarm-expired (dev-only, --fapi): JARM responses
  // signed as usual by the provider's key, but made out to another audience
  // (https://wrong-audience.invalid) or expired ten minutes ago. oidc-provider
  // signs them as an IdToken with use "authorization"; these are signed here
  // instead, with the same keys, kid and claims otherwise (iss, aud, exp, and
  // the response parameters; no iat).
  if (opts.jarmWrongAud || opts.jarmExpired) {
    const signingKeysByAlg = new Map(jwks.keys.map((k) => [k.alg, { kid: k.kid, key: crypto.createPrivateKey({ key: k, format: 'jwk' }) }]));
    const { issue } = provider.IdToken.prototype;
    provider.IdToken.prototype.issue = async function issueMisbehavingJarm(options = {}) {
      if (options.use !== 'authorization') return issue.call(this, options);
      const alg = this.client.authorizationSignedResponseAlg;
      const signer = signingKeysByAlg.get(alg);
      if (!signer) throw new Error(`no signing key for ${alg}`);
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        ...(await this.payload()),
        iss: issuer,
        aud: opts.jarmWrongAud ? WRONG_AUDIENCE : this.client.clientId,
        exp: opts.jarmExpired ? now - 600 : now + 120,
      };
      const data = `${Buffer.from(JSON.stringify({ alg, kid: signer.kid })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${data}.${signJws(alg, signer.key, Buffer.from(data)).toString('base64url')}`;
    };
  }

  // Client authentication by assertion or certificate is easy to get subtly
  // wrong, so for those invalid_client says why (oidc-provider keeps the
  // reason in error_detail); other errors read as they always have.
  for (const event of ['grant.error', 'introspection.error', 'revocation.error', 'device_authorization.error', ...(fapi ? ['pushed_authorization_request.error'] : [])]) {
    provider.on(event, (ctx, err) => {
      if (ctx.body?.error !== 'invalid_client' || !err.error_detail) return;
      if (ctx.oidc?.params?.client_assertion === undefined && !ctx.secure) return;
      ctx.body = { ...ctx.body, error_description: `${ctx.body.error_description}: ${err.error_detail}` };
    });
  }

  // --fapi: invalid_grant says why too (oidc-provider's description is always
  // "grant request is invalid"), e.g. "DPoP proof JWT not provided" when a
  // DPoP-bound client sends no proof, or "DPoP proof key thumbprint does not
  // match dpop_jkt".
  if (fapi) {
    provider.on('grant.error', (ctx, err) => {
      if (ctx.body?.error !== 'invalid_grant' || !err.error_detail || ctx.body.error_description !== 'grant request is invalid') return;
      ctx.body = { ...ctx.body, error_description: `${ctx.body.error_description}: ${err.error_detail}` };
    });
  }

  // The device authorization response (RFC 8628 §3.2): the verification URIs
  // always name the issuer (also when the request came over the mTLS
  // listener, which a browser could not use), and --device-interval adds
  // `interval`, which oidc-provider does not send.
  provider.on('device_authorization.success', (_ctx, body) => {
    const verification = new URL(ROUTES.code_verification, issuer);
    body.verification_uri = verification.href;
    verification.searchParams.set('user_code', body.user_code);
    body.verification_uri_complete = verification.href;
    if (opts.deviceInterval !== undefined) body.interval = opts.deviceInterval;
  });

  // --device-slow-down: the first poll of every device code is answered
  // slow_down (RFC 8628 §3.5), whatever the code's state; later polls are
  // answered as usual. The check sits where the token endpoint looks the code
  // up, after client authentication.
  if (opts.deviceSlowDown) {
    const { DeviceCode } = provider;
    const find = DeviceCode.find;
    DeviceCode.find = async function findDeviceCode(...args) {
      const code = await find.apply(this, args);
      const ctx = Provider.ctx;
      if (code && ctx?.oidc?.route === 'token' && code.clientId === ctx.oidc.client?.clientId
        && !code.isExpired && !slowedDown.has(code.jti)) {
        slowedDown.add(code.jti);
        throw new errors.SlowDown('first poll of this device code (--device-slow-down): add 5 seconds to the polling interval');
      }
      return code;
    };
  }

  // Every poll of the token endpoint with the device_code grant, for
  // GET /dev/device-polls; and RFC 6749's unauthorized_client (rather than
  // oidc-provider's invalid_request) when a client uses one of the grants
  // added here without being allowed to.
  const polls = [];
  const NEW_GRANTS = new Set([DEVICE_CODE, 'client_credentials', TOKEN_EXCHANGE]);
  const unauthorizedClient = (ctx, grantType) => {
    ctx.body = { ...ctx.body, error: 'unauthorized_client', error_description: `the client may not use the grant type ${grantType}` };
  };
  provider.use(async (ctx, next) => {
    const at = Date.now();
    await next();
    const route = ctx.oidc?.route;
    if (route === 'device_authorization' && ctx.body?.error === 'invalid_request'
      && ctx.body.error_description === `${DEVICE_CODE} is not allowed for this client`) {
      unauthorizedClient(ctx, DEVICE_CODE);
    }
    if (route !== 'token') return;
    const grantType = ctx.oidc.params?.grant_type;
    if (NEW_GRANTS.has(grantType) && ctx.body?.error === 'invalid_request'
      && ctx.body.error_description === 'requested grant type is not allowed for this client') {
      unauthorizedClient(ctx, grantType);
    }
    if (grantType === DEVICE_CODE) {
      const deviceCode = ctx.oidc.params.device_code;
      if (polls.length >= MAX_POLLS) polls.shift();
      polls.push({
        code: typeof deviceCode === 'string' ? crypto.hash('sha256', deviceCode, 'hex').slice(0, 8) : null,
        at_ms: at,
        answer: ctx.status === 200 ? 'ok' : (ctx.body?.error ?? `http ${ctx.status}`),
      });
    }
  });

  // JWT access tokens (those for the API resource): signed by this provider,
  // for the API, not expired, and still in the token store (not revoked).
  function verifyAccessJwt(value) {
    const parts = value.split('.');
    if (parts.length !== 3) return undefined;
    try {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url'));
      const payload = JSON.parse(Buffer.from(parts[1], 'base64url'));
      const key = verifyKeys.get(header.kid);
      if (!key || header.alg !== key.alg || header.typ !== 'at+jwt') return undefined;
      const data = Buffer.from(`${parts[0]}.${parts[1]}`);
      const signature = Buffer.from(parts[2], 'base64url');
      const valid = {
        RS256: () => crypto.verify('sha256', data, key.key, signature),
        PS256: () => verifyJws('PS256', key.key, data, signature),
        ES256: () => crypto.verify('sha256', data, { key: key.key, dsaEncoding: 'ieee-p1363' }, signature),
        EdDSA: () => crypto.verify(null, data, key.key, signature),
      }[header.alg]?.();
      if (!valid || payload.iss !== issuer || !(payload.exp > Date.now() / 1000)) return undefined;
      if (![payload.aud].flat().includes(apiResource)) return undefined;
      return payload;
    } catch {
      return undefined;
    }
  }

  // oidc-provider stores nothing for a JWT access token. The demo API keeps a
  // record of each one issued, in the same store and tied to its grant, so
  // that revoking the grant (or POST /api/forget) ends it like an opaque one.
  for (const event of ['access_token.issued', 'client_credentials.issued']) {
    provider.on(event, (token) => {
      if (token.format !== 'jwt') return;
      const key = `IssuedJwt:${token.jti}`;
      entries.set(key, { payload: { model: token.kind, accountId: token.accountId, grantId: token.grantId }, expiresAt: Date.now() + token.expiration * 1000 });
      if (token.grantId) {
        if (!grantMembers.has(token.grantId)) grantMembers.set(token.grantId, new Set());
        grantMembers.get(token.grantId).add(key);
      }
    });
  }

  function storedToken(jti) {
    const key = `IssuedJwt:${jti}`;
    const entry = entries.get(key);
    return entry && entry.expiresAt > Date.now() ? { key, ...entry.payload } : undefined;
  }

  // Any access token this provider issued and still honours, as one shape:
  // opaque ones from the code, device and refresh grants, opaque client
  // credentials tokens, and JWTs for the API resource.
  async function findAccessToken(value) {
    if (typeof value !== 'string' || !value) return undefined;
    if (value.split('.').length === 3) {
      const payload = verifyAccessJwt(value);
      const stored = payload && typeof payload.jti === 'string' ? storedToken(payload.jti) : undefined;
      if (!stored) return undefined;
      return {
        format: 'jwt',
        accountId: stored.model === 'AccessToken' ? stored.accountId : undefined,
        sub: payload.sub,
        clientId: payload.client_id,
        scope: payload.scope,
        aud: payload.aud,
        iat: payload.iat,
        exp: payload.exp,
        act: payload.act,
        cnf: payload.cnf,
        jkt: payload.cnf?.jkt,
        grantId: stored.grantId,
        drop: async () => entries.delete(stored.key),
      };
    }
    // An opaque token never has an audience here (the API resource's are JWTs).
    const at = await provider.AccessToken.find(value);
    if (at && !at.isExpired && at.aud === undefined) {
      return {
        format: 'opaque',
        model: 'AccessToken',
        accountId: at.accountId,
        sub: at.accountId,
        clientId: at.clientId,
        scope: at.scope,
        iat: at.iat,
        exp: at.exp,
        cnf: at['x5t#S256'] ? { 'x5t#S256': at['x5t#S256'] } : undefined,
        jkt: at.jkt,
        grantId: at.grantId,
        drop: () => at.destroy(),
      };
    }
    const cc = await provider.ClientCredentials.find(value);
    if (cc && !cc.isExpired && cc.aud === undefined) {
      return {
        format: 'opaque',
        model: 'ClientCredentials',
        sub: cc.clientId,
        clientId: cc.clientId,
        scope: cc.scope,
        iat: cc.iat,
        exp: cc.exp,
        cnf: cc['x5t#S256'] ? { 'x5t#S256': cc['x5t#S256'] } : undefined,
        jkt: cc.jkt,
        drop: () => cc.destroy(),
      };
    }
    return undefined;
  }

  // RFC 8693 token exchange: a subject token (and optionally an actor token)
  // in, an access token for the demo API out.
  // oidc-provider's invalid_grant always says "grant request is invalid";
  // this one says why.
  const invalidGrant = (description) => Object.assign(new errors.InvalidGrant(), { error_description: description });

  async function subjectOf(ctx, value, type) {
    const { client } = ctx.oidc;
    const unknown = () => invalidGrant('subject_token is unknown, expired or revoked');
    let subject;
    if (type === TOKEN_TYPES.access_token) {
      const token = await findAccessToken(value);
      if (!token) throw unknown();
      subject = { accountId: token.accountId, sub: token.sub, grantId: token.grantId, act: token.act };
    } else if (type === TOKEN_TYPES.refresh_token) {
      const token = await provider.RefreshToken.find(value);
      if (!token || token.isExpired) throw unknown();
      if (token.consumed) throw invalidGrant('subject_token is a refresh token that has already been used');
      subject = { accountId: token.accountId, grantId: token.grantId };
    } else if (type === TOKEN_TYPES.id_token) {
      let payload;
      try {
        ({ payload } = await provider.IdToken.validate(value, client));
      } catch {
        throw invalidGrant(`subject_token is not an ID token this provider issued to ${client.clientId}`);
      }
      if (!(payload.exp > Date.now() / 1000)) throw invalidGrant('subject_token is an expired ID token');
      subject = { accountId: payload.sub };
    } else {
      throw new errors.InvalidRequest(`subject_token_type ${type} is not supported; use ${Object.values(TOKEN_TYPES).join(', ')}`);
    }
    if (subject.accountId !== undefined && !findAccount(subject.accountId)) throw invalidGrant('subject_token names an unknown account');
    return subject;
  }

  async function tokenExchange(ctx) {
    const { params, client } = ctx.oidc;
    const list = (v) => (v === undefined ? [] : [v].flat());
    for (const name of ['subject_token', 'subject_token_type']) {
      if (!params[name]) throw new errors.InvalidRequest(`missing required parameter '${name}'`);
    }
    if (params.requested_token_type !== undefined && params.requested_token_type !== TOKEN_TYPES.access_token) {
      throw new errors.InvalidRequest(`requested_token_type ${params.requested_token_type} is not supported; only ${TOKEN_TYPES.access_token}`);
    }
    for (const target of [...list(params.audience), ...list(params.resource)]) {
      if (target !== apiResource) throw new errors.InvalidTarget(`unknown audience or resource ${target}; the only one is ${apiResource}`);
    }
    const subject = await subjectOf(ctx, params.subject_token, params.subject_token_type);

    let { act } = subject;
    if (params.actor_token !== undefined || params.actor_token_type !== undefined) {
      if (!params.actor_token || !params.actor_token_type) throw new errors.InvalidRequest('actor_token and actor_token_type go together');
      if (params.actor_token_type !== TOKEN_TYPES.access_token) {
        throw new errors.InvalidRequest(`actor_token_type ${params.actor_token_type} is not supported; only ${TOKEN_TYPES.access_token}`);
      }
      const actor = await findAccessToken(params.actor_token);
      if (!actor) throw invalidGrant('actor_token is unknown, expired or revoked');
      // RFC 8693 §4.1: the current actor, with earlier ones nested inside.
      act = { ...(actor.accountId !== undefined ? { sub: actor.accountId } : { client_id: actor.clientId }), ...(act ? { act } : {}) };
    }

    const offered = API_SCOPES.split(' ');
    let scope = API_SCOPES;
    if (params.scope) {
      const requested = [...new Set(params.scope.split(' ').filter(Boolean))];
      const refused = requested.filter((s) => !offered.includes(s));
      if (refused.length) throw new errors.InvalidScope(`${apiResource} offers the scopes ${API_SCOPES}`, refused.join(' '));
      scope = requested.join(' ');
    }

    const token = subject.accountId !== undefined
      ? new provider.AccessToken({ client, accountId: subject.accountId, grantId: subject.grantId, gty: 'token_exchange', scope })
      : new provider.ClientCredentials({ client, scope });
    token.resourceServer = new provider.ResourceServer(apiResource, apiResourceServer());
    exchanged.set(token, { act, sub: subject.accountId === undefined ? subject.sub : undefined });
    const accessToken = await token.save();
    ctx.body = {
      access_token: accessToken,
      issued_token_type: TOKEN_TYPES.access_token,
      token_type: 'Bearer',
      expires_in: token.expiration,
      scope,
    };
  }
  // (Not in --fapi mode, whose tokens must all be sender-constrained.)
  if (!fapi) {
    provider.registerGrantType(TOKEN_EXCHANGE, tokenExchange,
      ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type', 'audience', 'resource', 'scope'],
      ['audience', 'resource']);
  }

  // Check every static client now rather than at its first request.
  for (const c of clients) {
    try {
      await provider.Client.find(c.client_id);
    } catch (err) {
      throw new Error(`client ${c.client_id}: ${err.error_description ?? err.message}`);
    }
  }

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
  // token against the provider's own token store (and, for JWTs, the
  // provider's keys). Never echoes the token.
  async function api(req, res, pathname) {
    if (pathname === '/api/dpop/me') return dpopApi(req, res);
    const challenge = (params, error, description) => `${params}, error="${error}", error_description="${description}"`;
    const unauthorized = (description) => sendJson(res, 401, { error: 'invalid_token', reason: description },
      { 'www-authenticate': challenge(apiChallenge, 'invalid_token', description) });

    const methods = {
      '/api/me': ['GET', 'HEAD'],
      '/api/admin': ['GET', 'HEAD'],
      '/api/forget': ['POST'],
      ...(mtls ? { '/api/mtls/me': ['GET', 'HEAD'] } : {}),
    }[pathname];
    if (!methods) return sendJson(res, 404, { error: 'not_found' });
    if (!methods.includes(req.method)) return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: methods.join(', ') });
    const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      // RFC 6750 §3.1: a request without credentials gets a challenge without
      // an error code; the scope says what to ask for.
      return sendJson(res, 401, { error: 'invalid_token', reason: 'send an access token: Authorization: Bearer <token>' },
        { 'www-authenticate': `${apiChallenge}, scope="api:read"` });
    }
    // The lookup checks the expiry; a revoked token is gone from the store.
    const token = await findAccessToken(match[1]);
    if (!token) return unauthorized('the access token is unknown, expired or revoked');
    const account = token.accountId === undefined ? undefined : findAccount(token.accountId);
    if (token.accountId !== undefined && !account) return unauthorized('the access token belongs to an unknown account');
    // --fapi: a DPoP-bound token is no bearer token (RFC 9449 §7.2). (Outside
    // --fapi mode /api/me takes it as before; /api/forget always does.)
    if (fapi && token.jkt && pathname !== '/api/forget') {
      return unauthorized('the access token is DPoP-bound (cnf.jkt): send it as Authorization: DPoP with a DPoP proof, to GET /api/dpop/me');
    }

    // RFC 8705 §3: a certificate-bound token is good only with its certificate.
    const cert = peerCertificate(req.socket);
    const bound = token.cnf?.['x5t#S256'];
    if (pathname === '/api/mtls/me') {
      if (!cert) return unauthorized(`no client certificate was presented; call ${mtls.origin}/api/mtls/me over mutual TLS with the certificate the token is bound to`);
      if (!bound) return unauthorized('the access token is not certificate-bound (no cnf x5t#S256); get one over mutual TLS as tessera-mtls or tessera-mtls-self-signed');
    }
    if (bound) {
      if (!cert) return unauthorized(`the access token is bound to a client certificate; present it over mutual TLS at ${mtls?.origin ?? 'the mTLS listener'}`);
      if (certThumbprint(cert) !== bound) return unauthorized('the client certificate presented is not the one the access token is bound to');
    }

    if (pathname === '/api/forget') {
      // The API drops this one access token, as a resource server may before
      // its exp (a key rotation, a cache flush). Unlike revocation at the
      // provider, which ends the whole grant, the refresh token still works:
      // the next call gets 401 invalid_token, and a refresh recovers.
      await token.drop();
      res.writeHead(204);
      return res.end();
    }
    const claims = await grantedClaims(token, account);
    if (pathname === '/api/me' || pathname === '/api/mtls/me') return sendJson(res, 200, meBody(token, claims));
    const roles = claims.roles ?? [];
    if (!roles.includes('admin')) {
      return sendJson(res, 403, {
        error: 'insufficient_role',
        reason: `GET /api/admin requires the role 'admin'; ${claims.preferred_username ?? token.accountId ?? token.sub} has roles ${roles.join(', ') || '(none granted)'}`,
      }, { 'www-authenticate': challenge(REALM, 'insufficient_scope', 'requires role admin') });
    }
    return sendJson(res, 200, { ok: true, sub: token.accountId });
  }

  // The claims a token's scopes grant (for a user's token).
  async function grantedClaims(token, account) {
    if (!account) return {};
    const all = await account.claims('userinfo', token.scope);
    const granted = new Set(String(token.scope ?? '').split(' ').flatMap((scope) => SCOPE_CLAIMS[scope] ?? []));
    return Object.fromEntries(Object.entries(all).filter(([k]) => granted.has(k) || k === 'sub'));
  }

  // GET /api/me's answer (and /api/mtls/me's, and /api/dpop/me's with cnf).
  function meBody(token, claims, cnf = token.cnf) {
    if (token.format === 'opaque' && token.model === 'AccessToken') {
      // The code, device and refresh grants' tokens: the same answer as ever.
      return {
        sub: token.accountId, client_id: token.clientId, scope: token.scope, iat: token.iat, exp: token.exp, claims,
        ...(cnf ? { cnf } : {}),
      };
    }
    return {
      sub: token.sub ?? null,
      client_id: token.clientId,
      scope: token.scope ?? null,
      aud: token.aud ?? null,
      iat: token.iat,
      exp: token.exp,
      ...(token.act ? { act: token.act } : {}),
      ...(cnf ? { cnf } : {}),
      claims,
    };
  }

  // GET /api/dpop/me: the demo API for DPoP-bound access tokens (RFC 9449
  // §7), with `Authorization: DPoP <token>` and a `DPoP` proof header. It
  // checks the proof (typ dpop+jwt, an allowed alg, its signature by its own
  // public jwk, htm, htu, a recent iat, a nonce of its own, a jti never seen,
  // ath) and then the token (known, not expired or revoked, and bound to the
  // proof's key: cnf.jkt). Every refusal is a 401 whose WWW-Authenticate DPoP
  // challenge names the check that failed.
  async function dpopApi(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
    const algs = dpopAlgs.join(' ');
    const refuse = (error, description, headers = {}) => sendJson(res, 401, { error, error_description: description },
      { 'www-authenticate': `DPoP error="${error}", error_description="${description.replace(/["\\]/g, "'")}"`, ...headers });
    const badProof = (description) => refuse('invalid_dpop_proof', description);
    const authorization = req.headers.authorization ?? '';
    if (!authorization) {
      return sendJson(res, 401, { error: 'invalid_token', error_description: 'send a DPoP-bound access token: Authorization: DPoP <token>, with a DPoP proof header' },
        { 'www-authenticate': `DPoP realm="tessera-demo", algs="${algs}"` });
    }
    const match = /^DPoP +([\x21-\x7e]+) *$/i.exec(authorization);
    if (!match) return refuse('invalid_token', 'this route takes Authorization: DPoP <token> (not Bearer) and a DPoP proof header');
    const accessToken = match[1];
    const proof = req.headers.dpop;
    if (!proof) return badProof('no DPoP proof: send one in the DPoP header');
    if (proof.includes(',')) return badProof('more than one DPoP header');

    // The proof: a JWS with the public key in its header (RFC 9449 §4.3).
    const parts = proof.split('.');
    if (parts.length !== 3) return badProof('the DPoP proof is not a compact JWS (three dot-separated parts)');
    let header;
    let claims;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url'));
      claims = JSON.parse(Buffer.from(parts[1], 'base64url'));
    } catch {
      return badProof('the DPoP proof header or payload is not base64url JSON');
    }
    if (header?.typ !== 'dpop+jwt') return badProof(`the DPoP proof's typ is ${JSON.stringify(header?.typ ?? null)}, not dpop+jwt`);
    if (!dpopAlgs.includes(header.alg)) return badProof(`the DPoP proof's alg ${JSON.stringify(header.alg ?? null)} is not one of ${algs}`);
    const { jwk } = header;
    if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) return badProof('the DPoP proof has no jwk header');
    if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((m) => m in jwk)) return badProof('the DPoP proof\'s jwk has private key members');
    let publicKey;
    try {
      publicKey = crypto.createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      return badProof('the DPoP proof\'s jwk is not a usable public key');
    }
    const thumbprint = jwkThumbprint(jwk);
    if (!thumbprint) return badProof('the DPoP proof\'s jwk has no RFC 7638 thumbprint');
    if (!verifyJws(header.alg, publicKey, Buffer.from(`${parts[0]}.${parts[1]}`), Buffer.from(parts[2], 'base64url'))) {
      return badProof(`the DPoP proof's signature does not verify with its jwk (${header.alg})`);
    }
    if (!claims || typeof claims !== 'object') return badProof('the DPoP proof payload is not a JSON object');
    if (typeof claims.jti !== 'string' || !claims.jti) return badProof('the DPoP proof has no jti');
    if (claims.htm !== req.method) return badProof(`the DPoP proof's htm is ${JSON.stringify(claims.htm ?? null)}, the request is ${req.method}`);
    // htu: this request's URL without query and fragment (§4.3), on the
    // listener it came in on.
    const origin = req.socket.encrypted && mtls ? mtls.origin : issuer;
    const expectedHtu = `${origin}${new URL(req.url, origin).pathname}`;
    const htu = typeof claims.htu === 'string' ? URL.parse(claims.htu) : null;
    if (htu) {
      htu.search = '';
      htu.hash = '';
    }
    if (htu?.href !== expectedHtu) return badProof(`the DPoP proof's htu ${JSON.stringify(claims.htu ?? null)} is not this request's URL ${expectedHtu}`);
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.iat !== 'number' || Math.abs(now - claims.iat) > DPOP_IAT_WINDOW_S) {
      return badProof(`the DPoP proof's iat is not within ${DPOP_IAT_WINDOW_S} s of the server's clock`);
    }
    // The resource server's nonce (§9): asked for, then required.
    const nonce = currentRsNonce();
    if (claims.nonce === undefined) {
      return refuse('use_dpop_nonce', 'the resource server requires a nonce in the DPoP proof: retry with the DPoP-Nonce header\'s value', { 'dpop-nonce': nonce });
    }
    if (typeof claims.nonce !== 'string' || !rsNonceValid(claims.nonce)) {
      return refuse('use_dpop_nonce', 'the DPoP proof\'s nonce is not this resource server\'s or has expired: retry with the DPoP-Nonce header\'s value', { 'dpop-nonce': nonce });
    }
    const seen = `${thumbprint}:${claims.jti}`;
    if (seenDpopProofs.has(seen)) return badProof('the DPoP proof\'s jti has been used before: a replayed proof');
    seenDpopProofs.set(seen, Date.now() + 2 * DPOP_IAT_WINDOW_S * 1000);
    if (typeof claims.ath !== 'string') return badProof('the DPoP proof has no ath (the access token\'s hash)');
    if (claims.ath !== crypto.hash('sha256', accessToken, 'base64url')) {
      return badProof('the DPoP proof\'s ath does not match the access token (base64url SHA-256 of it)');
    }

    // The token, bound to the proof's key.
    const token = await findAccessToken(accessToken);
    if (!token) return refuse('invalid_token', 'the access token is unknown, expired or revoked');
    const account = token.accountId === undefined ? undefined : findAccount(token.accountId);
    if (token.accountId !== undefined && !account) return refuse('invalid_token', 'the access token belongs to an unknown account');
    if (!token.jkt) return refuse('invalid_token', 'the access token is not DPoP-bound (no cnf.jkt): a bearer token cannot be used with DPoP');
    if (token.jkt !== thumbprint) {
      return badProof(`the DPoP proof's key (thumbprint ${thumbprint}) is not the one the access token is bound to (cnf.jkt ${token.jkt})`);
    }
    const body = meBody(token, await grantedClaims(token, account), { jkt: token.jkt });
    return sendJson(res, 200, body, claims.nonce === nonce ? {} : { 'dpop-nonce': nonce });
  }

  // RFC 9728 §2: the demo API's metadata. Bearer tokens go in the
  // Authorization header only; in --fapi mode they must be DPoP-bound.
  const apiMetadata = {
    resource: apiResource,
    authorization_servers: [issuer],
    scopes_supported: API_SCOPES.split(' '),
    bearer_methods_supported: ['header'],
    resource_name: 'Tessera demo API',
    dpop_bound_access_tokens_required: fapi,
  };

  // Dev-only protected resources, /dev/rs/<case>, for what a client that
  // starts a sign-in from an API URL must refuse or work around (RFC 9728
  // §3.3, RFC 8414 §3.3, RFC 7591 §3.2.2). Each answers every request with
  // 401. `document` is its metadata at the well-known location (none for
  // no-metadata); `advertised` says whether its challenge names that location
  // (RFC 9728 §5.1) or the client must find it by itself.
  const devResource = (name) => `${issuer}/dev/rs/${name}`;
  const devServer = (name) => `${issuer}/dev/as/${name}`;
  const devResourceDocument = (name, fields) => ({
    resource: devResource(name), ...fields, bearer_methods_supported: ['header'], resource_name: `Tessera test resource ${name}`,
  });
  const TEST_RESOURCES = new Map([
    ['wrong-resource', {
      advertised: true,
      reason: 'its metadata names another resource',
      document: devResourceDocument('wrong-resource', { resource: 'https://elsewhere.example/api', authorization_servers: [issuer] }),
    }],
    ['no-servers', {
      advertised: true,
      reason: 'its metadata names no authorization server',
      document: devResourceDocument('no-servers', {}),
    }],
    ['issuer-mismatch', {
      advertised: true,
      reason: 'its authorization server\'s metadata names another issuer',
      document: devResourceDocument('issuer-mismatch', { authorization_servers: [devServer('issuer-mismatch')] }),
    }],
    ['no-registration', {
      advertised: true,
      reason: 'its authorization server offers no way to register a client',
      document: devResourceDocument('no-registration', { authorization_servers: [devServer('no-registration')] }),
    }],
    ['registration-refused', {
      advertised: true,
      reason: 'its authorization server refuses every registration',
      document: devResourceDocument('registration-refused', { authorization_servers: [devServer('registration-refused')] }),
    }],
    ['no-metadata', { advertised: false, reason: 'it has no metadata anywhere' }],
    ['well-known-only', {
      advertised: false,
      reason: 'its metadata is only at the well-known location',
      document: devResourceDocument('well-known-only', { authorization_servers: [issuer] }),
    }],
  ]);

  // The fake authorization servers those resources name, <issuer>/dev/as/<name>:
  // the real provider's discovery document (its endpoints too) with what the
  // case changes, served as RFC 8414 metadata.
  const TEST_SERVERS = new Map([
    ['issuer-mismatch', (doc) => ({ ...doc, issuer: devServer('someone-else') })],
    ['no-registration', (doc) => {
      const changed = { ...doc, issuer: devServer('no-registration'), code_challenge_methods_supported: ['S256'] };
      delete changed.registration_endpoint;
      delete changed.client_id_metadata_document_supported;
      return changed;
    }],
    ['registration-refused', (doc) => ({ ...doc, issuer: devServer('registration-refused'), registration_endpoint: `${devServer('registration-refused')}/reg` })],
  ]);
  // The provider's own discovery document, asked of itself once (it does not
  // change while it runs) and again only if that failed.
  let discovery;
  const discoveryDocument = () => {
    discovery ??= fetch(`${issuer}/.well-known/openid-configuration`)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`discovery answered ${r.status}`))))
      .catch((err) => {
        discovery = undefined;
        throw err;
      });
    return discovery;
  };

  // A provider with known conformance problems, for `tessera lint`: issuer
  // <issuer>/dev/bad, the token response type and the implicit and password
  // grants, alg none and HS256 ID tokens, PKCE plain only, no RFC 9207 iss,
  // and the JWK Set of plantedJwks(). Its endpoints are the real provider's.
  const badIssuer = `${issuer}/dev/bad`;
  const badDiscovery = {
    issuer: badIssuer,
    authorization_endpoint: `${issuer}${ROUTES.authorization}`,
    token_endpoint: `${issuer}${ROUTES.token}`,
    jwks_uri: `${badIssuer}/jwks`,
    response_types_supported: ['code', 'token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['none', 'HS256'],
    code_challenge_methods_supported: ['plain'],
    grant_types_supported: ['authorization_code', 'implicit', 'password'],
    // Nobody listens on port 9 (discard): an endpoint that does not answer.
    revocation_endpoint: 'http://127.0.0.1:9/revoke',
  };
  const badJwks = plantedJwks();

  // Every JSON document served here beside oidc-provider's, by path: the
  // demo API's and the test resources' metadata (RFC 9728), the fake servers'
  // (RFC 8414) and /dev/bad's. Nothing at oauth-authorization-server for the
  // real issuer: oidc-provider serves only OpenID discovery, which clients
  // fall back to.
  const DOCUMENTS = new Map([
    [resourceMetadataPath(apiResource), { document: () => apiMetadata, headers: { 'cache-control': 'max-age=300' } }],
    ...[...TEST_RESOURCES].filter(([, test]) => test.document)
      .map(([name, test]) => [resourceMetadataPath(devResource(name)), { document: () => test.document }]),
    ...[...TEST_SERVERS].map(([name, change]) => [`${AS_METADATA}/dev/as/${name}`, { document: async () => change(await discoveryDocument()) }]),
    ['/dev/bad/.well-known/openid-configuration', { document: () => badDiscovery }],
    ['/dev/bad/jwks', { document: () => badJwks }],
  ]);

  async function serveDocument(req, res, { document, headers }) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
    return sendJson(res, 200, await document(), headers);
  }

  // /dev/rs/<case> and every path under it (one resource, many paths, as an
  // API has): 401 to everything, with or without resource_metadata.
  function testResource(res, name) {
    const test = TEST_RESOURCES.get(name);
    if (!test) return sendJson(res, 404, { error: 'not_found' });
    const challenge = test.advertised ? `${REALM}, resource_metadata="${issuer}${resourceMetadataPath(devResource(name))}"` : REALM;
    return sendJson(res, 401, { error: 'invalid_token', reason: `test resource ${name}: ${test.reason}` }, { 'www-authenticate': challenge });
  }

  // The registration endpoint of /dev/as/registration-refused: every
  // registration refused with an RFC 7591 §3.2.2 error.
  function refusedRegistration(req, res) {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });
    return sendJson(res, 400, { error: 'invalid_redirect_uri', error_description: 'loopback redirect URIs are not accepted here' });
  }

  function home() {
    if (fapi) return fapiHome();
    const grantNames = { authorization_code: 'code', refresh_token: 'refresh', client_credentials: 'client credentials', [DEVICE_CODE]: 'device', [TOKEN_EXCHANGE]: 'token exchange' };
    const items = clients.map((c) => `<li><code>${escape(c.client_id)}</code> ${describeAuth(c)}${c.id_token_signed_response_alg ? `, ${escape(c.id_token_signed_response_alg)} ID tokens` : ''}
<span class="claims">(${c.grant_types.map((g) => escape(grantNames[g] ?? g)).join(', ')})</span></li>`).join('');
    return page('Tessera local provider', `<h1>Tessera local provider</h1><p class="sub">Issuer <code>${escape(issuer)}</code></p>
<p class="hint">Demo user: <b>demo</b> / password: <b>demo</b></p><p>Clients:</p><ul>${items}</ul>
<p>Redirect URIs: <code>http://127.0.0.1/callback</code> (any port), <code>dev.tessera.app:/callback</code></p>
<p>Discovery: <a href="/.well-known/openid-configuration"><code>/.well-known/openid-configuration</code></a></p>
<p>Demo API: <code>GET /api/me</code>, <code>GET /api/admin</code> (403 for the demo user), <code>POST /api/forget</code> (the API drops the token it is sent), <code>GET /api/dpop/me</code> (DPoP-bound tokens with a proof)${mtls ? ', <code>GET /api/mtls/me</code> on the mTLS listener (certificate-bound tokens with their certificate)' : ''}</p>
<p>API resource (RFC 8707): <code>${escape(apiResource)}</code>, scopes <code>${API_SCOPES}</code>, JWT access tokens</p>
<p>Device flow: <code>POST ${ROUTES.device_authorization}</code>, then <a href="${ROUTES.code_verification}"><code>${ROUTES.code_verification}</code></a>${opts.deviceInterval !== undefined ? `; interval ${opts.deviceInterval} s` : ''}${opts.deviceSlowDown ? '; the first poll of each code gets slow_down' : ''}; codes live ${opts.deviceCodeTtl} s; polls: <a href="/dev/device-polls"><code>/dev/device-polls</code></a></p>
<p>Token exchange (RFC 8693): <code>grant_type=${TOKEN_EXCHANGE}</code> at <code>${ROUTES.token}</code></p>
<p>Registration (RFC 7591): <code>POST ${ROUTES.registration}</code>, open; management (RFC 7592): <code>GET</code>, <code>PUT</code>, <code>DELETE ${ROUTES.registration}/&lt;client_id&gt;</code> with the registration access token</p>
<p>Protected resource metadata (RFC 9728): <a href="${RESOURCE_METADATA}/api"><code>${RESOURCE_METADATA}/api</code></a>, named by every 401 of the demo API</p>
<p>Test cases (dev-only, see dev/README.md): resources <code>/dev/rs/&lt;case&gt;</code> (always 401) for ${[...TEST_RESOURCES.keys()].map((name) => `<code>${name}</code>`).join(', ')}; authorization servers <code>/dev/as/&lt;name&gt;</code> for ${[...TEST_SERVERS.keys()].map((name) => `<code>${name}</code>`).join(', ')}; a provider with conformance problems, <a href="/dev/bad/.well-known/openid-configuration"><code>/dev/bad</code></a></p>
${mtls ? `<p>Mutual TLS (RFC 8705): <code>${escape(mtls.origin)}</code>; CA <code>${escape(mtls.ca)}</code>, client certificate <code>${escape(mtls.clientCert)}</code> and key <code>${escape(mtls.clientKey)}</code>, self-signed <code>${escape(mtls.selfSignedCert)}</code> and key <code>${escape(mtls.selfSignedKey)}</code></p>` : ''}`);
  }

  // The home page in --fapi mode.
  function fapiHome() {
    const items = clients.map((c) => `<li><code>${escape(c.client_id)}</code> ${describeAuth(c)}</li>`).join('');
    const switches = [
      opts.requireSignedRequestObject && 'every authorization request must be a signed request object (--require-signed-request-object)',
      opts.bearerDespiteDpop && 'the token endpoint ignores DPoP: Bearer tokens (--bearer-despite-dpop)',
      opts.jarmWrongAud && `JARM responses are made out to ${WRONG_AUDIENCE} (--jarm-wrong-aud)`,
      opts.jarmExpired && 'JARM responses are already expired (--jarm-expired)',
    ].filter(Boolean);
    return page('Tessera local provider (FAPI 2.0)', `<h1>Tessera local provider</h1><p class="sub">FAPI 2.0 Security Profile; issuer <code>${escape(issuer)}</code></p>
<p class="hint">Demo user: <b>demo</b> / password: <b>demo</b></p>
<p>Pushed authorization requests required (<code>POST ${ROUTES.pushed_authorization_request}</code>), PKCE S256, <code>iss</code> in responses, DPoP with nonces${mtls ? ' or mutual TLS' : ''} (sender-constrained tokens only), signed request objects, JARM (<code>response_mode=jwt</code>)</p>
<p>Clients: ${items ? `<ul>${items}</ul>` : 'none built in'}; register your own at <code>POST ${ROUTES.registration}</code> (private_key_jwt${mtls ? ' or tls_client_auth' : ''}, open)</p>
${switches.length ? `<p>Test switches: ${switches.map(escape).join('; ')}</p>` : ''}
<p>Discovery: <a href="/.well-known/openid-configuration"><code>/.well-known/openid-configuration</code></a></p>
<p>Demo API: <code>GET /api/dpop/me</code> (DPoP-bound tokens with a proof), <code>GET /api/me</code>${mtls ? ', <code>GET /api/mtls/me</code> on the mTLS listener' : ''}; its metadata (RFC 9728): <a href="${RESOURCE_METADATA}/api"><code>${RESOURCE_METADATA}/api</code></a></p>`);
  }

  async function handle(req, res, listener) {
    if (opts.verbose) {
      const started = Date.now();
      // The path only: never a query string, which can carry codes or tokens.
      res.on('finish', () => console.error(`${listener}${req.method} ${req.url.split('?')[0]} ${res.statusCode} ${Date.now() - started}ms`));
    }
    try {
      const { pathname } = new URL(req.url, issuer);
      const m = /^\/interaction\/([^/]+)(?:\/(login|confirm|abort))?$/.exec(pathname);
      if (m) return await interaction(req, res, m[1], m[2]);
      if (pathname.startsWith('/api/')) return await api(req, res, pathname);
      if (pathname === '/dev/device-polls') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, HEAD' });
        return sendJson(res, 200, { polls });
      }
      if (DOCUMENTS.has(pathname)) return await serveDocument(req, res, DOCUMENTS.get(pathname));
      if (pathname.startsWith('/dev/rs/')) return testResource(res, pathname.split('/')[3]);
      if (pathname === '/dev/as/registration-refused/reg') return refusedRegistration(req, res);
      if ([RESOURCE_METADATA, AS_METADATA, '/dev/as/', '/dev/bad/'].some((prefix) => pathname.startsWith(prefix))) {
        return sendJson(res, 404, { error: 'not_found' });
      }
      if (pathname === '/static/demo-avatar.svg') return send(res, 200, 'image/svg+xml', AVATAR, { 'cache-control': 'public, max-age=3600' });
      if (pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) return send(res, 200, 'text/html', home());
      return callback(req, res);
    } catch (err) {
      console.error('request failed:', err.message);
      if (!res.headersSent) send(res, err.status ?? 500, 'text/html', page('Error', `<h1>Error</h1><p class="error">${escape(err.message)}</p>`));
      else res.end();
    }
  }
  server.on('request', (req, res) => handle(req, res, ''));
  mtls?.server.on('request', (req, res) => handle(req, res, 'mtls '));

  console.log(`Tessera local provider ready; issuer: ${issuer}`);
  if (mtls) {
    console.log(`mtls: ${mtls.origin} ca=${mtls.ca} client-cert=${mtls.clientCert} client-key=${mtls.clientKey} self-signed-cert=${mtls.selfSignedCert} self-signed-key=${mtls.selfSignedKey}`);
  }
  if (fapi) printFapiSummary();
  else printSummary();

  if (opts.exitWithStdin) {
    process.stdin.on('end', () => process.exit(0));
    process.stdin.on('close', () => process.exit(0));
    process.stdin.on('error', () => process.exit(0));
    process.stdin.resume();
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));

  function printFapiSummary() {
    console.log('  mode:        FAPI 2.0 Security Profile (oidc-provider features.fapi, profile 2.0)');
    console.log(`  demo user:   ${DEMO.username} / ${DEMO.password} (sub ${DEMO.accountId}, roles viewer, developer)`);
    console.log(`  PAR:         ${issuer}${ROUTES.pushed_authorization_request} (required), then ${issuer}/auth?client_id=…&request_uri=…; PKCE S256; iss in every response`);
    console.log(`  DPoP:        nonces required at PAR, token and userinfo (use_dpop_nonce + DPoP-Nonce); algs ${dpopAlgs.join(', ')}`);
    console.log(`  JAR, JARM:   signed request objects (${FAPI_ALGS.client.join(', ')})${opts.requireSignedRequestObject ? ', required' : ''}; response_mode=jwt (${FAPI_ALGS.server.join(', ')}, default ${FAPI_DEFAULT_ALG})`);
    console.log(`  clients:     ${clients.length ? clients.map((c) => c.client_id).join(', ') : 'none built in'}; register at ${issuer}${ROUTES.registration} (private_key_jwt${mtls ? ' or tls_client_auth' : ''}, aud = the issuer)`);
    console.log(`  demo API:    ${issuer}/api/dpop/me (DPoP, nonce required)  ${issuer}/api/me`);
    const switches = [
      opts.requireSignedRequestObject && '--require-signed-request-object',
      opts.bearerDespiteDpop && '--bearer-despite-dpop',
      opts.jarmWrongAud && '--jarm-wrong-aud',
      opts.jarmExpired && '--jarm-expired',
    ].filter(Boolean);
    if (switches.length) console.log(`  switches:    ${switches.join(' ')} (dev-only misbehaviour)`);
  }

  function printSummary() {
    console.log(`  demo user:   ${DEMO.username} / ${DEMO.password} (sub ${DEMO.accountId}, roles viewer, developer)`);
    console.log('  clients:     tessera (public, PKCE S256), tessera-es256, tessera-eddsa (same, ES256 / EdDSA ID tokens)');
    console.log('               tessera-confidential (client_secret_basic), tessera-confidential-post (client_secret_post), secret tessera-demo-secret');
    console.log('  redirects:   http://127.0.0.1/callback (any port), dev.tessera.app:/callback');
    console.log(`  demo API:    ${issuer}/api/me  ${issuer}/api/admin  ${issuer}/api/dpop/me (DPoP)`);
    console.log('  service:     tessera-service (client credentials, token exchange; client_secret_basic, secret tessera-demo-secret)');
    console.log(`  assertions:  tessera-secret-jwt (client_secret_jwt, secret ${ASSERTION_SECRET})`);
    if (clientJwks) console.log(`               tessera-private-key-jwt (private_key_jwt, the keys in ${opts.clientJwks})`);
    if (mtls) console.log('  mTLS:        tessera-mtls (tls_client_auth, CN=tessera-mtls), tessera-mtls-self-signed (self_signed_tls_client_auth); certificate-bound tokens');
    console.log(`  resource:    ${apiResource} (scopes ${API_SCOPES}; JWT access tokens); metadata ${apiMetadataUrl}`);
    console.log(`  device flow: ${issuer}${ROUTES.device_authorization}, then ${issuer}${ROUTES.code_verification}; `
      + `interval ${opts.deviceInterval !== undefined ? `${opts.deviceInterval} s` : 'not sent'}${opts.deviceSlowDown ? ', slow_down on each first poll' : ''}, codes live ${opts.deviceCodeTtl} s; polls ${issuer}/dev/device-polls`);
    console.log(`  exchange:    grant_type ${TOKEN_EXCHANGE} (${clients.filter((c) => c.grant_types.includes(TOKEN_EXCHANGE)).map((c) => c.client_id).join(', ')})`);
    console.log(`  register:    ${issuer}${ROUTES.registration} (open, no initial access token); manage at ${issuer}${ROUTES.registration}/<client_id> (RFC 7592)`);
    console.log(`  test cases:  ${issuer}/dev/rs/<case> (always 401; see dev/README.md), ${badIssuer} (conformance problems)`);
  }
}

main().catch((err) => {
  console.error(`tessera local provider: ${err.code === 'EADDRINUSE' ? `port ${err.port} is in use (try --port 0 or TESSERA_DEV_PORT)` : err.message}`);
  process.exit(1);
});
