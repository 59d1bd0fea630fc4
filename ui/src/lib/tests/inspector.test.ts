import { describe, expect, it } from 'vitest';
import { formatLine, latestPair, pickedPair, reportSummary, revokeConsequence, signatureText, togglePick } from '../inspector';
import type { CheckView, HistoryEntryView, TokenView } from '../types';

const checkOf = (passed: boolean, id = 'x'): CheckView => ({ id, name: id, passed, warning: false, detail: '', expected: null, found: null });
const entry = (id: number): HistoryEntryView => ({ id, at: id * 100, label: 'Refreshed', expires_at: null, scopes: [], changes: 0 });

describe('the report summary', () => {
  it('says all passed, or how many of how many failed', () => {
    expect(reportSummary(Array.from({ length: 11 }, () => checkOf(true)))).toBe('All 11 checks passed');
    expect(reportSummary([...Array.from({ length: 9 }, () => checkOf(true)), checkOf(false), checkOf(false)])).toBe('2 of 11 checks failed');
  });
  it('reads well for one check and for none', () => {
    expect(reportSummary([checkOf(true)])).toBe('The one check passed');
    expect(reportSummary([checkOf(false)])).toBe('1 of 1 check failed');
    expect(reportSummary([]), 'a decoded-only token was not checked').toMatch(/^Not verified/);
  });
});

describe('the signature line', () => {
  it('names the key that verified it', () => {
    expect(signatureText({ verified: true, alg: 'RS256', kid: 'k1', key: 'RSA 2048', detail: '' })).toBe('Verified with key k1 (RS256, RSA 2048)');
    expect(signatureText({ verified: true, alg: 'ES256', kid: null, key: null, detail: '' })).toBe('Verified with key (no kid) (ES256)');
  });
  it('says why it is not verified', () => {
    expect(signatureText({ verified: false, alg: 'RS256', kid: 'k9', key: null, detail: 'no key in the JWKS has the kid "k9"' })).toBe(
      'Not verified: no key in the JWKS has the kid "k9"',
    );
  });
});

describe('token cards', () => {
  const base = { kind: 'access', expires_at: null, issued_at: null, fingerprint: 'abc', introspectable: false, revocable: false } as const;
  it('describe an opaque token by its length and a JWT by its algorithm', () => {
    expect(formatLine({ ...base, format: { type: 'opaque', length: 43 } } as TokenView)).toBe('Opaque token (43 characters)');
    const jwt = { header: { alg: 'RS256' }, payload: {}, claims: [], signature: null, checks: [], valid: false, checked_against: null };
    expect(formatLine({ ...base, format: { type: 'jwt', jwt } } as TokenView)).toBe('JWT · RS256');
  });
  it('warn that revoking the refresh token signs out, and the access token only refreshes', () => {
    expect(revokeConsequence('refresh')).toMatch(/signs this profile out/);
    expect(revokeConsequence('access')).toMatch(/next use refreshes/);
    expect(revokeConsequence('access'), 'warns that the provider may end the grant too').toMatch(/also revoke the refresh token/);
  });
});

describe('picking two history entries', () => {
  it('keeps at most two, dropping the earliest pick', () => {
    expect(togglePick([], 1)).toEqual([1]);
    expect(togglePick([1], 2)).toEqual([1, 2]);
    expect(togglePick([1, 2], 3)).toEqual([2, 3]);
    expect(togglePick([2, 3], 3), 'ticking again unticks').toEqual([2]);
  });
  it('compares older to newer whatever the order of the picks', () => {
    const entries = [entry(4), entry(7), entry(9)];
    expect(pickedPair([9, 4], entries)).toEqual({ from: 4, to: 9 });
    expect(pickedPair([4], entries), 'one pick is not a pair').toBeNull();
    expect(pickedPair([4, 5], entries), 'an entry no longer kept').toBeNull();
  });
  it('starts with the latest two entries', () => {
    expect(latestPair([entry(1), entry(2), entry(3)])).toEqual([2, 3]);
    expect(latestPair([entry(1)])).toEqual([]);
  });
});

describe('reportSummary with warnings', () => {
  it('counts a passing row with a warning without calling the report failed', () => {
    const warned = { ...checkOf(true, 'acr'), warning: true };
    expect(reportSummary([checkOf(true), warned]), 'a warning is not a failure').toBe('All 2 checks passed, 1 with a warning');
    expect(reportSummary([checkOf(true), checkOf(false)]), 'failures are still counted').toBe('1 of 2 checks failed');
  });
});
