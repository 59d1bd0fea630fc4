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
