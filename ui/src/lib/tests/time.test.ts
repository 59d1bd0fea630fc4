import { describe, expect, it } from 'vitest';
import { duration, expiry, relative } from '../time';

describe('durations', () => {
  it('show seconds under a minute', () => {
    expect(duration(42), 'no minutes for under a minute').toBe('42 s');
  });
  it('show minutes and seconds under an hour, dropping zero seconds', () => {
    expect(duration(4 * 60 + 12)).toBe('4 min 12 s');
    expect(duration(300), 'a round number of minutes has no "0 s"').toBe('5 min');
  });
  it('show hours and minutes, then days', () => {
    expect(duration(3600 + 5 * 60 + 59), 'seconds are dropped after an hour').toBe('1 h 5 min');
    expect(duration(3 * 86400)).toBe('3 days');
  });
  it('never go negative', () => {
    expect(duration(-5), 'a past deadline shows zero').toBe('0 s');
  });
});

describe('relative times', () => {
  it('read as the future or the past from now', () => {
    expect(relative(1000 + 300, 1000)).toBe('in 5 min');
    expect(relative(1000 - 3 * 3600, 1000)).toBe('3 h ago');
  });
  it('call a few seconds either way "now"', () => {
    expect(relative(1003, 1000)).toBe('now');
  });
});

describe('token expiry', () => {
  it('counts down while valid and says how long ago once expired', () => {
    expect(expiry(1000 + 252, 1000)).toBe('expires in 4 min 12 s');
    expect(expiry(1000 - 120, 1000), 'expired tokens say so').toBe('expired 2 min ago');
  });
  it('handles a token without an expiry', () => {
    expect(expiry(null, 1000)).toBe('no stated expiry');
  });
});
