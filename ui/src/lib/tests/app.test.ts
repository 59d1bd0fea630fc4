// The window's state against the stand-in backend: what the user sees after
// events from Rust and after their own actions.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../mock/backend';
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

async function start(options = { profiles }) {
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

describe('when the session may have changed', () => {
  const o = (active: string | null, signed_in: boolean, expires_at: number | null = 100) => ({
    active,
    profiles: [{ name: 'a', issuer: 'https://a', client_id: 'c', signed_in, user: signed_in ? 'u' : null, expires_at, problem: null }],
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
