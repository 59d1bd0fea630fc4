import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DPOP_ALG,
  DPOP_ALGS,
  dpopAlgChosen,
  dpopAlgOptions,
  dpopAlgShown,
  dpopChangeNote,
  isDpop,
  PROVIDER_DECIDES,
  requestObjectAllowed,
  requestObjectHint,
  SECURITY_OPTIONS,
  securityFields,
  tokenTypeText,
} from '../security';
import { CLIENT_AUTHS } from '../grants';
import type { Grant } from '../types';

const grants: Grant[] = ['authorization_code', 'device_code', 'client_credentials'];

describe('the security profile’s options', () => {
  it('each have a label and a one-line explanation', () => {
    for (const [option, { label, detail }] of Object.entries(SECURITY_OPTIONS)) {
      expect(label.length, `${option} has a label`).toBeGreaterThan(0);
      expect(detail.length > 0 && !detail.includes('\n'), `${option} is explained in one line`).toBe(true);
    }
  });
  it('say what each one protects against', () => {
    expect(SECURITY_OPTIONS.par.detail, 'PAR: the browser carries only a reference').toMatch(/browser carries only a reference/);
    expect(SECURITY_OPTIONS.dpop.detail, 'DPoP: a stolen token is useless').toMatch(/keyring.*stolen token is useless/);
    expect(SECURITY_OPTIONS.request_object.detail, 'JAR: signed with the client key').toMatch(/client key/);
    expect(SECURITY_OPTIONS.jarm.label, 'JARM: the response as a signed JWT').toMatch(/signed JWT/);
  });
  it('note that the provider can require pushed and signed requests anyway', () => {
    expect(PROVIDER_DECIDES).toMatch(/requires.*anyway.*discovery/);
  });
});

describe('which security options the editor shows', () => {
  it('shows PAR, the request object and the response mode only for the browser sign-in', () => {
    for (const grant of grants)
      expect(securityFields(grant, false).authorizationRequest, `authorization request options for ${grant}`).toBe(grant === 'authorization_code');
  });
  it('shows the DPoP algorithm only while DPoP is on, whatever the grant', () => {
    for (const grant of grants) {
      expect(securityFields(grant, true).dpopAlg, `DPoP on with ${grant}`).toBe(true);
      expect(securityFields(grant, false).dpopAlg, `DPoP off with ${grant}`).toBe(false);
    }
  });
  it('allows the request object only with private_key_jwt, and says why otherwise', () => {
    const allowed = CLIENT_AUTHS.map((a) => a.value).filter(requestObjectAllowed);
    expect(allowed, 'only the client key signs a request object').toEqual(['private_key_jwt']);
    expect(requestObjectHint('private_key_jwt'), 'nothing to say when it can be chosen').toBeNull();
    expect(requestObjectHint('client_secret_basic'), 'the hint names the method to choose').toMatch(/private_key_jwt/);
    expect(requestObjectHint('tls_client_auth'), 'a TLS key signs nothing').toMatch(/client key/);
  });
});

describe('the DPoP key’s algorithm', () => {
  it('is ES256 unless chosen, and offers ES256, EdDSA, RS256 and PS256 with the default first', () => {
    expect(DEFAULT_DPOP_ALG).toBe('ES256');
    expect(DPOP_ALGS.map((a) => a.value)).toEqual(['ES256', 'EdDSA', 'RS256', 'PS256']);
  });
  it('shows the default for a profile that names none, and records the default as none', () => {
    expect(dpopAlgShown(null), 'no algorithm means ES256').toBe('ES256');
    expect(dpopAlgShown('PS256')).toBe('PS256');
    expect(dpopAlgChosen('ES256'), 'the default keeps the profile file short').toBeNull();
    expect(dpopAlgChosen('EdDSA')).toBe('EdDSA');
  });
  it('offers a profile’s own algorithm when it is not one of the usual', () => {
    expect(dpopAlgOptions(null)).toBe(DPOP_ALGS);
    expect(dpopAlgOptions('RS256'), 'a usual one is not listed twice').toBe(DPOP_ALGS);
    expect(dpopAlgOptions('Ed25519').map((a) => a.value), 'set with the command line: still shown as chosen').toEqual([
      'ES256',
      'EdDSA',
      'RS256',
      'PS256',
      'Ed25519',
    ]);
  });
  it('warns that a DPoP change reaches a signed-in profile’s token only at the next sign-in', () => {
    expect(dpopChangeNote(false, true, true), 'turned on').toMatch(/Bearer token.*sign in again/);
    expect(dpopChangeNote(true, false, true), 'turned off').toMatch(/stays DPoP-bound.*sign in again/);
    expect(dpopChangeNote(false, false, true), 'unchanged').toBeNull();
    expect(dpopChangeNote(false, true, false), 'nobody signed in: the next sign-in uses it anyway').toBeNull();
  });
});

describe('a token’s type as shown', () => {
  it('says DPoP-bound for a DPoP token, whatever its case', () => {
    expect(tokenTypeText('DPoP')).toBe('DPoP-bound');
    expect(tokenTypeText('dpop'), 'token types compare case-insensitively (RFC 6749)').toBe('DPoP-bound');
    expect(isDpop('DPOP')).toBe(true);
  });
  it('shows any other type as the provider sent it', () => {
    expect(tokenTypeText('Bearer')).toBe('Bearer');
    expect(tokenTypeText('N_A')).toBe('N_A');
    expect(isDpop('Bearer'), 'a Bearer token is no DPoP token').toBe(false);
    expect(tokenTypeText(' '), 'an empty type is said so').toBe('unknown type');
  });
});
