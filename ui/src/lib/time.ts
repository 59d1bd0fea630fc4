// Times arrive as Unix seconds; the user sees local time and "in 4 min".

/** "4 min 12 s", "1 h 5 min", "12 s": a duration in seconds, two units at most. */
export function duration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    const rest = s % 60;
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  return `${Math.floor(hours / 24)} days`;
}

/** "in 5 min" / "3 h ago" / "now", relative to `now` (both Unix seconds). */
export function relative(at: number, now: number): string {
  const delta = Math.round(at - now);
  if (Math.abs(delta) < 5) return 'now';
  return delta > 0 ? `in ${coarse(delta)}` : `${coarse(-delta)} ago`;
}

/** One unit, rounded down: the relative form does not need seconds after a minute. */
function coarse(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 172800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} days`;
}

/** "expires in 4 min 12 s" or "expired 2 min ago". */
export function expiry(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return 'no stated expiry';
  const left = expiresAt - now;
  return left > 0 ? `expires in ${duration(left)}` : `expired ${coarse(Math.round(-left))} ago`;
}

/** Local date and time, e.g. "23 Nov 2026, 14:05:09". */
export function localTime(at: number, locale?: string): string {
  return new Date(at * 1000).toLocaleString(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Local time of day, e.g. "14:05" (seconds only when asked for). */
export function clock(at: number, locale?: string, seconds = false): string {
  return new Date(at * 1000).toLocaleTimeString(locale, {
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
  });
}

/** "refreshes automatically at 14:05 (in 3 min)"; "refreshing now" once due; a note when there is no refresh token. */
export function refreshNote(refreshAt: number | null, hasRefreshToken: boolean, now: number, locale?: string): string {
  if (!hasRefreshToken) return 'no refresh token: sign in again when it expires';
  if (refreshAt === null) return 'refreshes automatically before it expires';
  if (refreshAt <= now) return 'refreshing automatically now';
  return `refreshes automatically at ${clock(refreshAt, locale)} (${relative(refreshAt, now)})`;
}

/**
 * How a session's access token is renewed: a user's with its refresh token
 * (refreshNote); a service's (client credentials, no user) is asked for again
 * with the client's own credentials whenever it is used near its expiry.
 */
export function renewalNote(
  session: { refresh_at: number | null; has_refresh_token: boolean; has_user: boolean },
  now: number,
  locale?: string,
): string {
  if (!session.has_user) return 'renewed automatically when used';
  return refreshNote(session.refresh_at, session.has_refresh_token, now, locale);
}

/**
 * What a screen reader hears about a deadline: whole minutes, so a polite
 * live region changes once a minute rather than every second.
 */
export function minutesLeft(deadline: number | null, now: number, what = 'left'): string {
  if (deadline === null) return '';
  const left = deadline - now;
  if (left <= 0) return 'expired';
  if (left < 60) return `less than a minute ${what}`;
  const minutes = Math.floor(left / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'} ${what}`;
}

/** The share of a lifetime left, 0–1, for a progress bar; null without an expiry. */
export function remaining(from: number, until: number | null, now: number): number | null {
  if (until === null || until <= from) return null;
  return Math.min(1, Math.max(0, (until - now) / (until - from)));
}
