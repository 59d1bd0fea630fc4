import { describe, expect, it } from 'vitest';
import { draftFor, dropDraft } from '../drafts.svelte';

describe('API drafts', () => {
  it('start from the default request and are kept per profile', () => {
    const local = draftFor('local', 'http://127.0.0.1:9090');
    expect(local.request.url).toBe('http://127.0.0.1:9090/api/me');
    expect(local.response).toBeNull();
    local.request.method = 'POST';
    expect(draftFor('local', 'http://127.0.0.1:9090').request.method, 'the same draft comes back').toBe('POST');
    expect(draftFor('work', 'https://sso.example.com').request.url, 'another profile has its own').toBe('');
  });
  it('are forgotten with their profile', () => {
    draftFor('gone', 'http://127.0.0.1:9090').request.url = 'http://127.0.0.1:9090/api/admin';
    dropDraft('gone');
    expect(draftFor('gone', 'http://127.0.0.1:9090').request.url).toBe('http://127.0.0.1:9090/api/me');
  });
});
