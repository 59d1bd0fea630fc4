import { describe, expect, it } from 'vitest';
import { clock, duration, expiry, minutesLeft, refreshNote, relative, remaining, renewalNote } from '../time';

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

describe('automatic refresh', () => {
  const at = Date.UTC(2026, 0, 2, 14, 5, 0) / 1000;
  it('says at what local time and in how long', () => {
    const note = refreshNote(at, true, at - 180, 'en-GB');
    expect(note).toBe(`refreshes automatically at ${clock(at, 'en-GB')} (in 3 min)`);
    expect(clock(at, 'en-GB'), 'hours and minutes only').toMatch(/^\d{2}:\d{2}$/);
  });
  it('says it is refreshing once the moment has passed, and what to do without a refresh token', () => {
    expect(refreshNote(at, true, at + 2)).toBe('refreshing automatically now');
    expect(refreshNote(at, false, at - 100)).toMatch(/^no refresh token/);
  });
});

describe('announcements for screen readers', () => {
  it('change once a minute, not every second', () => {
    expect(minutesLeft(1000 + 4 * 60 + 12, 1000)).toBe('4 minutes left');
    expect(minutesLeft(1000 + 4 * 60 + 50, 1000), 'the same minute reads the same').toBe('4 minutes left');
    expect(minutesLeft(1000 + 61, 1000)).toBe('1 minute left');
  });
  it('say "less than a minute" and "expired" at the end, and nothing without a deadline', () => {
    expect(minutesLeft(1030, 1000, 'left to sign in')).toBe('less than a minute left to sign in');
    expect(minutesLeft(999, 1000)).toBe('expired');
    expect(minutesLeft(null, 1000)).toBe('');
  });
});

describe('the lifetime bar', () => {
  it('is the share of the lifetime left, kept within 0–1', () => {
    expect(remaining(1000, 1300, 1075)).toBeCloseTo(0.75);
    expect(remaining(1000, 1300, 2000), 'past expiry').toBe(0);
    expect(remaining(1000, 1300, 900), 'before issue (clock skew)').toBe(1);
  });
  it('is absent without an expiry', () => {
    expect(remaining(1000, null, 1000)).toBeNull();
  });
});

describe('the renewal note', () => {
  it('says a service’s token is renewed when used, refresh token or not', () => {
    expect(renewalNote({ refresh_at: null, has_refresh_token: false, has_user: false }, 100)).toBe('renewed automatically when used');
  });
  it('is the refresh note for a user’s session', () => {
    const session = { refresh_at: 400, has_refresh_token: true, has_user: true };
    expect(renewalNote(session, 100, 'en-GB')).toBe(refreshNote(400, true, 100, 'en-GB'));
    expect(renewalNote({ ...session, has_refresh_token: false }, 100), 'no refresh token: sign in again').toMatch(/^no refresh token/);
  });
});
