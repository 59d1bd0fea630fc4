// A profile's session over time, as data: the sign-in and every refresh of
// the session history (`session_history`), each access token's lifetime as a
// bar, the scheduled refresh and the expiry of the session now, and the
// sign-outs and revocations the operations record. The Timeline component
// draws it on an axis that zooms. Times are Unix seconds.
import { clock, localTime, relative } from './time';
import type { HistoryEntryView, OperationView, SessionView } from './types';

export type MarkKind = 'sign_in' | 'refresh' | 'seen' | 'refresh_due' | 'expiry' | 'sign_out' | 'revoke';

export type TimelineMark = {
  /** Stable across redraws: `entry-3`, `expiry`. */
  key: string;
  kind: MarkKind;
  at: number;
  label: string;
  /** The position of its history entry, oldest first; null for a mark that is not an entry. */
  entry: number | null;
  /** The entries to compare when this refresh changed claims (`history_diff`). */
  diff: { from: number; to: number; changes: number } | null;
  /** An entry's access token: when it expires and its scopes. */
  token?: { expires_at: number | null; scopes: string[] };
};

/** An access token's lifetime: obtained → expires, cut where the next token or a sign-out replaced it. */
export type LifetimeBar = {
  entry: number;
  from: number;
  to: number;
  /** When it stopped being the session's token, if before it expired. */
  replaced_at: number | null;
  /** Bars alternate between two rows, so an overlap stays visible. */
  row: 0 | 1;
  label: string;
};

export type Timeline = {
  marks: TimelineMark[];
  bars: LifetimeBar[];
  /** The earliest and latest time anything is drawn at; null when nothing is. */
  first: number | null;
  last: number | null;
};

/** What a history entry is, from its label ("Signed in", "Refreshed…", "Session at start"). */
export function entryKind(label: string, index: number): 'sign_in' | 'refresh' | 'seen' {
  if (/at start|first seen/i.test(label)) return 'seen';
  if (/^(signed in|token received)/i.test(label)) return 'sign_in';
  if (/^(refreshed|renewed)/i.test(label)) return 'refresh';
  return index === 0 ? 'sign_in' : 'refresh';
}

/** A sign-out or revocation of the profile that ended well, as a mark. */
export function endMarks(operations: OperationView[], profile: string): TimelineMark[] {
  return operations
    .filter((o) => o.profile === profile && o.outcome === 'ok' && (o.kind === 'sign_out' || o.kind === 'revoke'))
    .map((o) => ({
      key: `op-${o.id}`,
      kind: o.kind === 'sign_out' ? ('sign_out' as const) : ('revoke' as const),
      at: Math.floor((o.finished_at_ms ?? o.started_at_ms) / 1000),
      label: o.kind === 'sign_out' ? 'Signed out' : 'Token revoked',
      entry: null,
      diff: null,
    }));
}

/**
 * The timeline of a profile: its history entries (oldest first), the session
 * now (its scheduled refresh and expiry; null when signed out) and the
 * sign-outs and revocations (`endMarks`).
 */
export function timelineOf(
  entries: HistoryEntryView[],
  session: Pick<SessionView, 'expires_at' | 'refresh_at' | 'has_refresh_token'> | null,
  ends: TimelineMark[] = [],
): Timeline {
  const marks: TimelineMark[] = entries.map((e, i) => ({
    key: `entry-${e.id}`,
    kind: entryKind(e.label, i),
    at: e.at,
    label: e.label,
    entry: i,
    diff: i > 0 && e.changes > 0 ? { from: entries[i - 1].id, to: e.id, changes: e.changes } : null,
    token: { expires_at: e.expires_at, scopes: e.scopes },
  }));
  const bars: LifetimeBar[] = [];
  entries.forEach((e, i) => {
    if (e.expires_at === null) return;
    const next = entries[i + 1]?.at;
    const ended = ends.filter((m) => m.kind === 'sign_out' && m.at >= e.at).map((m) => m.at);
    const cut = Math.min(...[next, ...ended].filter((t): t is number => t !== undefined));
    bars.push({
      entry: i,
      from: e.at,
      to: e.expires_at,
      replaced_at: cut < e.expires_at ? Math.max(cut, e.at) : null,
      row: (i % 2) as 0 | 1,
      label: `Access token of “${e.label}”`,
    });
  });
  marks.push(...ends);
  if (session?.has_refresh_token && session.refresh_at !== null)
    marks.push({ key: 'refresh-due', kind: 'refresh_due', at: session.refresh_at, label: 'Refresh scheduled', entry: null, diff: null });
  if (session && session.expires_at !== null)
    marks.push({ key: 'expiry', kind: 'expiry', at: session.expires_at, label: 'Access token expires', entry: null, diff: null });
  marks.sort((a, b) => a.at - b.at);
  const times = [...marks.map((m) => m.at), ...bars.flatMap((b) => [b.from, b.to])];
  return { marks, bars, first: times.length ? Math.min(...times) : null, last: times.length ? Math.max(...times) : null };
}

export const ZOOMS = [
  { id: '15m', label: '15 min', span: 15 * 60 },
  { id: '1h', label: '1 h', span: 3600 },
  { id: '1d', label: '1 day', span: 86400 },
  { id: 'all', label: 'All', span: null },
] as const;

export type Zoom = (typeof ZOOMS)[number]['id'];

export type View = { start: number; end: number };

/**
 * The stretch of time a zoom shows: a fixed span with now two-thirds along
 * (what happened, and what is due), or everything with a margin.
 */
export function viewOf(t: Pick<Timeline, 'first' | 'last'>, zoom: Zoom, now: number): View {
  const span = ZOOMS.find((z) => z.id === zoom)?.span ?? null;
  if (span !== null) {
    const end = now + Math.round(span / 3);
    return { start: end - span, end };
  }
  const first = Math.min(t.first ?? now, now);
  const last = Math.max(t.last ?? now, now);
  const pad = Math.max(30, Math.round((last - first) * 0.04));
  return { start: first - pad, end: last + pad };
}

/** Where a time falls in a view, 0 at its start and 1 at its end (outside: below 0 or above 1). */
export const place = (at: number, view: View): number => (at - view.start) / (view.end - view.start);

export const inView = (at: number, view: View): boolean => at >= view.start && at <= view.end;

const TICK_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/**
 * Round times for the axis, at most `most` of them: every 5 min, every hour…
 * aligned to local time (`offset`: seconds east of UTC, as the clock shows).
 */
export function ticksOf(view: View, most = 7, offset = -new Date(view.start * 1000).getTimezoneOffset() * 60): number[] {
  const span = view.end - view.start;
  const step = TICK_STEPS.find((s) => span / s <= most) ?? Math.ceil(span / most / 604800) * 604800;
  const ticks: number[] = [];
  for (let t = Math.ceil((view.start + offset) / step) * step - offset; t <= view.end; t += step) ticks.push(t);
  return ticks;
}

/**
 * A level for each mark, in order of position, so that marks closer than
 * `gap` stack instead of hiding each other: a mark goes up a level while the
 * last one there is too close, up to the top of `levels`.
 */
export function stackLevels(xs: number[], gap: number, levels = 3): number[] {
  const lastAt: number[] = [];
  return xs.map((x) => {
    let level = 0;
    while (level < levels - 1 && lastAt[level] !== undefined && x - lastAt[level] < gap) level++;
    lastAt[level] = x;
    return level;
  });
}

/**
 * What a mark says when hovered or focused: its label, local time and
 * relative time; for an entry, until when its access token lasts, its
 * scopes and how many claims changed.
 */
export function markText(mark: Pick<TimelineMark, 'label' | 'at' | 'diff' | 'token'>, now: number, locale?: string): string {
  const parts = [`${mark.label} · ${localTime(mark.at, locale)} (${relative(mark.at, now)})`];
  if (mark.token && mark.token.expires_at !== null) parts.push(`access token until ${clock(mark.token.expires_at, locale)}`);
  if (mark.token?.scopes.length) parts.push(`scopes ${mark.token.scopes.join(' ')}`);
  if (mark.diff) parts.push(`${mark.diff.changes} claim${mark.diff.changes === 1 ? '' : 's'} changed`);
  return parts.join(' · ');
}

/** What a lifetime bar says: from, until, and when it was replaced. */
export function barText(bar: LifetimeBar, now: number, locale?: string): string {
  const replaced = bar.replaced_at === null ? '' : `, replaced ${relative(bar.replaced_at, now)}`;
  return `${bar.label}: obtained ${localTime(bar.from, locale)}, expires ${localTime(bar.to, locale)} (${relative(bar.to, now)})${replaced}`;
}
