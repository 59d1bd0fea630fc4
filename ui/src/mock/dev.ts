// The stand-in backend of `npm run dev:mock`, one per page, set up from the
// page's query string so each state of the window can be looked at (and
// photographed) without the desktop app:
//   ?empty            no profiles
//   ?signed-out       the active profile is signed out
//   ?waiting          a sign-in waits for the browser (as if the tray started it)
//   ?browser-error    … and the browser could not be opened
//   ?error=<code>     the last sign-in failed with <code>
//   ?editor / ?edit   the profile editor, adding / editing
//   ?sign-out         the sign-out dialog
//   ?raw              the raw JSON of the session
//   ?tab=<id>         a tab of the signed-in view (inspector, api, provider, flow, http-log)
//   ?keys-error       the provider's keys cannot be fetched (inspector, provider)
//   ?introspect       … and the access token is introspected
//   ?reveal           … and the access token revealed
//   ?api=<path>       the API tab sends GET <issuer><path> (/api/me, /api/admin, /api/expired, /api/big)
//   ?log-row          the HTTP log opens its newest exchange
//   ?device           a device-code sign-in waits for the code to be entered (profile tv-device)
//   ?service          a client credentials session, with no user (profile ci-service)
//   ?key              the editor of a private_key_jwt profile with its key (profile fapi-pkjwt)
//   ?new-service      the editor adds a client credentials profile signing with a new key (private_key_jwt)
//   ?exchange         the inspector exchanges the access token (RFC 8693) for another audience
//   ?mtls             a mutual-TLS service (profile mtls-orders); with &tab=inspector its certificate-bound token
//   ?mtls-edit        the editor of that profile, with its client certificate
//   ?new-mtls         the editor adds a mutual-TLS profile and saves it before its certificate is imported
//   ?fapi             a FAPI 2.0 profile (open-banking: private_key_jwt, PAR, DPoP) signed in with a DPoP-bound token;
//                     with &tab=inspector its access token's DPoP binding, with &tab=api its curl command
//   ?fapi-edit        the editor of that profile, with its security profile
//   ?new-fapi         the editor adds a profile from the FAPI 2.0 preset
//   ?error=code_expired / ?error=denied   a device sign-in that expired or was declined
//   ?flow             the Flow tab after a refresh, a refused token exchange, a revoked access token and an
//                     API call refused with 401, refreshed and retried; the timeline of the session
//                     (&pick=<kind> shows the newest operation of that kind, e.g. sign_in; &list shows the steps as a list)
//   ?flow-failed      a sign-in the token endpoint refused (invalid_grant), with its flow opened under the banner
//   ?from-api         Add profile → From an API URL, discovering the demo API (=manual: a provider without
//                     dynamic registration; =no-metadata: an API without RFC 9728 metadata)
//   ?conformance      the Provider tab of a provider with conformance errors (entra-contoso), marked in the sidebar
import { createBackend } from './backend';
import { ipcError } from './tools';
import type { ErrorCode, IpcError } from '../lib/types';

const query = new URLSearchParams(location.search);
const has = (key: string) => query.has(key);

export const backend = createBackend({
  profiles: has('empty')
    ? []
    : [
        {
          name: 'local',
          issuer: 'http://127.0.0.1:9090',
          signed_in: !has('signed-out') && !has('waiting') && !has('browser-error') && !has('error') && !has('flow-failed'),
        },
        { name: 'keycloak-dev', issuer: 'https://sso.example.com/realms/dev', client_id: 'tessera-desktop' },
        { name: 'entra-contoso', issuer: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0', client_id: '3f2b…', signed_in: true },
        { name: 'ci-service', issuer: 'http://127.0.0.1:9090', client_id: 'reporting-job', grant: 'client_credentials', scopes: ['orders:read'], signed_in: true },
        { name: 'tv-device', issuer: 'http://127.0.0.1:9090', client_id: 'tessera-tv', grant: 'device_code', client_auth: 'none' },
        { name: 'fapi-pkjwt', issuer: 'https://fapi.example.com', client_id: 'fapi-client', client_auth: 'private_key_jwt' },
        {
          name: 'open-banking',
          issuer: 'http://127.0.0.1:9090',
          client_id: 'tessera-private-key-jwt',
          client_auth: 'private_key_jwt',
          scopes: ['openid', 'accounts'],
          security: { par: true, dpop: true },
          signed_in: true,
        },
        {
          name: 'mtls-orders',
          issuer: 'http://127.0.0.1:9090',
          client_id: 'orders-mtls',
          grant: 'client_credentials',
          client_auth: 'self_signed_tls_client_auth',
          scopes: ['orders:read'],
          signed_in: true,
        },
      ],
  active: has('device')
    ? 'tv-device'
    : has('service')
      ? 'ci-service'
      : has('key')
        ? 'fapi-pkjwt'
        : has('conformance')
          ? 'entra-contoso'
          : has('mtls') || has('mtls-edit')
          ? 'mtls-orders'
          : has('fapi') || has('fapi-edit')
            ? 'open-banking'
            : null,
});
backend.scriptSignIn({ type: 'succeed', afterMs: 6000 });

const find = (testid: string) => document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null;
const click = (testid: string) => find(testid)?.click();
if (has('keys-error')) backend.failKeys('could not fetch http://127.0.0.1:9090/jwks: connection refused');
const later = (ms: number, f: () => void) => setTimeout(f, ms);

const ERRORS: Partial<Record<ErrorCode, IpcError>> = {
  redirect_uri_rejected: ipcError(
    'redirect_uri_rejected',
    "the provider refused the redirect URI http://127.0.0.1:43123/callback (invalid_redirect_uri); register exactly this URI for client tessera, or change the profile's redirect",
    { redirect_uri: 'http://127.0.0.1:43123/callback', client_id: 'tessera', profile: 'local', endpoint: 'authorization endpoint' },
  ),
  client_rejected: ipcError(
    'client_rejected',
    'the provider does not know client no-such-client (unauthorized_client); check the client id and whether it may use the authorization code flow',
    { client_id: 'no-such-client', profile: 'local', endpoint: 'authorization endpoint' },
  ),
  timed_out: ipcError('timed_out', 'timed out waiting for the browser to return to http://127.0.0.1:43123/callback; finish signing in within the time limit', { profile: 'local' }),
  cancelled: ipcError('cancelled', 'sign-in cancelled', { profile: 'local' }),
  code_expired: ipcError('code_expired', 'the device code expired before it was approved; start again', { profile: 'local', endpoint: 'token endpoint' }),
  denied: ipcError('denied', 'the sign-in was declined at the provider (access_denied)', { profile: 'local', endpoint: 'token endpoint' }),
};

later(400, () => {
  if (has('waiting') || has('browser-error')) {
    backend.scriptSignIn({ type: 'hang' });
    if (has('browser-error')) {
      backend.emit('sign-in', {
        profile: 'local',
        phase: {
          type: 'waiting',
          url: 'http://127.0.0.1:9090/authorize?response_type=code&client_id=tessera&redirect_uri=http%3A%2F%2F127.0.0.1%3A43123%2Fcallback&scope=openid%20profile&state=x1',
          redirect_uri: 'http://127.0.0.1:43123/callback',
          deadline: Math.floor(Date.now() / 1000) + 287,
          browser_error: 'no browser found: xdg-open exited with 3',
        },
      });
    } else void backend.invoke('sign_in', { profile: 'local' });
  }
  const code = query.get('error') as ErrorCode | null;
  if (code) backend.emit('sign-in', { profile: 'local', phase: { type: 'failed', error: ERRORS[code] ?? ipcError(code, `a ${code} error`, { profile: 'local' }) } });
  if (has('device')) {
    backend.scriptSignIn({ type: 'hang' });
    void backend.invoke('sign_in', { profile: 'tv-device' });
  }
  if (has('editor') || has('new-service') || has('new-mtls') || has('new-fapi')) click('add-profile');
  if (has('edit') || has('key') || has('mtls-edit') || has('fapi-edit')) click('edit-profile');
  if (has('exchange')) click('tab-inspector');
  if (has('sign-out')) click('sign-out');
  if (has('raw')) click('raw-toggle');
  if (has('flow-failed')) {
    backend.scriptSignIn({
      type: 'fail',
      afterMs: 300,
      token: { error: 'invalid_grant', description: 'the authorization code has expired' },
      error: ipcError(null, 'the provider refused the authorization code (invalid_grant): the authorization code has expired; sign in again', {
        profile: 'local',
        endpoint: 'token endpoint',
      }),
    });
    void backend.invoke('sign_in', { profile: 'local' }).catch(() => {});
    later(700, () => {
      const details = find('sign-in-flow') as HTMLDetailsElement | null;
      if (details) details.open = true;
    });
  }
  if (has('flow')) {
    const request = { method: 'GET', url: 'http://127.0.0.1:9090/api/me?page=2', query: [], headers: [], body_kind: 'none' as const, body: '', form: [], content_type: '' };
    const exchange = { subject: 'access' as const, audiences: ['https://forbidden.example.com'], resources: [], scope: null, requested_token_type: null, actor_profile: null };
    void (async () => {
      await backend.invoke('refresh_session', { profile: 'local' });
      await backend.invoke('token_exchange', { profile: 'local', form: exchange }).catch(() => {});
      await backend.invoke('revoke_token', { profile: 'local', kind: 'access' });
      backend.retryAfterRefresh(true);
      await backend.invoke('api_send', { profile: 'local', request, refreshFirst: false });
      click('tab-flow');
      later(100, () => {
        const pick = query.get('pick');
        if (pick) (document.querySelector(`[data-testid^="flow-operation-"][data-kind="${pick}"]`) as HTMLElement | null)?.click();
        if (has('list')) later(50, () => click('flow-list-toggle'));
      });
    })();
  }
  const tab = query.get('tab') ?? (has('conformance') ? 'provider' : null);
  if (tab) click(`tab-${tab}`);
  if (has('from-api')) {
    click('add-profile');
    later(100, () => click('add-from-api-url'));
    later(200, () => {
      const variant = query.get('from-api');
      const field = find('resource-url') as HTMLInputElement | null;
      if (!field) return;
      field.value = `http://127.0.0.1:9090${variant ? `/${variant}` : ''}/api/me`;
      field.dispatchEvent(new Event('input', { bubbles: true }));
      later(50, () => click('resource-discover'));
    });
  }
  later(300, () => {
    if (has('introspect')) click('introspect-access');
    if (has('reveal')) click('reveal-access');
    if (has('log-row')) (document.querySelector('[data-testid="http-log-row"]') as HTMLElement | null)?.click();
    if (has('exchange')) {
      const details = find('exchange') as HTMLDetailsElement | null;
      const audiences = find('exchange-audiences') as HTMLTextAreaElement | null;
      if (details && audiences) {
        details.open = true;
        audiences.value = 'https://orders.example.com\n\nhttps://billing.example.com';
        audiences.dispatchEvent(new Event('input', { bubbles: true }));
        later(50, () => click('exchange-submit'));
        later(200, () => details.scrollIntoView());
      }
    }
    if (has('new-service')) {
      const name = find('profile-name') as HTMLInputElement | null;
      const auth = find('profile-client-auth') as HTMLSelectElement | null;
      if (name && auth) {
        name.value = 'reporting';
        name.dispatchEvent(new Event('input', { bubbles: true }));
        click('profile-grant-client_credentials');
        auth.value = 'private_key_jwt';
        auth.dispatchEvent(new Event('change', { bubbles: true }));
        later(50, () => click('key-generate'));
        later(200, () => find('client-key')?.scrollIntoView());
      }
    }
    if (has('new-mtls')) {
      const name = find('profile-name') as HTMLInputElement | null;
      const auth = find('profile-client-auth') as HTMLSelectElement | null;
      if (name && auth) {
        name.value = 'orders-mtls';
        name.dispatchEvent(new Event('input', { bubbles: true }));
        auth.value = 'tls_client_auth';
        auth.dispatchEvent(new Event('change', { bubbles: true }));
        later(50, () => click('profile-save'));
        later(200, () => find('client-key')?.scrollIntoView());
      }
    }
    if (has('new-fapi')) {
      const preset = find('preset') as HTMLSelectElement | null;
      if (preset) {
        preset.value = 'fapi2';
        preset.dispatchEvent(new Event('change', { bubbles: true }));
        later(200, () => find('profile-security')?.scrollIntoView());
      }
    }
    if (has('fapi-edit')) later(200, () => find('profile-security')?.scrollIntoView());
    const path = query.get('api');
    const url = find('api-url') as HTMLInputElement | null;
    if (path && url) {
      url.value = `http://127.0.0.1:9090${path}`;
      url.dispatchEvent(new Event('input', { bubbles: true }));
      later(50, () => click('api-send'));
    }
  });
});
