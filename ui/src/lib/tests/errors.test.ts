import { describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import { bannerRole, redirectUriIn, treatment } from '../errors';
import * as ipc from '../ipc';
import { copyName } from '../editor';

describe('error treatment', () => {
  it('keeps a cancelled sign-in quiet', () => {
    expect(treatment({ code: 'cancelled', message: 'sign-in cancelled' }).tone).toBe('quiet');
  });
  it('gives a refused redirect URI an error with advice', () => {
    const t = treatment({ code: 'redirect_uri_rejected', message: 'x' });
    expect(t.tone).toBe('error');
    expect(t.hint, 'the user is told what to register').toMatch(/Register the exact URI/);
  });
  it('announces errors at once but a cancelled sign-in only politely', () => {
    expect(bannerRole(treatment({ code: 'cancelled', message: '' }))).toBe('status');
    expect(bannerRole(treatment({ code: 'timed_out', message: '' }))).toBe('alert');
  });
  it('offers to edit the profile where the fix is in the profile, not for a bad state', () => {
    expect(treatment({ code: 'client_rejected', message: '' }).fixInProfile).toBe(true);
    expect(treatment({ code: 'redirect_uri_rejected', message: '' }).fixInProfile).toBe(true);
    expect(treatment({ code: 'state_mismatch', message: '' }).fixInProfile, 'trying again is the fix').toBeFalsy();
  });
  it('falls back for errors without a code', () => {
    expect(treatment({ code: null, message: 'x' }).title).toBe('Something went wrong');
  });
  it('finds the exact redirect URI to register in the engine message', () => {
    const message =
      'the provider refused the redirect URI http://127.0.0.1:43123/callback (invalid_redirect_uri); register exactly this URI for client tessera, or change the profile\'s redirect';
    expect(redirectUriIn(message)).toBe('http://127.0.0.1:43123/callback');
    expect(redirectUriIn('no uri here')).toBeNull();
  });
});

describe('the IPC module', () => {
  it('passes arguments under the names Tauri maps to Rust parameters', async () => {
    vi.mocked(invoke).mockResolvedValueOnce({ profiles: [], active: null });
    await ipc.profileDuplicate('work', 'work-copy');
    expect(invoke).toHaveBeenCalledWith('profile_duplicate', { name: 'work', newName: 'work-copy' });
  });
  it('turns every rejection into {code, message}', async () => {
    vi.mocked(invoke).mockRejectedValueOnce({ code: 'keyring_locked', message: 'the keyring is locked' });
    await expect(ipc.session('work')).rejects.toEqual({ code: 'keyring_locked', message: 'the keyring is locked' });
    vi.mocked(invoke).mockRejectedValueOnce('plain string');
    await expect(ipc.session('work'), 'a bare string gets a null code').rejects.toEqual({ code: null, message: 'plain string' });
  });
});

describe('duplicate names', () => {
  it('pick the first free copy name', () => {
    expect(copyName('work', ['work'])).toBe('work-copy');
    expect(copyName('work', ['work', 'work-copy', 'work-copy-2'])).toBe('work-copy-3');
  });
});
