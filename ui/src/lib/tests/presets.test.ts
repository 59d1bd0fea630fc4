import { describe, expect, it } from 'vitest';
import { extractValues, fillIssuer, fillNote } from '../presets';
import type { Preset } from '../types';

const preset = (over: Partial<Preset>): Preset => ({
  id: 'p',
  name: 'P',
  issuer_template: '{issuer}',
  fields: [],
  client_id: '',
  scopes: ['openid'],
  redirect: { type: 'loopback', port: 0, path: '/callback' },
  needs_client_secret: false,
  grants: ['authorization_code'],
  client_auth: null,
  par: false,
  dpop: false,
  notes: [],
  ...over,
});
const field = (key: string, def = '') => ({ key, label: key, placeholder: '', default: def, help: '' });

const keycloak = preset({ id: 'keycloak', issuer_template: '{base_url}/realms/{realm}', fields: [field('base_url'), field('realm')] });
const okta = preset({ id: 'okta', issuer_template: 'https://{domain}/oauth2/{server}', fields: [field('domain'), field('server', 'default')] });
const local = preset({ id: 'local', fields: [field('issuer', 'http://127.0.0.1:9090')] });

describe('reading preset fields back out of an issuer', () => {
  it('splits a Keycloak issuer into server URL and realm', () => {
    expect(extractValues(keycloak, 'https://kc.example.com/auth/realms/dev')).toEqual({
      base_url: 'https://kc.example.com/auth',
      realm: 'dev',
    });
  });
  it('finds fields between fixed parts of the template', () => {
    expect(extractValues(okta, 'https://dev-1.okta.com/oauth2/aus123')).toEqual({ domain: 'dev-1.okta.com', server: 'aus123' });
  });
  it('gives null for an issuer of another shape', () => {
    expect(extractValues(keycloak, 'https://id.example.com'), 'no /realms/ part').toBeNull();
    expect(extractValues(okta, 'http://dev-1.okta.com/oauth2/x'), 'the scheme is fixed by the template').toBeNull();
  });
  it('treats regex characters in the template literally', () => {
    const entra = preset({ issuer_template: 'https://login.microsoftonline.com/{tenant}/v2.0', fields: [field('tenant', 'common')] });
    expect(extractValues(entra, 'https://login.microsoftonline.com/contoso/v2.0')).toEqual({ tenant: 'contoso' });
    expect(extractValues(entra, 'https://login.microsoftonline.com/contoso/v2x0'), 'the dot is no wildcard').toBeNull();
  });
  it('round-trips with filling the template', () => {
    const values = { base_url: 'https://kc.example.com', realm: 'team-a' };
    expect(extractValues(keycloak, fillIssuer(keycloak, values))).toEqual(values);
  });
  it('takes a whole issuer for a template that is one field', () => {
    expect(extractValues(local, ' http://127.0.0.1:9191 ')).toEqual({ issuer: 'http://127.0.0.1:9191' });
  });
});

describe('preset notes', () => {
  it('show the current field values in place of their placeholders', () => {
    const note = 'The demo API is at {issuer}/api/me.';
    expect(fillNote(note, local, { issuer: 'http://127.0.0.1:9191/' })).toBe('The demo API is at http://127.0.0.1:9191/api/me.');
  });
  it('leave placeholders that are not fields, and empty fields, as written', () => {
    expect(fillNote('check iss against {tenantid}', local, {})).toBe('check iss against {tenantid}');
    expect(fillNote('{realm} realm', keycloak, { realm: '' }), 'an empty value keeps the placeholder').toBe('{realm} realm');
  });
});
