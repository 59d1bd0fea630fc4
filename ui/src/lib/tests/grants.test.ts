import { describe, expect, it } from 'vitest';
import { authWarning, CLIENT_AUTHS, editorFields, GRANTS, isMutualTls, KEY_ALGS, DEFAULT_KEY_ALG, needsSecret, presetGrantNote, scopesForGrant } from '../grants';
import type { ClientAuth, Grant } from '../types';

const grants: Grant[] = ['authorization_code', 'device_code', 'client_credentials'];

describe('the editor’s choices', () => {
  it('offer every grant, each with a one-line explanation', () => {
    expect(GRANTS.map((g) => g.value)).toEqual(grants);
    expect(GRANTS.every((g) => g.detail.length > 0 && !g.detail.includes('\n')), 'one line each').toBe(true);
  });
  it('offer every client authentication method, mutual TLS included, each with a one-line explanation', () => {
    const offered = CLIENT_AUTHS.map((a) => a.value);
    expect(offered).toEqual([
      'none',
      'client_secret_basic',
      'client_secret_post',
      'client_secret_jwt',
      'private_key_jwt',
      'tls_client_auth',
      'self_signed_tls_client_auth',
    ]);
    expect(CLIENT_AUTHS.every((a) => a.detail.length > 0 && !a.detail.includes('\n')), 'one line each').toBe(true);
    expect(CLIENT_AUTHS.find((a) => a.value === 'tls_client_auth')?.detail, 'a CA the provider trusts').toMatch(/CA/);
    expect(CLIENT_AUTHS.find((a) => a.value === 'self_signed_tls_client_auth')?.detail, 'registered with the provider').toMatch(/self-signed.*registered/);
  });
  it('know which methods are mutual TLS', () => {
    expect(CLIENT_AUTHS.map((a) => a.value).filter(isMutualTls)).toEqual(['tls_client_auth', 'self_signed_tls_client_auth']);
  });
  it('generate ES256 keys unless told otherwise, and know every key algorithm', () => {
    expect(DEFAULT_KEY_ALG).toBe('ES256');
    expect(KEY_ALGS[0].value, 'the default comes first in the list').toBe('ES256');
    expect(KEY_ALGS.map((a) => a.value).sort()).toEqual(['ES256', 'Ed25519', 'EdDSA', 'PS256', 'RS256']);
  });
});

describe('which fields the editor shows', () => {
  it('shows the redirect only for the browser sign-in', () => {
    for (const grant of grants)
      expect(editorFields(grant, 'none').redirect, `redirect for ${grant}`).toBe(grant === 'authorization_code');
  });
  it('shows the user’s request parameters unless it is a service', () => {
    expect(editorFields('authorization_code', 'none').userParameters).toBe(true);
    expect(editorFields('device_code', 'none').userParameters, 'a device sign-in has a user too').toBe(true);
    expect(editorFields('client_credentials', 'client_secret_basic').userParameters, 'a service has no user').toBe(false);
  });
  it('shows the secret for the secret methods only', () => {
    const withSecret = CLIENT_AUTHS.map((a) => a.value).filter((auth) => editorFields('authorization_code', auth).secret);
    expect(withSecret).toEqual(['client_secret_basic', 'client_secret_post', 'client_secret_jwt']);
  });
  it('shows the assertion audience for the two assertion methods, and a signing key for private_key_jwt', () => {
    const all: ClientAuth[] = CLIENT_AUTHS.map((a) => a.value);
    expect(all.filter((auth) => editorFields('client_credentials', auth).assertionAudience)).toEqual(['client_secret_jwt', 'private_key_jwt']);
    expect(all.filter((auth) => editorFields('client_credentials', auth).key === 'signing'), 'only a key-signed assertion signs').toEqual(['private_key_jwt']);
    expect(editorFields('authorization_code', 'client_secret_jwt').key, 'a secret-signed assertion needs no key').toBeNull();
  });
  it('shows the key section as a certificate for both mutual-TLS methods, with no secret or assertion audience', () => {
    for (const grant of grants)
      for (const auth of ['tls_client_auth', 'self_signed_tls_client_auth'] as const) {
        const shown = editorFields(grant, auth);
        expect(shown.key, `${auth} with ${grant} presents a certificate`).toBe('certificate');
        expect(shown.secret, `${auth} sends no secret`).toBe(false);
        expect(shown.assertionAudience, `${auth} signs no assertion`).toBe(false);
      }
  });
  it('needs a secret for client_secret_jwt only: Basic and post without one are a public client', () => {
    expect(needsSecret('client_secret_jwt')).toBe(true);
    expect(needsSecret('client_secret_basic')).toBe(false);
    expect(needsSecret('private_key_jwt')).toBe(false);
  });
});

describe('scopes when the grant changes', () => {
  it('drop the user’s scopes for a service, whose scopes are sent as given', () => {
    expect(scopesForGrant('openid profile email', 'authorization_code', 'client_credentials'), 'the defaults of a new profile').toBe('');
    expect(scopesForGrant('openid offline_access', 'device_code', 'client_credentials')).toBe('');
  });
  it('drop a new profile’s suggested scopes the user left as they were, whatever they are', () => {
    const preset = 'openid profile email offline_access roles groups';
    expect(scopesForGrant(preset, 'authorization_code', 'client_credentials', preset), 'the preset’s scopes, untouched').toBe('');
    expect(scopesForGrant(`${preset} orders:read`, 'authorization_code', 'client_credentials', preset), 'edited: kept').toBe(`${preset} orders:read`);
    expect(scopesForGrant('', 'client_credentials', 'authorization_code', preset), 'and back again').toBe(preset);
  });
  it('keep scopes the user typed for an API', () => {
    expect(scopesForGrant('openid orders:read', 'authorization_code', 'client_credentials'), 'not only user scopes').toBe('openid orders:read');
  });
  it('bring the usual scopes back when no scopes go back to a user grant', () => {
    expect(scopesForGrant('', 'client_credentials', 'authorization_code')).toBe('openid profile email');
    expect(scopesForGrant('orders:read', 'client_credentials', 'device_code'), 'typed scopes stay').toBe('orders:read');
  });
  it('leave the scopes alone between user grants', () => {
    expect(scopesForGrant('openid profile', 'authorization_code', 'device_code')).toBe('openid profile');
    expect(scopesForGrant('', 'authorization_code', 'device_code'), 'empty stays empty: openid is added anyway').toBe('');
  });
});

describe('warnings about a combination', () => {
  it('warn about a public client asking for client credentials', () => {
    expect(authWarning('client_credentials', 'none')).toMatch(/public client/);
  });
  it('say nothing about a working combination', () => {
    expect(authWarning('client_credentials', 'private_key_jwt')).toBeNull();
    expect(authWarning('client_credentials', 'tls_client_auth'), 'a service proving itself with its certificate').toBeNull();
    expect(authWarning('authorization_code', 'none'), 'a public client signing a user in is normal').toBeNull();
  });
});

describe('a preset and the grant chosen', () => {
  const google = { name: 'Google', grants: ['authorization_code', 'device_code'] as Grant[] };
  it('says nothing when the provider offers the grant', () => {
    expect(presetGrantNote(google, 'device_code'), 'Google offers the device flow').toBeNull();
    expect(presetGrantNote(undefined, 'client_credentials'), 'no preset, nothing known').toBeNull();
  });
  it('names what the provider offers when it lacks the grant', () => {
    const note = presetGrantNote(google, 'client_credentials');
    expect(note, 'client credentials is not a Google grant').toContain('does not offer');
    expect(note, 'and the note lists what it does offer').toContain('Device');
  });
});
