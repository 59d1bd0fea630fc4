import { describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }));

import { ipcError } from '../../mock/tools';
import { attempt, latest } from '../latest';

/** A call whose answer the test gives when it likes. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('attempt', () => {
  it('gives the value of a call that succeeds', async () => {
    expect(await attempt(Promise.resolve(42))).toEqual({ ok: true, value: 42 });
  });
  it('gives a rejection as an IpcError with every field', async () => {
    const rust = { code: 'network', message: 'could not reach the provider', endpoint: 'token endpoint' };
    expect(await attempt(Promise.reject(rust))).toEqual({
      ok: false,
      error: ipcError('network', 'could not reach the provider', { endpoint: 'token endpoint' }),
    });
  });
  it('gives anything else thrown as an IpcError without a code', async () => {
    expect(await attempt(Promise.reject('plain string'))).toEqual({ ok: false, error: ipcError(null, 'plain string') });
    const thrown = await attempt(Promise.reject(new TypeError('oops')));
    expect(thrown.ok === false && thrown.error).toEqual(ipcError(null, 'oops'));
  });
});

describe('latest', () => {
  it('drops the answer of a call that a newer one overtook, whichever ends first', async () => {
    const calls = latest();
    const first = deferred<string>();
    const second = deferred<string>();
    const a = calls.run(first.promise);
    const b = calls.run(second.promise);
    first.resolve('old');
    expect(await a, 'the older call ended first, but a newer one had started').toEqual({ stale: true });
    second.resolve('new');
    expect(await b).toEqual({ stale: false, ok: true, value: 'new' });

    const third = deferred<string>();
    const fourth = deferred<string>();
    const c = calls.run(third.promise);
    const d = calls.run(fourth.promise);
    fourth.resolve('newest');
    expect(await d, 'the newest is kept').toEqual({ stale: false, ok: true, value: 'newest' });
    third.resolve('late');
    expect(await c, 'a late answer to an older call is dropped').toEqual({ stale: true });
  });
  it('keeps the answer of the only call in flight, and of each call made after the last ended', async () => {
    const calls = latest();
    expect(await calls.run(Promise.resolve(1))).toEqual({ stale: false, ok: true, value: 1 });
    expect(await calls.run(Promise.resolve(2))).toEqual({ stale: false, ok: true, value: 2 });
  });
  it('gives the newest call’s error typed, and drops an older call’s error without rejecting', async () => {
    const calls = latest();
    const first = deferred<string>();
    const second = deferred<string>();
    const a = calls.run(first.promise);
    const b = calls.run(second.promise);
    first.reject({ code: 'network', message: 'old failure' });
    second.reject({ code: 'not_signed_in', message: 'work is not signed in', profile: 'work' });
    expect(await a).toEqual({ stale: true });
    const answer = await b;
    expect(answer).toEqual({ stale: false, ok: false, error: ipcError('not_signed_in', 'work is not signed in', { profile: 'work' }) });
    if (!answer.stale && !answer.ok) expect(answer.error.profile, 'the fields are read, not parsed out of the message').toBe('work');
  });
  it('drops the answers in flight on drop()', async () => {
    const calls = latest();
    const first = deferred<string>();
    const a = calls.run(first.promise);
    calls.drop();
    first.resolve('unwanted');
    expect(await a).toEqual({ stale: true });
    expect(await calls.run(Promise.resolve('next')), 'calls made after drop() count again').toEqual({ stale: false, ok: true, value: 'next' });
  });
  it('keeps each instance separate', async () => {
    const loads = latest();
    const diffs = latest();
    const load = deferred<string>();
    const a = loads.run(load.promise);
    await diffs.run(Promise.resolve('diff'));
    load.resolve('load');
    expect(await a, 'another instance’s call does not make it stale').toEqual({ stale: false, ok: true, value: 'load' });
  });
});
