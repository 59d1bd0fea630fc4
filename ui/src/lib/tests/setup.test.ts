// Adding a profile from an API URL and removing it again, against the
// stand-in backend: what the window shows after each step.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackend, type Backend } from '../../mock/backend';

const h = vi.hoisted(() => ({ backend: null as unknown as Backend }));
vi.mock('@tauri-apps/api/core', () => ({ invoke: (c: string, a: unknown) => h.backend.invoke(c, a) }));
vi.mock('@tauri-apps/api/event', () => ({
  listen: (e: string, f: (x: { event: string; id: number; payload: unknown }) => void) => h.backend.listen(e, f),
}));

let store: typeof import('../app.svelte');
let setup: typeof import('../setup');
let editor: typeof import('../editor');
let ipc: typeof import('../ipc').ipc;
let stop: () => void;

beforeEach(async () => {
  h.backend = createBackend({ profiles: [{ name: 'work', issuer: 'https://sso.example.com/realms/dev', client_id: 'desk' }] });
  vi.resetModules();
  store = await import('../app.svelte');
  setup = await import('../setup');
  editor = await import('../editor');
  ipc = (await import('../ipc')).ipc;
  stop = await store.init();
});
afterEach(() => stop());

const toasts = () => store.app.toasts.map((t) => t.text);
const API = 'http://127.0.0.1:9090/api/me';

describe('opening the dialog', () => {
  it('from Add profile starts with an empty URL and waits for the user', () => {
    setup.openFromApiUrl();
    expect(store.app.fromApiUrl).toEqual({ url: '', discover: false });
  });
  it('from the API panel carries the request’s URL and starts discovery', () => {
    setup.openFromApiUrl(API);
    expect(store.app.fromApiUrl).toEqual({ url: API, discover: true });
  });
});

describe('a profile made from an API URL', () => {
  it('becomes the active profile, signed out, and the dialog and editor close with a toast naming it', async () => {
    editor.openAdd();
    setup.openFromApiUrl();
    const made = await ipc.resourceSetUp(API, null, { kind: 'register' });
    await setup.takeSetUp(made);
    expect(store.app.fromApiUrl, 'the dialog closed').toBeNull();
    expect(store.app.editor, 'the editor behind it closed too').toBeNull();
    expect(store.app.overview?.active).toBe('127.0.0.1-9090');
    expect(store.app.overview?.profiles.find((p) => p.name === '127.0.0.1-9090')?.registered_client).toBe(true);
    expect(store.app.session, 'a new profile has no session: the window offers Sign in').toBeNull();
    expect(toasts()).toContain(
      'Profile 127.0.0.1-9090 made for http://127.0.0.1:9090/api (client registered at the provider). Sign in to call the API.',
    );
  });
});

describe('removing a profile', () => {
  it('with its registration asks Rust to delete the registration, and says so', async () => {
    await setup.takeSetUp(await ipc.resourceSetUp(API, 'demo-api', { kind: 'register' }));
    await editor.remove('demo-api', true);
    expect(h.backend.calls).toContainEqual({ command: 'profile_remove', args: { name: 'demo-api', deleteRegistration: true } });
    expect(store.app.overview?.profiles.map((p) => p.name)).toEqual(['work']);
    expect(toasts()).toContain('Removed demo-api and its client registration at the provider');
  });
  it('without asking leaves the registration alone', async () => {
    await editor.remove('work');
    expect(h.backend.calls).toContainEqual({ command: 'profile_remove', args: { name: 'work', deleteRegistration: false } });
    expect(toasts()).toContain('Removed work');
  });
});
