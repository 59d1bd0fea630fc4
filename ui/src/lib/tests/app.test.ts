// The window's state against the stand-in backend: what the user sees after
// events from Rust and after their own actions.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend, type BackendOptions } from '../../mock/backend';
import { ipcError } from '../../mock/tools';

const h = vi.hoisted(() => ({ backend: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({ invoke: (c: string, a: unknown) => h.backend.invoke(c, a) }));
vi.mock('@tauri-apps/api/event', () => ({
  listen: (e: string, f: (x: { event: string; id: number; payload: unknown }) => void) => h.backend.listen(e, f),
}));

type Store = typeof import('../app.svelte');
let store: Store;
let stop: () => void;

const profiles = [
  { name: 'local', issuer: 'http://127.0.0.1:9090', signed_in: true },
  { name: 'work', issuer: 'https://sso.example.com/realms/dev', client_id: 'desk' },
];

async function start(options: BackendOptions = { profiles }) {
  h.backend = createBackend(options);
  vi.resetModules();
  store = await import('../app.svelte');
  stop = await store.init();
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const toasts = () => store.app.toasts.map((t) => `${t.tone}: ${t.text}`);

beforeEach(async () => {
  await start();
});
afterEach(() => stop());

describe('starting the window', () => {
  it('loads the presets, the profiles and the active profile’s session', () => {
    expect(store.app.presets.length, 'presets arrive from Rust').toBeGreaterThan(0);
    expect(store.app.overview?.active).toBe('local');
    expect(store.app.session?.display_name).toBe('Dana Q. Demo');
    expect(store.app.picture, 'the picture comes as a data: URL').toMatch(/^data:image\//);
  });
  it('shows why it could not start instead of loading forever', async () => {
    stop();
    h.backend = createBackend({ profiles });
    h.backend.fail('overview', ipcError('keyring_unavailable', 'no keyring'));
    vi.resetModules();
    store = await import('../app.svelte');
    stop = await store.init();
    expect(store.app.loadError).toEqual(ipcError('keyring_unavailable', 'no keyring'));
  });
});

describe('live updates from Rust', () => {
  it('drop the session when the tray signs the active profile out', async () => {
    h.backend.dropSession('local');
    await settle();
    expect(store.app.overview?.profiles.find((p) => p.name === 'local')?.signed_in).toBe(false);
    expect(store.app.session, 'the session is fetched again and is gone').toBeNull();
  });
  it('do not fetch the session again for a change to another profile', async () => {
    const before = h.backend.calls.filter((c) => c.command === 'session').length;
    const o = store.app.overview!;
    const other = { ...o.profiles[1], signed_in: true, user: 'someone@example.com', expires_at: 1 };
    h.backend.emit('overview', { ...o, profiles: [o.profiles[0], other] });
    await settle();
    expect(store.app.overview?.profiles[1].user, 'the sidebar follows').toBe('someone@example.com');
    expect(h.backend.calls.filter((c) => c.command === 'session').length).toBe(before);
  });
  it('follow a sign-in the tray started, from waiting to signed in', async () => {
    await store.select('work');
    expect(store.app.session).toBeNull();
    const done = h.backend.invoke('sign_in', { profile: 'work' });
    expect(store.app.signIn?.phase.type, 'the waiting phase arrives as an event').toBe('waiting');
    expect(store.app.redirectUris.work).toBe('http://127.0.0.1:43123/callback');
    await done;
    await settle();
    expect(store.app.session?.profile).toBe('work');
  });
  it('turn a background refresh failure into an error toast naming the profile', () => {
    h.backend.emit('refresh-failed', { profile: 'local', error: ipcError('network', 'connection refused', { profile: 'local', endpoint: 'token endpoint' }) });
    expect(toasts()).toContain('error: Could not refresh local: connection refused');
  });
});

describe('the user’s actions', () => {
  it('signing in that the provider refuses leaves the coded error for the banner', async () => {
    await store.select('work');
    const refused = ipcError('client_rejected', 'unknown client desk', { client_id: 'desk', profile: 'work', endpoint: 'authorization endpoint' });
    h.backend.scriptSignIn({ type: 'fail', error: refused });
    await store.signIn();
    expect(store.app.starting).toBeNull();
    expect(store.app.signIn?.phase, 'with every field Rust sent').toEqual({ type: 'failed', error: refused });
  });
  it('cancelling a sign-in ends it with the cancelled code', async () => {
    await store.select('work');
    h.backend.scriptSignIn({ type: 'hang' });
    const signing = store.signIn();
    await settle();
    await store.cancelSignIn();
    await signing;
    expect(store.app.signIn?.phase.type === 'failed' && store.app.signIn.phase.error.code).toBe('cancelled');
  });
  it('copying the access token asks Rust to do it and confirms with a toast', async () => {
    await store.copyToken();
    expect(h.backend.calls).toContainEqual({ command: 'copy_access_token', args: { profile: 'local' } });
    expect(toasts()).toContain('info: Access token copied');
  });
  it('signing out with revocation clears the session and says what happened', async () => {
    await store.signOut('revoke');
    expect(h.backend.calls).toContainEqual({ command: 'sign_out', args: { profile: 'local', mode: 'revoke' } });
    expect(store.app.session).toBeNull();
    expect(toasts()).toContain('info: Tokens revoked and forgotten');
  });
  it('a failed refresh keeps the session and shows the reason', async () => {
    const session = store.app.session;
    h.backend.fail('refresh_session', ipcError('network', 'the provider could not be reached'));
    await store.refresh();
    expect(store.app.session).toEqual(session);
    expect(toasts()).toContain('error: the provider could not be reached');
  });
});

describe('the profile editor', () => {
  it('hands a taken name back as a profile_exists error for the name field', async () => {
    const editor = await import('../editor');
    editor.openAdd();
    const form = { ...store.app.editor!.form, name: 'work', issuer: 'https://sso.example.com/realms/dev', client_id: 'desk' };
    const error = await editor.saveEditor(form);
    expect(error?.code).toBe('profile_exists');
    expect(error?.profile).toBe('work');
    expect(store.app.editor, 'the editor stays open').not.toBeNull();
  });
  it('closes once saved', async () => {
    const editor = await import('../editor');
    editor.openAdd();
    expect(await editor.saveEditor({ ...store.app.editor!.form, name: 'new', issuer: 'https://id.example.com', client_id: 'c' })).toBeNull();
    expect(store.app.editor).toBeNull();
    expect(store.app.overview?.active).toBe('new');
  });
});

describe('how a profile signs in', () => {
  beforeEach(async () => {
    stop();
    await start({
      profiles: [
        ...profiles,
        { name: 'tv', issuer: 'http://127.0.0.1:9090', grant: 'device_code', client_auth: 'none' },
        { name: 'svc', issuer: 'http://127.0.0.1:9090', client_id: 'job', grant: 'client_credentials' },
      ],
    });
  });
  it('is in the overview, for every profile of the sidebar', () => {
    expect(store.app.overview?.profiles.map((p) => [p.name, p.grant])).toEqual([
      ['local', 'authorization_code'],
      ['work', 'authorization_code'],
      ['tv', 'device_code'],
      ['svc', 'client_credentials'],
    ]);
  });
  it('needs the profile read only for a browser sign-in’s redirect URI', async () => {
    const reads = () => h.backend.calls.filter((c) => c.command === 'profile_get').length;
    const before = reads();
    const summary = (name: string) => store.app.overview!.profiles.find((p) => p.name === name)!;
    expect(await store.configuredRedirect(summary('tv')), 'a device sign-in has no redirect').toBeNull();
    expect(await store.configuredRedirect(summary('svc')), 'nor has a service').toBeNull();
    expect(reads(), 'the grant comes from the overview, not from the profile').toBe(before);
    expect(await store.configuredRedirect(summary('work'))).toBe('http://127.0.0.1/callback  (any free port)');
    expect(reads()).toBe(before + 1);
  });
  it('follows an edit that changes the grant', async () => {
    const { ipc } = await import('../ipc');
    const form = await ipc.profileGet('work');
    await ipc.profileSave({ ...form, grant: 'device_code' }, 'work');
    await settle();
    expect(store.app.overview?.profiles.find((p) => p.name === 'work')?.grant).toBe('device_code');
  });
});

describe('when the session may have changed', () => {
  const o = (active: string | null, signed_in: boolean, expires_at: number | null = 100) => ({
    active,
    profiles: [{ name: 'a', issuer: 'https://a', client_id: 'c', grant: 'authorization_code' as const, signed_in, user: signed_in ? 'u' : null, expires_at, problem: null, conformance_errors: null, registered_client: false }],
  });
  it('is on another active profile, a sign-in or sign-out, or new tokens', () => {
    expect(store.sessionMayHaveChanged(o('a', true), o(null, true))).toBe(true);
    expect(store.sessionMayHaveChanged(o('a', true), o('a', false, null))).toBe(true);
    expect(store.sessionMayHaveChanged(o('a', true, 100), o('a', true, 400)), 'a refresh moves the expiry').toBe(true);
  });
  it('is not on an overview that is the same for the active profile', () => {
    expect(store.sessionMayHaveChanged(o('a', true), o('a', true))).toBe(false);
  });
});

describe('which profile is signing in', () => {
  it('is the one asked for while it waits, and nobody once it ends', async () => {
    await store.select('work');
    h.backend.scriptSignIn({ type: 'hang' });
    expect(store.signingIn()).toBeNull();
    const signing = store.signIn();
    expect(store.signingIn(), 'as soon as it is asked for').toBe('work');
    await settle();
    expect(store.app.signIn?.phase.type).toBe('waiting');
    expect(store.signingIn()).toBe('work');
    await store.cancelSignIn();
    await signing;
    expect(store.signingIn()).toBeNull();
  });
});

describe('a device sign-in', () => {
  it('is under way while the code waits to be entered, with the code and its QR rows', async () => {
    stop();
    await start({ profiles: [...profiles, { name: 'tv', issuer: 'http://127.0.0.1:9090', grant: 'device_code', client_auth: 'none' }] });
    await store.select('tv');
    h.backend.scriptSignIn({ type: 'hang' });
    const signing = store.signIn();
    await settle();
    const phase = store.app.signIn?.phase;
    expect(phase?.type, 'the device phase arrives as an event').toBe('device');
    expect(phase?.type === 'device' && phase.user_code, 'the code to type').toBe('WDJB-MJHT');
    expect(phase?.type === 'device' && phase.qr.length, 'rows of the QR code').toBeGreaterThan(20);
    expect(store.signingIn(), 'the sidebar and header show it as signing in').toBe('tv');
    expect(store.underWay(phase), 'the window shows the waiting panel').toBe(true);
    await store.cancelSignIn();
    await signing;
    expect(store.signingIn()).toBeNull();
  });
});

describe('a service profile', () => {
  beforeEach(async () => {
    stop();
    await start({ profiles: [...profiles, { name: 'svc', issuer: 'http://127.0.0.1:9090', client_id: 'job', grant: 'client_credentials', scopes: ['orders:read'] }] });
    await store.select('svc');
  });
  it('gets a session without a user, named after its client', async () => {
    await store.signIn();
    expect(store.app.session?.has_user, 'no user: no claims card').toBe(false);
    expect(store.app.session?.display_name).toBe('job');
    expect(store.app.session?.scopes, 'exactly the scopes given, no openid').toEqual(['orders:read']);
    expect(store.app.picture, 'no user, no picture').toBeNull();
  });
  it('gets a new token on refresh, with its own credentials', async () => {
    await store.signIn();
    await store.refresh();
    expect(store.app.session?.has_user).toBe(false);
    expect(toasts()).toContain('info: New service token received');
  });
  it('is inspected with its access token alone', async () => {
    await store.signIn();
    const view = (await h.backend.invoke('inspect_session', { profile: 'svc' })) as { tokens: { kind: string }[] };
    expect(view.tokens.map((t) => t.kind), 'no ID token, no refresh token').toEqual(['access']);
  });
});

describe('a token exchange', () => {
  it('returns the issued token decoded and checked, and keeps its value in Rust', async () => {
    const { ipc } = await import('../ipc');
    const { exchangeForm, emptyDraft } = await import('../exchange');
    const view = await ipc.tokenExchange('local', exchangeForm({ ...emptyDraft(), audiences: 'https://orders.example.com\n\n' }));
    expect(h.backend.calls.at(-1)?.args, 'blank lines are not sent').toEqual({
      profile: 'local',
      form: { subject: 'access', audiences: ['https://orders.example.com'], resources: [], scope: null, requested_token_type: null, actor_profile: null },
    });
    expect(view.jwt?.signature?.verified, 'checked against the provider’s keys').toBe(true);
    expect((view.jwt?.payload as { aud?: string }).aud).toBe('https://orders.example.com');
    const [token] = h.backend.exchangedTokens();
    expect(JSON.stringify(view), 'the token itself never reaches the page').not.toContain(token);
    await ipc.exchangedTokenCopy(view.id);
    expect(h.backend.calls.at(-1)).toEqual({ command: 'exchanged_token_copy', args: { id: view.id } });
  });
  it('rejects with the provider’s refusal', async () => {
    const { ipc } = await import('../ipc');
    const { exchangeForm, emptyDraft } = await import('../exchange');
    await expect(ipc.tokenExchange('local', exchangeForm({ ...emptyDraft(), audiences: 'https://forbidden.example.com' }))).rejects.toMatchObject({
      message: expect.stringContaining('invalid_target'),
    });
  });
});

describe('client keys', () => {
  it('are made before the profile exists, and recorded once it does', async () => {
    const { ipc } = await import('../ipc');
    expect(await ipc.clientKeyGet('fresh'), 'no key yet').toBeNull();
    const key = await ipc.clientKeyGenerate('fresh', 'ES256');
    expect(key.alg).toBe('ES256');
    expect(JSON.parse(key.public_jwks).keys[0].kid, 'the JWK Set carries the kid').toBe(key.kid);
    expect(await ipc.clientKeyGet('fresh'), 'kept under the name').toEqual(key);
    const jwks = key.public_jwks;
    expect(jwks, 'only the public key is shown').not.toMatch(/"d"/);
  });
  it('refuse an import whose file cannot be read, naming the path', async () => {
    const { ipc } = await import('../ipc');
    await expect(ipc.clientKeyImport('local', '/nowhere/key.txt', null, null)).rejects.toMatchObject({ message: expect.stringContaining('/nowhere/key.txt') });
    expect(h.backend.calls.at(-1), 'paths go to Rust under the names it takes').toEqual({
      command: 'client_key_import',
      args: { name: 'local', keyFile: '/nowhere/key.txt', certFile: null, alg: null },
    });
  });
});

describe('a mutual-TLS profile', () => {
  const mtls = { name: 'orders', issuer: 'http://127.0.0.1:9090', client_id: 'orders-mtls', grant: 'client_credentials', client_auth: 'self_signed_tls_client_auth' } as const;
  it('imports its certificate with its key and shows the certificate’s thumbprint', async () => {
    const { ipc } = await import('../ipc');
    const key = await ipc.clientKeyImport('fresh', '/keys/client.key.pem', '/keys/client.crt.pem', null);
    expect(key.x5t_s256, 'the x5t#S256 of the certificate').toBeTruthy();
    expect(h.backend.calls.at(-1)?.args, 'both paths go to Rust').toEqual({ name: 'fresh', keyFile: '/keys/client.key.pem', certFile: '/keys/client.crt.pem', alg: null });
    expect(JSON.parse(key.public_jwks).keys[0]['x5t#S256'], 'the JWK Set carries the certificate').toBe(key.x5t_s256);
  });
  it('gets tokens bound to its certificate, which the inspector compares with it', async () => {
    stop();
    await start({ profiles: [...profiles, mtls] });
    await store.select('orders');
    await store.signIn();
    expect(store.app.session?.has_user).toBe(false);
    const view = (await h.backend.invoke('inspect_session', { profile: 'orders' })) as import('../types').InspectionView;
    const access = view.tokens.find((t) => t.kind === 'access');
    const checks = access?.format.type === 'jwt' ? access.format.jwt.checks : [];
    const binding = checks.find((c) => c.id === 'cnf_x5t');
    expect(binding?.name).toBe('Certificate binding');
    expect(binding?.passed, binding?.detail).toBe(true);
  });
  it('cannot sign in with a key that came without its certificate', async () => {
    stop();
    await start({ profiles: [...profiles, mtls] });
    const { ipc } = await import('../ipc');
    await ipc.clientKeyImport('orders', '/keys/client.key.pem', null, null);
    await store.select('orders');
    await store.signIn();
    const phase = store.app.signIn?.phase;
    expect(phase?.type === 'failed' && phase.error.code, 'the profile needs fixing').toBe('invalid_profile');
    expect(phase?.type === 'failed' && phase.error.message).toMatch(/has no certificate/);
  });
});

describe('a DPoP profile (FAPI 2.0)', () => {
  const fapi = {
    name: 'bank',
    issuer: 'http://127.0.0.1:9090',
    client_id: 'tessera-private-key-jwt',
    client_auth: 'private_key_jwt',
    security: { par: true, dpop: true },
  } as const;
  const request: import('../types').ApiRequestForm = {
    method: 'GET',
    url: 'http://127.0.0.1:9090/api/me',
    query: [],
    headers: [],
    body_kind: 'none',
    body: '',
    form: [],
    content_type: '',
  };

  it('is offered by the FAPI 2.0 preset, which turns on private_key_jwt, PAR and DPoP', () => {
    const preset = store.app.presets.find((p) => p.id === 'fapi2');
    expect(preset?.name).toBe('FAPI 2.0 provider (open banking, health)');
    expect([preset?.client_auth, preset?.par, preset?.dpop], 'the FAPI preset’s security settings').toEqual(['private_key_jwt', true, true]);
    const other = store.app.presets.find((p) => p.id === 'keycloak');
    expect([other?.client_auth, other?.par, other?.dpop], 'another preset turns nothing on').toEqual([null, false, false]);
  });
  it('gets a DPoP-bound token, which the inspector checks against the profile’s key', async () => {
    stop();
    await start({ profiles: [...profiles, fapi] });
    await store.select('bank');
    await store.signIn();
    expect(store.app.session?.token_type, 'the session’s token type').toBe('DPoP');
    const view = (await h.backend.invoke('inspect_session', { profile: 'bank' })) as import('../types').InspectionView;
    expect(view.token_type).toBe('DPoP');
    const access = view.tokens.find((t) => t.kind === 'access');
    const checks = access?.format.type === 'jwt' ? access.format.jwt.checks : [];
    const binding = checks.find((c) => c.id === 'dpop_binding');
    expect(binding?.name, 'the access token report has a DPoP binding row').toBe('DPoP binding');
    expect(binding?.passed, binding?.detail).toBe(true);
    const pushed = store.app.httpLog.length ? store.app.httpLog : ((await h.backend.invoke('http_log')) as { endpoint: string }[]);
    expect(pushed.map((e) => e.endpoint), 'the authorization request was pushed first').toContain('pushed authorization request endpoint');
  });
  it('copies as curl with the DPoP scheme and a proof from tessera dpop-proof', async () => {
    stop();
    await start({ profiles: [...profiles, fapi] });
    const { ipc } = await import('../ipc');
    const command = await ipc.curlPreview('bank', request);
    expect(command, 'the token goes with the DPoP scheme').toContain('-H "Authorization: DPoP $(tessera token --profile bank)"');
    expect(command, 'and a proof for this method and URL').toContain('-H "DPoP: $(tessera dpop-proof --profile bank GET http://127.0.0.1:9090/api/me)"');
    const bearer = await ipc.curlPreview('local', request);
    expect(bearer, 'a profile without DPoP keeps Bearer').toContain('-H "Authorization: Bearer $(tessera token --profile local)"');
    expect(bearer, 'and sends no proof').not.toContain('dpop-proof');
  });
  it('cannot be saved with a request object unless the client signs with its key', async () => {
    const { emptyForm } = await import('../form');
    const { ipc } = await import('../ipc');
    const form = { ...emptyForm(), name: 'jar', issuer: 'https://as.bank.example', client_id: 'c', request_object: true };
    await expect(ipc.profileSave(form, null), 'the client secret signs no request object').rejects.toMatchObject({ code: 'invalid_profile' });
    await expect(ipc.profileSave({ ...form, client_auth: 'private_key_jwt' }, null)).resolves.toBeTruthy();
  });
});

describe('the HTTP log', () => {
  it('merges what Rust kept with the entries that arrive as events', async () => {
    const before = (await h.backend.invoke('http_log')) as { id: number }[];
    expect(before.length, 'the sign-in at start was logged').toBeGreaterThan(0);
    expect(store.app.httpLog, 'nothing until the tab opens or an event arrives').toEqual([]);
    await h.backend.invoke('introspect_token', { profile: 'local', kind: 'access' });
    expect(store.app.httpLog.map((e) => e.endpoint), 'the event arrived').toEqual(['introspection endpoint']);
    await store.loadHttpLog();
    expect(store.app.httpLog.map((e) => e.id)).toEqual([...before.map((e) => e.id), store.app.httpLog.at(-1)!.id]);
  });
  it('is cleared in Rust and in the window', async () => {
    await store.loadHttpLog();
    await store.clearHttpLog();
    expect(store.app.httpLog).toEqual([]);
    expect(await h.backend.invoke('http_log')).toEqual([]);
  });
});

describe('revoking a token', () => {
  it('of the access kind keeps the session and says the next use refreshes', async () => {
    expect(await store.revoke('access')).toBe(true);
    expect(h.backend.calls).toContainEqual({ command: 'revoke_token', args: { profile: 'local', kind: 'access' } });
    expect(store.app.session?.profile).toBe('local');
    expect(toasts()).toContain('info: Access token revoked; the next use refreshes it');
  });
  it('of the refresh kind signs the profile out', async () => {
    expect(await store.revoke('refresh')).toBe(true);
    expect(store.app.session).toBeNull();
    expect(store.app.overview?.profiles.find((p) => p.name === 'local')?.signed_in).toBe(false);
    expect(toasts()).toContain('info: Refresh token revoked; local is signed out');
  });
  it('that fails leaves everything and shows why', async () => {
    h.backend.fail('revoke_token', ipcError('network', 'the provider could not be reached'));
    expect(await store.revoke('refresh')).toBe(false);
    expect(store.app.session?.profile).toBe('local');
    expect(toasts()).toContain('error: the provider could not be reached');
  });
});

describe('operations and their flow', () => {
  type Summary = import('../types').HttpLogSummary;
  const request: import('../types').ApiRequestForm = {
    method: 'GET',
    url: 'http://127.0.0.1:9090/api/me?page=2',
    query: [],
    headers: [],
    body_kind: 'none',
    body: '',
    form: [],
    content_type: '',
  };
  /** The flow of an operation as the window draws it, with the details it reads. */
  async function flowOfOp(op: import('../types').OperationView) {
    const { detailsWanted, flowOf } = await import('../flow');
    const log = (await h.backend.invoke('http_log')) as Summary[];
    const details = await Promise.all(detailsWanted(op, log).map(async (id) => [id, (await h.backend.invoke('http_log_entry', { id })) as import('../types').HttpLogDetail] as const));
    return flowOf(op, log, new Map(details));
  }

  it('are loaded at start: the sign-in before this run, its browser steps between its exchanges', async () => {
    const [op, ...more] = store.app.operations.filter((o) => o.profile === 'local');
    expect(more, 'one operation so far').toEqual([]);
    expect([op.kind, op.outcome]).toEqual(['sign_in', 'ok']);
    const flow = await flowOfOp(op);
    expect(flow.lanes).toEqual(['browser', 'tessera', 'provider']);
    expect(flow.steps.map((s) => s.label)).toEqual([
      'discovery',
      'browser opened at /authorize?response_type&client_id&redirect_uri&scope&state&nonce&code_challenge&code_challenge_method',
      'redirect received at /callback?code&state&iss',
      'token (code)',
      'JWKS',
      'userinfo',
    ]);
  });
  it('arrive as events as they start and end', async () => {
    await store.refresh();
    const op = store.app.operations.at(-1)!;
    expect([op.kind, op.profile, op.outcome]).toEqual(['refresh', 'local', 'ok']);
    expect((await flowOfOp(op)).steps.map((s) => s.label)).toEqual(['token (refresh)', 'userinfo']);
  });
  it('make an API call refreshed and retried after a 401 one operation: API 401, token refresh, API 200', async () => {
    h.backend.retryAfterRefresh(true);
    await store.revoke('access');
    const { ipc } = await import('../ipc');
    const response = await ipc.apiSend('local', request, false);
    expect([response.status, response.refreshed]).toEqual([200, true]);
    const op = store.app.operations.at(-1)!;
    expect([op.kind, op.outcome]).toEqual(['api_call', 'ok']);
    const flow = await flowOfOp(op);
    expect(flow.lanes).toEqual(['tessera', 'provider', 'api']);
    expect(flow.steps.map((s) => [s.label, s.status, s.state])).toEqual([
      ['API call GET /api/me', '401', 'failed'],
      ['token (refresh)', '200', 'ok'],
      ['userinfo', '200', 'ok'],
      ['API call GET /api/me', '200', 'ok'],
    ]);
    expect(flow.steps[0].note, 'the challenge says why').toBe('invalid_token: the access token expired');
  });
  it('keep a sign-in the token endpoint refused, failed, with its refusal as the last arrow', async () => {
    await store.select('work');
    const refused = ipcError(null, 'the provider refused the authorization code (invalid_grant); sign in again', { profile: 'work', endpoint: 'token endpoint' });
    h.backend.scriptSignIn({ type: 'fail', error: refused, token: { error: 'invalid_grant', description: 'the code has expired' } });
    await store.signIn();
    await settle();
    const op = store.app.operations.at(-1)!;
    expect([op.kind, op.profile, op.outcome, op.error]).toEqual(['sign_in', 'work', 'failed', refused.message]);
    const flow = await flowOfOp(op);
    expect(flow.steps.map((s) => `${s.label} ${s.state}`)).toEqual([
      'discovery ok',
      'browser opened at /realms/dev/authorize?response_type&client_id&redirect_uri&scope&state&nonce&code_challenge&code_challenge_method ok',
      'redirect received at /callback?code&state&iss ok',
      'token (code) failed',
    ]);
    expect(flow.steps[3].note).toBe('invalid_grant: the code has expired');
    expect(flow.error).toBe(refused.message);
  });
  it('put each exchange in the log tagged with its operation, and nothing else', async () => {
    const log = (await h.backend.invoke('http_log')) as Summary[];
    const ids = new Set(store.app.operations.map((o) => o.id));
    expect(log.every((e) => e.operation !== null && ids.has(e.operation)), 'every exchange belongs to a known operation').toBe(true);
  });
  it('open an exchange of the diagram in the HTTP log tab', () => {
    store.openInLog(3);
    expect(store.app.tab).toBe('http-log');
    expect(store.app.logFocus).toBe(3);
  });
});
