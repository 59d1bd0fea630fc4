import { describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import { ipcError } from '../../mock/tools';
import { bannerRole, treatment } from '../errors';
import { ipc, toIpcError } from '../ipc';
import { copyName } from '../editor';
import type { ErrorCode } from '../types';

const coded = (code: ErrorCode | null, message = '') => ipcError(code, message);

describe('error treatment', () => {
  it('keeps a cancelled sign-in quiet', () => {
    expect(treatment(coded('cancelled', 'sign-in cancelled')).tone).toBe('quiet');
  });
  it('gives a refused redirect URI an error with advice', () => {
    const t = treatment(coded('redirect_uri_rejected', 'x'));
    expect(t.tone).toBe('error');
    expect(t.hint, 'the user is told what to register').toMatch(/Register the exact URI/);
  });
  it('announces errors at once but a cancelled sign-in only politely', () => {
    expect(bannerRole(treatment(coded('cancelled')))).toBe('status');
    expect(bannerRole(treatment(coded('timed_out')))).toBe('alert');
  });
  it('offers to edit the profile where the fix is in the profile, not for a bad state', () => {
    expect(treatment(coded('client_rejected')).fixInProfile).toBe(true);
    expect(treatment(coded('redirect_uri_rejected')).fixInProfile).toBe(true);
    expect(treatment(coded('state_mismatch')).fixInProfile, 'trying again is the fix').toBeFalsy();
  });
  it('shows a taken profile name at the name field, not in a banner', () => {
    expect(treatment(coded('profile_exists')).field).toBe('name');
    expect(treatment(coded('invalid_profile')).field).toBeUndefined();
  });
  it('tells an expired device code apart from a browser that never came back', () => {
    const t = treatment(coded('code_expired', 'the device code expired before it was approved'));
    expect(t.title).toBe('The code expired');
    expect(t.hint, 'the user is told to start again and be quicker').toMatch(/Start again and approve it sooner on the other device/);
    expect(t.title, 'not the timeout of a browser sign-in').not.toBe(treatment(coded('timed_out')).title);
    expect(t.fixInProfile, 'nothing in the profile is wrong').toBeFalsy();
  });
  it('says a sign-in declined at the provider was denied, not that something broke', () => {
    const t = treatment(coded('denied', 'access_denied'));
    expect(t.title).toBe('Access was denied');
    expect(t.hint, 'where it was declined').toMatch(/declined at the provider/);
    expect(t.tone, 'a decision, not a fault').toBe('warning');
    expect(bannerRole(t), 'announced at once like other failed sign-ins').toBe('alert');
    expect(t.fixInProfile, 'nothing in the profile is wrong').toBeFalsy();
  });
  it('falls back for errors without a code', () => {
    expect(treatment(coded(null, 'x')).title).toBe('Something went wrong');
  });
});

describe('the IPC module', () => {
  it('passes arguments under the names Tauri maps to Rust parameters', async () => {
    vi.mocked(invoke).mockResolvedValueOnce({ profiles: [], active: null });
    await ipc.profileDuplicate('work', 'work-copy');
    expect(invoke).toHaveBeenCalledWith('profile_duplicate', { name: 'work', newName: 'work-copy' });
  });
  it('turns every rejection into an IpcError', async () => {
    const refused = {
      code: 'redirect_uri_rejected',
      message: 'the provider refused the redirect URI',
      redirect_uri: 'http://127.0.0.1:43123/callback',
      client_id: 'tessera',
      profile: 'work',
      endpoint: 'authorization endpoint',
    };
    vi.mocked(invoke).mockRejectedValueOnce(refused);
    await expect(ipc.signIn('work'), 'every field Rust sends is kept').rejects.toEqual(refused);
    vi.mocked(invoke).mockRejectedValueOnce({ code: 'keyring_locked', message: 'the keyring is locked' });
    await expect(ipc.session('work'), 'a field Rust leaves out is null').rejects.toEqual(ipcError('keyring_locked', 'the keyring is locked'));
    vi.mocked(invoke).mockRejectedValueOnce('plain string');
    await expect(ipc.session('work'), 'a bare string gets a null code').rejects.toEqual(ipcError(null, 'plain string'));
  });
  it('reads no field from something that is not an error from Rust', () => {
    expect(toIpcError({ code: 'busy', redirect_uri: 'x' })).toEqual(ipcError(null, '[object Object]'));
    expect(toIpcError({ message: 'm', redirect_uri: 42 }), 'a field of the wrong type is null').toEqual(ipcError(null, 'm'));
    expect(toIpcError(null)).toEqual(ipcError(null, 'null'));
  });
});

describe('duplicate names', () => {
  it('pick the first free copy name', () => {
    expect(copyName('work', ['work'])).toBe('work-copy');
    expect(copyName('work', ['work', 'work-copy', 'work-copy-2'])).toBe('work-copy-3');
  });
});
