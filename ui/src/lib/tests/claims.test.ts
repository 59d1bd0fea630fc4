import { describe, expect, it } from 'vitest';
import { display, host, initials, listItems } from '../claims';
import type { ClaimView } from '../types';

const claim = (over: Partial<ClaimView>): ClaimView => ({
  name: 'x',
  label: null,
  description: null,
  value: 'v',
  kind: 'text',
  source: 'id_token',
  differs: false,
  ...over,
});

describe('claim values', () => {
  it('show times as local time plus relative time', () => {
    const text = display(claim({ name: 'exp', kind: 'time', value: 1000 + 600 }), 1000, 'en-GB');
    expect(text, 'relative part').toMatch(/\(in 10 min\)$/);
    expect(text, 'local date part').toMatch(/1970/);
  });
  it('show booleans as words and objects as JSON', () => {
    expect(display(claim({ kind: 'bool', value: true }), 0)).toBe('yes');
    expect(display(claim({ kind: 'object', value: { a: 1 } }), 0)).toBe('{"a":1}');
  });
  it('list items as strings, JSON for non-strings', () => {
    expect(listItems(['a', 2, { b: true }])).toEqual(['a', '2', '{"b":true}']);
    expect(listItems('not a list'), 'a scalar is no list').toEqual([]);
  });
});

describe('avatars and hosts', () => {
  it('take initials from the first and last word, ignoring an email domain', () => {
    expect(initials('Dana Demo')).toBe('DD');
    expect(initials('demo@example.com'), 'one word gives two letters').toBe('DE');
    expect(initials('ada.lovelace@example.com')).toBe('AL');
  });
  it('show an issuer by its host, and anything else as is', () => {
    expect(host('https://id.example.com/realms/dev')).toBe('id.example.com');
    expect(host('not a url')).toBe('not a url');
  });
});
