// The stand-in backend's walk from an API URL (RFC 9728) and its provider
// conformance check, shaped like the engine's answers: the local demo API
// walks to a provider that registers clients; a path naming a problem walks
// to that problem. Nothing here is used by the app itself.
import type { CheckView, FindingView, IpcError, ResourceDiscoveryView, ServerView } from '../lib/types';
import { check, ipcError } from './tools';

const warn = (id: string, name: string, detail: string): CheckView => ({ ...check(id, name, true, detail), warning: true });

function server(issuer: string, registration: boolean): ServerView {
  return {
    issuer,
    metadata_url: `${issuer}/.well-known/openid-configuration`,
    usable: true,
    pkce_s256: true,
    dynamic_registration: registration,
    client_id_metadata_document: false,
    pre_registered_only: !registration,
    grants: ['authorization_code', 'refresh_token'],
    problem: null,
  };
}

/**
 * The walk from `text`: `/no-metadata` in the path stops at the metadata,
 * `/manual` finds a provider without dynamic registration, a host naming
 * `unreachable` stops at the first call; anything else walks to its own
 * origin as the issuer, which registers clients.
 */
export function discoverResource(text: string): ResourceDiscoveryView {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw ipcError(null, 'the API URL is not valid (relative URL without a base); write it in full, e.g. https://api.example.com/me');
  }
  const view: ResourceDiscoveryView = {
    url: url.toString(),
    resource: null,
    resource_metadata_url: null,
    resource_name: null,
    default_profile_name: null,
    scopes: [],
    bearer_methods: [],
    dpop_required: false,
    authorization_servers: [],
    checks: [],
    way_forward: '',
    usable: false,
  };
  const stop = (row: CheckView) => ({ ...view, checks: [...view.checks, row], way_forward: row.detail });
  if (url.hostname.includes('unreachable'))
    return stop(check('probe', 'The API without a token', false, `could not reach ${url.origin}: connection refused`));
  const metadataUrl = `${url.origin}/.well-known/oauth-protected-resource/api`;
  view.checks.push(check('probe', 'The API without a token (RFC 9728 §5.1)', true, `HTTP 401; the challenge names its metadata: ${metadataUrl}`));
  if (url.pathname.includes('/no-metadata'))
    return stop(
      check('resource_metadata', 'Protected resource metadata (RFC 9728 §3)', false, `the protected resource metadata could not be read: ${metadataUrl} answered HTTP 404`),
    );
  const resource = `${url.origin}/api`;
  // The stand-in's copy of the engine's default name: host and port.
  const defaultName = url.port ? `${url.hostname}-${url.port}` : url.hostname;
  const issuer = url.origin;
  const registration = !url.pathname.includes('/manual');
  view.checks.push(
    check('resource_metadata', 'Protected resource metadata (RFC 9728 §3)', true, `read from ${metadataUrl}`),
    check('resource_matches', 'Resource identifier (RFC 9728 §3.3)', true, `${resource} is a prefix of the API URL`),
    check('scopes', 'Scopes', true, 'api:read (from the 401\'s scope)'),
    check('server_metadata', `Authorization server ${issuer}`, true, `read by OpenID discovery from ${issuer}/.well-known/openid-configuration`),
    check('server_issuer', 'Issuer matches (RFC 8414 §3.3)', true, `issuer is ${issuer}`),
    check('server_pkce', 'PKCE S256', true, 'code_challenge_methods_supported lists S256'),
    registration
      ? check('server_registration', 'Client registration', true, `dynamic registration at ${issuer}/reg (RFC 7591)`)
      : warn('server_registration', 'Client registration', 'no registration endpoint: register a client by hand'),
  );
  return {
    ...view,
    resource,
    resource_metadata_url: metadataUrl,
    resource_name: 'Tessera demo API',
    default_profile_name: defaultName,
    scopes: ['api:read'],
    bearer_methods: ['header'],
    authorization_servers: [server(issuer, registration)],
    way_forward: registration
      ? `sign in through ${issuer}: Tessera can register itself there (dynamic client registration), or use a client id you give`
      : `sign in through ${issuer}: the authorization server has no registration endpoint and does not accept client ID metadata documents: register a client by hand and give its client id`,
    usable: true,
  };
}

/** Why set-up refuses a discovery: the step that failed, as the engine says it. */
export const notUsable = (view: ResourceDiscoveryView): IpcError => ipcError('discovery_failed', view.way_forward);

const local = (issuer: string) => /^https?:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(issuer);

/** The conformance findings for a provider, errors first: a local one runs in plain http, others have a weak key. */
export function conformanceFindings(issuer: string): FindingView[] {
  const found: FindingView[] = [];
  if (!local(issuer))
    found.push({
      id: 'jwks_rsa_short',
      level: 'error',
      message: 'key "legacy-1" is an RSA key of 1024 bits; keys under 2048 bits must not be used',
      reference: 'RFC 7518 §3.3',
    });
  found.push({
    id: 'implicit_grant',
    level: 'warning',
    message: 'response_types_supported offers the implicit grant (id_token token), which RFC 9700 says not to use',
    reference: 'RFC 9700 §2.1.2',
  });
  if (local(issuer))
    found.push({
      id: 'http_loopback',
      level: 'note',
      message: 'the issuer is plain http on a loopback host: fine for a local provider, never for a real one',
      reference: 'OpenID Connect Discovery 1.0 §3',
    });
  return found;
}
