import { describe, expect, it } from 'vitest';
import { actorChoices, defaultSubject, emptyDraft, exchangeForm, lines, tokenTypeLabel } from '../exchange';
import type { ProfileSummary } from '../types';

describe('the exchange form as sent', () => {
  it('drops blank lines and trims audiences and resources', () => {
    const form = exchangeForm({
      ...emptyDraft(),
      audiences: ' https://orders.example.com \n\n   \r\nhttps://billing.example.com\n',
      resources: '\nhttps://api.example.com/orders\n',
    });
    expect(form.audiences, 'blank lines are no audience').toEqual(['https://orders.example.com', 'https://billing.example.com']);
    expect(form.resources).toEqual(['https://api.example.com/orders']);
  });
  it('sends blank text as null, not as an empty parameter', () => {
    const form = exchangeForm({ ...emptyDraft('id'), scope: '   ', requestedTokenType: ' ', actorProfile: '' });
    expect(form).toEqual({ subject: 'id', audiences: [], resources: [], scope: null, requested_token_type: null, actor_profile: null });
  });
  it('collapses the scope’s whitespace and keeps the chosen token type and actor', () => {
    const form = exchangeForm({
      ...emptyDraft('refresh'),
      scope: ' orders:read   orders:write ',
      requestedTokenType: ' urn:ietf:params:oauth:token-type:jwt ',
      actorProfile: 'ci-service',
    });
    expect(form.scope).toBe('orders:read orders:write');
    expect(form.requested_token_type, 'trimmed').toBe('urn:ietf:params:oauth:token-type:jwt');
    expect(form.actor_profile).toBe('ci-service');
    expect(form.subject).toBe('refresh');
  });
  it('splits lines on either line ending', () => {
    expect(lines('a\r\nb\nc')).toEqual(['a', 'b', 'c']);
    expect(lines('  \n '), 'nothing but blanks').toEqual([]);
  });
});

describe('the exchange choices', () => {
  const summary = (name: string, signed_in: boolean): ProfileSummary => ({
    name,
    issuer: 'https://id',
    client_id: 'c',
    grant: 'authorization_code',
    signed_in,
    user: null,
    expires_at: null,
    problem: null,
    conformance_errors: null,
    registered_client: false,
  });

  it('offer every other profile as the actor, signed-in ones first', () => {
    const profiles = [summary('b-out', false), summary('self', true), summary('z-in', true), summary('a-in', true)];
    expect(actorChoices(profiles, 'self')).toEqual([
      { name: 'a-in', signedIn: true },
      { name: 'z-in', signedIn: true },
      { name: 'b-out', signedIn: false },
    ]);
  });
  it('start from the access token when the session has one', () => {
    expect(defaultSubject(['id', 'access', 'refresh'])).toBe('access');
    expect(defaultSubject(['id']), 'an ID token alone').toBe('id');
  });
  it('name the RFC 8693 token types and leave other URNs as they are', () => {
    expect(tokenTypeLabel('urn:ietf:params:oauth:token-type:access_token')).toBe('access token');
    expect(tokenTypeLabel('urn:example:custom')).toBe('urn:example:custom');
    expect(tokenTypeLabel(null), 'no type stated').toBeNull();
  });
});
