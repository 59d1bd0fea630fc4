import { describe, expect, it } from 'vitest';
import { applyPreset, check, emptyForm, formForSave, parseScopes, redirectDisplay, savingSignsOut } from '../form';
import type { ProfileForm } from '../types';
import { complete, fillIssuer, initialValues } from '../presets';
import type { Preset } from '../types';

const keycloak: Preset = {
  id: 'keycloak',
  name: 'Keycloak',
  issuer_template: '{base_url}/realms/{realm}',
  fields: [
    { key: 'base_url', label: 'Server URL', placeholder: '', default: '', help: '' },
    { key: 'realm', label: 'Realm', placeholder: '', default: '', help: '' },
  ],
  client_id: '',
  scopes: ['openid', 'profile', 'offline_access'],
  redirect: { type: 'loopback', port: 0, path: '/callback' },
  needs_client_secret: false,
  grants: ['authorization_code'],
  client_auth: null,
  par: false,
  dpop: false,
  notes: [],
};

describe('presets', () => {
  it('fill the issuer template without doubling slashes', () => {
    expect(fillIssuer(keycloak, { base_url: 'https://kc.example/', realm: 'dev' })).toBe('https://kc.example/realms/dev');
  });
  it('start from field defaults and know when every field is filled', () => {
    const values = initialValues(keycloak);
    expect(complete(keycloak, values), 'empty defaults are incomplete').toBe(false);
    expect(complete(keycloak, { base_url: 'https://kc', realm: 'r' })).toBe(true);
  });
  it('set issuer, scopes and redirect on the form and suggest a name', () => {
    const form = applyPreset(emptyForm(), keycloak, { base_url: 'https://kc', realm: 'r' });
    expect(form.issuer).toBe('https://kc/realms/r');
    expect(form.scopes).toEqual(['openid', 'profile', 'offline_access']);
    expect(form.name, 'an empty name takes the preset id').toBe('keycloak');
    expect(form.preset).toBe('keycloak');
  });
  it("keep a name the user typed and a client id the preset doesn't give", () => {
    const form = applyPreset({ ...emptyForm(), name: 'work', client_id: 'my-app' }, keycloak, {});
    expect(form.name).toBe('work');
    expect(form.client_id, 'an empty preset client id keeps the typed one').toBe('my-app');
  });
});

describe('form checks', () => {
  const valid = { ...emptyForm(), name: 'work', issuer: 'https://id.example.com', client_id: 'app' };

  it('pass a complete form', () => {
    expect(check(valid)).toEqual({});
  });
  it('name a bad profile name, issuer and missing client id', () => {
    const errors = check({ ...valid, name: 'has space', issuer: 'id.example.com', client_id: ' ' });
    expect(Object.keys(errors).sort()).toEqual(['client_id', 'issuer', 'name']);
  });
  it('refuse an issuer with a query', () => {
    expect(check({ ...valid, issuer: 'https://id.example.com/?x=1' }).issuer).toBeTruthy();
  });
  it('want a reverse-domain custom scheme', () => {
    const bad = check({ ...valid, redirect: { type: 'custom_scheme', uri: 'myapp:/cb' } });
    expect(bad.redirect, 'a scheme without a dot is refused (RFC 8252 §7.1)').toBeTruthy();
    expect(check({ ...valid, redirect: { type: 'custom_scheme', uri: 'dev.tessera.app:/callback' } })).toEqual({});
  });
  it('split scopes on any whitespace', () => {
    expect(parseScopes('  openid\tprofile  email ')).toEqual(['openid', 'profile', 'email']);
  });
  it('show the redirect URI to register, saying when any port is used', () => {
    expect(redirectDisplay({ type: 'loopback', port: 0, path: '/callback' })).toContain('any free port');
    expect(redirectDisplay({ type: 'loopback', port: 8400, path: '/cb' })).toBe('http://127.0.0.1:8400/cb');
  });
});

describe('the form as saved', () => {
  const typed = { scopes: 'openid  profile', secret: '' };

  it('trims text and turns emptied optional fields into null', () => {
    const out = formForSave(
      { ...emptyForm(), name: ' work ', issuer: ' https://id.example.com ', prompt: '  ', audience: ' api ', post_logout_redirect_uri: '' },
      typed,
    );
    expect(out.name).toBe('work');
    expect(out.issuer).toBe('https://id.example.com');
    expect(out.prompt, 'blank prompt').toBeNull();
    expect(out.audience).toBe('api');
    expect(out.post_logout_redirect_uri).toBeNull();
    expect(out.scopes).toEqual(['openid', 'profile']);
  });
  it('sends a client secret only when one was typed, and then does not also clear it', () => {
    const stored = { ...emptyForm(), has_client_secret: true, clear_client_secret: true };
    expect(formForSave(stored, typed).client_secret, 'nothing typed').toBeNull();
    expect(formForSave(stored, typed).clear_client_secret, 'forgetting is kept without a new secret').toBe(true);
    const replaced = formForSave(stored, { ...typed, secret: 's3cret' });
    expect(replaced.client_secret).toBe('s3cret');
    expect(replaced.clear_client_secret, 'a new secret replaces rather than clears').toBe(false);
  });
  it('turns an emptied number field into its default instead of sending null', () => {
    // An emptied <input type=number> binds as null.
    const form = { ...emptyForm(), redirect: { type: 'loopback', port: null, path: '' }, max_age: null } as unknown as ProfileForm;
    const out = formForSave(form, typed);
    expect(out.redirect).toEqual({ type: 'loopback', port: 0, path: '/' });
    expect(out.max_age).toBeNull();
  });
  it('drops blank resources and an empty preset id', () => {
    const out = formForSave({ ...emptyForm(), resource: ['https://api', ' '], preset: '' }, typed);
    expect(out.resource).toEqual(['https://api']);
    expect(out.preset).toBeNull();
  });
});

describe('more form checks', () => {
  const valid = { ...emptyForm(), name: 'work', issuer: 'https://id.example.com', client_id: 'app' };

  it('refuse a port outside 0–65535', () => {
    expect(check({ ...valid, redirect: { type: 'loopback', port: 70000, path: '/cb' } }).redirect).toMatch(/Port/);
    expect(check({ ...valid, redirect: { type: 'loopback', port: 8400, path: 'cb' } }).redirect, 'a path without a slash').toMatch(/path/);
  });
  it('accept an http(s) or reverse-domain post-logout redirect, nothing else', () => {
    expect(check({ ...valid, post_logout_redirect_uri: 'http://127.0.0.1:8400/bye' })).toEqual({});
    expect(check({ ...valid, post_logout_redirect_uri: 'dev.tessera.app:/bye' })).toEqual({});
    expect(check({ ...valid, post_logout_redirect_uri: 'bye' }).post_logout_redirect_uri).toBeTruthy();
  });
  it('refuse scopes with quotes or backslashes', () => {
    expect(check({ ...valid, scopes: ['openid', 'a"b'] }).scopes).toBeTruthy();
  });
  it('refuse a negative or fractional max_age', () => {
    expect(check({ ...valid, max_age: -1 }).max_age).toBeTruthy();
    expect(check({ ...valid, max_age: 1.5 }).max_age).toBeTruthy();
    expect(check({ ...valid, max_age: 0 }).max_age, 'zero forces a fresh login and is valid').toBeUndefined();
  });
});

describe('form checks per grant and client authentication', () => {
  const valid = { ...emptyForm(), name: 'svc', issuer: 'https://id.example.com', client_id: 'app' };

  it('start a new profile as a browser sign-in with the issuer as assertion audience and no key', () => {
    const form = emptyForm();
    expect(form.grant).toBe('authorization_code');
    expect(form.assertion_audience, 'the default RFC 7523bis and FAPI 2.0 ask for').toBe('issuer');
    expect(form.client_key).toBeNull();
  });
  it('want a secret for client_secret_jwt, typed or stored', () => {
    expect(check({ ...valid, client_auth: 'client_secret_jwt' }).client_secret, 'nothing to sign with').toBeTruthy();
    expect(check({ ...valid, client_auth: 'client_secret_jwt', client_secret: 's3cret' })).toEqual({});
    expect(check({ ...valid, client_auth: 'client_secret_jwt', has_client_secret: true }), 'the stored one').toEqual({});
    expect(check({ ...valid, client_auth: 'client_secret_jwt', has_client_secret: true, clear_client_secret: true }).client_secret, 'the stored one is being forgotten').toBeTruthy();
    expect(check({ ...valid, client_auth: 'client_secret_basic' }).client_secret, 'Basic without a secret is a public client').toBeUndefined();
  });
  it('want a certificate imported with its key for mutual TLS, whatever the grant', () => {
    const key = { alg: 'ES256', kid: 'k1', x5t_s256: null, public_jwks: '' } as const;
    for (const grant of ['authorization_code', 'device_code', 'client_credentials'] as const)
      for (const client_auth of ['tls_client_auth', 'self_signed_tls_client_auth'] as const) {
        const tls = { ...valid, grant, client_auth };
        expect(check(tls).client_key, `${client_auth} with ${grant} and no key`).toMatch(/import the certificate and its private key/);
        expect(check({ ...tls, client_key: key }).client_key, 'a key without its certificate cannot be presented').toMatch(/import the certificate/);
        expect(check({ ...tls, client_key: { ...key, x5t_s256: 'thumb' } }), 'the certificate is there').toEqual({});
      }
  });
  it('want no certificate from the other methods', () => {
    expect(check({ ...valid, client_auth: 'private_key_jwt' }).client_key, 'a certificate is for mutual TLS only').toBeUndefined();
    expect(check({ ...valid, client_auth: 'none' }).client_key).toBeUndefined();
  });
  it('ignore the hidden redirect of a device or service profile', () => {
    const bad = { type: 'custom_scheme', uri: 'nodot:/cb' } as const;
    expect(check({ ...valid, redirect: bad }).redirect, 'a browser sign-in checks it').toBeTruthy();
    expect(check({ ...valid, grant: 'device_code', redirect: bad }).redirect, 'a device sign-in has no redirect').toBeUndefined();
    expect(check({ ...valid, grant: 'client_credentials', redirect: bad }).redirect).toBeUndefined();
  });
  it('ignore the hidden user parameters of a service', () => {
    const service = { ...valid, grant: 'client_credentials', max_age: -1, post_logout_redirect_uri: 'bye' } as const;
    expect(check(service), 'no user: max_age and the logout redirect are hidden').toEqual({});
    expect(Object.keys(check({ ...service, grant: 'device_code' })).sort(), 'a device sign-in has a user').toEqual(['max_age', 'post_logout_redirect_uri']);
  });
  it('send a typed secret only for a method that uses one', () => {
    const typed = { scopes: '', secret: 's3cret' };
    expect(formForSave({ ...valid, client_auth: 'client_secret_post' }, typed).client_secret).toBe('s3cret');
    expect(formForSave({ ...valid, client_auth: 'private_key_jwt' }, typed).client_secret, 'a key-signed client sends no secret').toBeNull();
    expect(formForSave({ ...valid, client_auth: 'none' }, typed).client_secret, 'a public client has none').toBeNull();
  });
  it('keep the grant and the assertion audience, and send a service’s empty scopes as none', () => {
    const out = formForSave({ ...valid, grant: 'client_credentials', client_auth: 'private_key_jwt', assertion_audience: 'token_endpoint' }, { scopes: '  ', secret: '' });
    expect(out.grant).toBe('client_credentials');
    expect(out.assertion_audience).toBe('token_endpoint');
    expect(out.scopes, 'no openid is added for a service').toEqual([]);
  });
});

describe('savingSignsOut', () => {
  it('is true only for a signed-in profile whose issuer or client changes', () => {
    const before = { ...emptyForm(), issuer: 'https://a.example', client_id: 'app' };
    expect(savingSignsOut(before, { ...before, scopes: ['openid'] }, true), 'other fields keep the session').toBe(false);
    expect(savingSignsOut(before, { ...before, issuer: 'https://b.example' }, true), 'a new issuer').toBe(true);
    expect(savingSignsOut(before, { ...before, client_id: 'other' }, true), 'a new client').toBe(true);
    expect(savingSignsOut(before, { ...before, client_id: 'other' }, false), 'nothing to sign out of').toBe(false);
    expect(savingSignsOut(before, { ...before, issuer: ' https://a.example ' }, true), 'spaces are not a change').toBe(false);
  });
});

describe('the security profile in the form', () => {
  const valid = { ...emptyForm(), name: 'bank', issuer: 'https://as.bank.example', client_id: 'app' };

  it('starts a new profile without PAR, DPoP, a request object or JARM', () => {
    const form = emptyForm();
    expect(form.par, 'no pushed request unless asked for').toBe(false);
    expect(form.dpop, 'Bearer tokens unless asked for').toBe(false);
    expect(form.dpop_alg, 'none named: ES256').toBeNull();
    expect(form.request_object).toBe(false);
    expect(form.response_mode, 'the code comes back in the query').toBe('query');
  });
  it('refuses a request object without private_key_jwt, at the request object', () => {
    expect(check({ ...valid, request_object: true }).request_object, 'the client secret signs no request object').toMatch(/private_key_jwt/);
    expect(check({ ...valid, client_auth: 'tls_client_auth', client_key: { alg: 'ES256', kid: 'k', x5t_s256: 't', public_jwks: '' }, request_object: true }).request_object, 'nor does a TLS key').toBeTruthy();
    expect(check({ ...valid, client_auth: 'private_key_jwt', request_object: true }), 'the client key signs it').toEqual({});
    expect(check({ ...valid, request_object: false }).request_object, 'off is always fine').toBeUndefined();
  });
  it('ignores the hidden request object of a device or service profile, and does not send one it cannot sign', () => {
    const typed = { scopes: 'openid', secret: '' };
    for (const grant of ['device_code', 'client_credentials'] as const) {
      const hidden = { ...valid, grant, request_object: true };
      expect(check(hidden).request_object, `no authorization request for ${grant}`).toBeUndefined();
      expect(formForSave(hidden, typed).request_object, `Rust would refuse it over a field ${grant} does not show`).toBe(false);
      expect(formForSave({ ...hidden, client_auth: 'private_key_jwt' }, typed).request_object, 'one the client can sign is kept, like other hidden fields').toBe(true);
    }
    expect(formForSave({ ...valid, request_object: true }, typed).request_object, 'a shown one is left for the check to refuse').toBe(true);
  });
  it('keeps PAR, DPoP, its algorithm and JARM as chosen', () => {
    const out = formForSave({ ...valid, par: true, dpop: true, dpop_alg: 'EdDSA', response_mode: 'jwt' }, { scopes: 'openid', secret: '' });
    expect([out.par, out.dpop, out.dpop_alg, out.response_mode]).toEqual([true, true, 'EdDSA', 'jwt']);
  });
});

describe('applying a preset’s security settings', () => {
  const fapi: Preset = {
    ...keycloak,
    id: 'fapi2',
    name: 'FAPI 2.0 provider (open banking, health)',
    issuer_template: '{issuer}',
    fields: [{ key: 'issuer', label: 'Issuer', placeholder: '', default: '', help: '' }],
    scopes: ['openid'],
    client_auth: 'private_key_jwt',
    par: true,
    dpop: true,
  };
  const values = { issuer: 'https://as.bank.example', base_url: 'https://kc', realm: 'r' };
  const valid = () => ({ ...emptyForm(), name: 'bank', issuer: 'https://as.bank.example', client_id: 'app' });

  it('turns on private_key_jwt, PAR and DPoP for the FAPI 2.0 preset', () => {
    const form = applyPreset(emptyForm(), fapi, values);
    expect(form.client_auth, 'FAPI 2.0 wants private_key_jwt (or mTLS)').toBe('private_key_jwt');
    expect(form.par, 'FAPI 2.0 wants pushed requests').toBe(true);
    expect(form.dpop, 'FAPI 2.0 wants sender-constrained tokens').toBe(true);
    expect(form.issuer).toBe('https://as.bank.example');
  });
  it('leaves them off for another preset', () => {
    const form = applyPreset(emptyForm(), keycloak, values);
    expect(form.client_auth, 'the usual client authentication').toBe(emptyForm().client_auth);
    expect([form.par, form.dpop], 'no PAR, no DPoP').toEqual([false, false]);
  });
  it('turns them off again when a new profile switches from the FAPI preset to another', () => {
    const back = applyPreset(applyPreset(emptyForm(), fapi, values), keycloak, values, { isNew: true, previous: fapi });
    expect([back.par, back.dpop], 'what the FAPI preset turned on goes').toEqual([false, false]);
    expect(back.client_auth, 'private_key_jwt left as the FAPI preset set it goes too').toBe(emptyForm().client_auth);
    const chosen = applyPreset({ ...applyPreset(emptyForm(), fapi, values), client_auth: 'tls_client_auth' }, keycloak, values, { previous: fapi });
    expect(chosen.client_auth, 'a method the user chose stays').toBe('tls_client_auth');
  });
  it('never lowers a saved profile’s protection when a preset is chosen for it', () => {
    const saved = { ...valid(), client_auth: 'private_key_jwt' as const, par: true, dpop: true };
    const edited = applyPreset(saved, keycloak, values, { isNew: false, previous: fapi });
    expect([edited.par, edited.dpop], 'PAR and DPoP stay on').toEqual([true, true]);
    expect(edited.client_auth, 'and so does the client key').toBe('private_key_jwt');
    const raised = applyPreset({ ...valid(), par: false, dpop: false }, fapi, values, { isNew: false });
    expect([raised.client_auth, raised.par, raised.dpop], 'the FAPI preset still turns them on').toEqual(['private_key_jwt', true, true]);
  });
});
