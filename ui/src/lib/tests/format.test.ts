import { describe, expect, it } from 'vitest';
import { formatBytes, formatMs, formatValue, statusClass } from '../format';

describe('durations and sizes', () => {
  it('show milliseconds with one decimal', () => {
    expect(formatMs(12.345)).toBe('12.3 ms');
    expect(formatMs(3)).toBe('3.0 ms');
    expect(formatMs(1234.56), 'no switch to seconds').toBe('1234.6 ms');
  });
  it('show bytes under a kilobyte, then KB and MB with one decimal', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
  });
});

describe('status classes', () => {
  it('colour by the first digit, and say when there was no response', () => {
    expect([101, 200, 204, 302, 401, 403, 404, 500, 503].map(statusClass)).toEqual([
      'info', 'ok', 'ok', 'redirect', 'client', 'client', 'client', 'server', 'server',
    ]);
    expect(statusClass(null)).toBe('none');
  });
});

describe('values in a diff', () => {
  it('show times as local time and relative', () => {
    const text = formatValue(1000 + 600, 'time', 1000, 'en-GB');
    expect(text).toMatch(/1970/);
    expect(text).toMatch(/\(in 10 min\)$/);
  });
  it('show an absent value as a dash, lists comma-separated, objects as JSON', () => {
    expect(formatValue(null, 'text', 0)).toBe('—');
    expect(formatValue(['openid', 'email'], 'list', 0)).toBe('openid, email');
    expect(formatValue([], 'list', 0), 'an empty list says so').toBe('(empty)');
    expect(formatValue({ a: 1 }, 'object', 0)).toBe('{"a":1}');
    expect(formatValue(true, 'bool', 0)).toBe('yes');
    expect(formatValue(42, 'number', 0), 'a number that is no time').toBe('42');
  });
});
