import { describe, expect, it } from 'vitest';
import { barText, endMarks, entryKind, inView, markText, place, stackLevels, ticksOf, timelineOf, viewOf } from '../timeline';
import type { HistoryEntryView, OperationView } from '../types';

const NOW = 1_800_000_000;

const entry = (id: number, at: number, label: string, changes = 0, expiresIn: number | null = 300): HistoryEntryView => ({
  id,
  at,
  label,
  expires_at: expiresIn === null ? null : at + expiresIn,
  scopes: ['openid'],
  changes,
});

const operation = (over: Partial<OperationView>): OperationView => ({
  id: 1,
  kind: 'sign_out',
  profile: 'local',
  started_at_ms: NOW * 1000,
  finished_at_ms: NOW * 1000 + 400,
  outcome: 'ok',
  error: null,
  steps: [],
  ...over,
});

describe('the history as marks and bars', () => {
  const entries = [entry(1, NOW - 600, 'Signed in'), entry(2, NOW - 360, 'Refreshed (refresh token rotated)', 3), entry(3, NOW - 60, 'Refreshed', 0)];
  const session = { expires_at: NOW + 240, refresh_at: NOW + 180, has_refresh_token: true };
  const t = timelineOf(entries, session);

  it('marks the sign-in and every refresh, in order, with the entry they are', () => {
    const fromEntries = t.marks.filter((m) => m.entry !== null);
    expect(fromEntries.map((m) => [m.kind, m.entry, m.at])).toEqual([
      ['sign_in', 0, NOW - 600],
      ['refresh', 1, NOW - 360],
      ['refresh', 2, NOW - 60],
    ]);
  });
  it('marks a refresh that changed claims with the two entries to compare', () => {
    expect(t.marks.find((m) => m.entry === 1)?.diff).toEqual({ from: 1, to: 2, changes: 3 });
    expect(t.marks.find((m) => m.entry === 2)?.diff, 'no changes, no marker').toBeNull();
    expect(t.marks.find((m) => m.entry === 0)?.diff, 'the first entry has nothing before it').toBeNull();
  });
  it('draws each access token’s lifetime, cut where the next one replaced it', () => {
    expect(t.bars.map((b) => [b.from, b.to, b.replaced_at, b.row])).toEqual([
      [NOW - 600, NOW - 300, NOW - 360, 0],
      [NOW - 360, NOW - 60, null, 1],
      [NOW - 60, NOW + 240, null, 0],
    ]);
  });
  it('adds the scheduled refresh and the expiry of the session now', () => {
    expect(t.marks.slice(-2).map((m) => [m.kind, m.at])).toEqual([
      ['refresh_due', NOW + 180],
      ['expiry', NOW + 240],
    ]);
    expect(timelineOf(entries, { ...session, has_refresh_token: false }).marks.some((m) => m.kind === 'refresh_due'), 'no refresh token, no refresh').toBe(false);
    expect(timelineOf(entries, null).marks.some((m) => m.kind === 'expiry'), 'signed out: no expiry of a session now').toBe(false);
    expect([t.first, t.last]).toEqual([NOW - 600, NOW + 240]);
  });
  it('reads what an entry is from its label', () => {
    expect(entryKind('Session at start', 0)).toBe('seen');
    expect(entryKind('Signed in', 3)).toBe('sign_in');
    expect(entryKind('Refreshed', 0)).toBe('refresh');
    expect(entryKind('Something new', 0), 'an unknown first entry began the session').toBe('sign_in');
    expect(entryKind('Something new', 2)).toBe('refresh');
  });
  it('has nothing to draw for an empty history and no session', () => {
    expect(timelineOf([], null)).toEqual({ marks: [], bars: [], first: null, last: null });
  });
});

describe('sign-outs and revocations', () => {
  const ops = [
    operation({ id: 1, kind: 'sign_out', finished_at_ms: (NOW - 100) * 1000 + 300 }),
    operation({ id: 2, kind: 'revoke', finished_at_ms: (NOW - 50) * 1000 }),
    operation({ id: 3, kind: 'sign_out', outcome: 'failed' }),
    operation({ id: 4, kind: 'sign_out', profile: 'work' }),
    operation({ id: 5, kind: 'refresh' }),
  ];
  it('are marked when they ended well, for this profile only', () => {
    expect(endMarks(ops, 'local').map((m) => [m.kind, m.at, m.label])).toEqual([
      ['sign_out', NOW - 100, 'Signed out'],
      ['revoke', NOW - 50, 'Token revoked'],
    ]);
  });
  it('end the lifetime of the token they signed out', () => {
    const t = timelineOf([entry(1, NOW - 200, 'Signed in')], null, endMarks(ops, 'local'));
    expect(t.bars[0].replaced_at).toBe(NOW - 100);
    expect(t.marks.map((m) => m.kind)).toEqual(['sign_in', 'sign_out', 'revoke']);
  });
});

describe('zooming the axis', () => {
  const t = { first: NOW - 7200, last: NOW + 240 };
  it('shows a fixed span with now two-thirds along', () => {
    expect(viewOf(t, '15m', NOW)).toEqual({ start: NOW - 600, end: NOW + 300 });
    expect(viewOf(t, '1h', NOW)).toEqual({ start: NOW - 2400, end: NOW + 1200 });
    const day = viewOf(t, '1d', NOW);
    expect(day.end - day.start).toBe(86400);
  });
  it('shows everything with a margin at "all"', () => {
    const all = viewOf(t, 'all', NOW);
    expect(all.start).toBeLessThan(NOW - 7200);
    expect(all.end).toBeGreaterThan(NOW + 240);
    expect(viewOf({ first: null, last: null }, 'all', NOW), 'nothing yet: around now').toEqual({ start: NOW - 30, end: NOW + 30 });
  });
  it('places times along the view', () => {
    const v = { start: 100, end: 200 };
    expect(place(150, v)).toBe(0.5);
    expect(inView(250, v)).toBe(false);
    expect(inView(100, v)).toBe(true);
  });
  it('puts ticks at round local times, a few of them', () => {
    const v = { start: 3600 * 10 + 100, end: 3600 * 10 + 100 + 900 };
    const ticks = ticksOf(v, 7, 0);
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(ticks.every((x) => x % 300 === 0), 'every 5 min').toBe(true);
    expect(ticksOf(v, 7, 1800).every((x) => (x + 1800) % 300 === 0), 'aligned to local time').toBe(true);
    expect(ticksOf({ start: 0, end: 86400 * 3 }, 7, 0).every((x) => x % 43200 === 0)).toBe(true);
  });
});

describe('marks close together', () => {
  it('stack up instead of hiding each other, and fall back to the ground when there is room', () => {
    expect(stackLevels([10, 12, 14, 40, 45, 100], 10)).toEqual([0, 1, 2, 0, 1, 0]);
  });
  it('share the top level when there are more than the levels', () => {
    expect(stackLevels([0, 1, 2, 3], 10, 3)).toEqual([0, 1, 2, 2]);
  });
});

describe('what a mark says', () => {
  it('gives the local time and the relative time, and how many claims changed', () => {
    const text = markText({ label: 'Refreshed', at: NOW - 120, diff: { from: 1, to: 2, changes: 3 } }, NOW, 'en-GB');
    expect(text).toMatch(/^Refreshed · .+ \(2 min ago\) · 3 claims changed$/);
  });
  it('gives an entry’s token lifetime and scopes', () => {
    const [mark] = timelineOf([entry(1, NOW - 60, 'Signed in')], null).marks;
    expect(markText(mark, NOW, 'en-GB')).toMatch(/^Signed in · .+ \(1 min ago\) · access token until \d\d:\d\d · scopes openid$/);
    expect(markText({ label: 'Access token expires', at: NOW + 240, diff: null }, NOW, 'en-GB')).toMatch(/\(in 4 min\)$/);
  });
  it('says when a bar’s token was replaced', () => {
    const [bar] = timelineOf([entry(1, NOW - 600, 'Signed in'), entry(2, NOW - 360, 'Refreshed')], null).bars;
    expect(barText(bar, NOW, 'en-GB')).toMatch(/^Access token of “Signed in”: obtained .+, expires .+ \(5 min ago\), replaced 6 min ago$/);
  });
});
