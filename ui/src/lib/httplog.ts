// The HTTP log as the window keeps it: the entries Rust had when the tab
// opened plus those that arrived since, newest last, at most 200.
import type { HttpLogSummary } from './types';

/** As many as Rust keeps. */
export const LOG_LIMIT = 200;

/** Entries of both lists once each, by id, oldest first, the newest `limit` kept. */
export function mergeLog(a: HttpLogSummary[], b: HttpLogSummary[], limit = LOG_LIMIT): HttpLogSummary[] {
  const byId = new Map<number, HttpLogSummary>();
  for (const e of [...a, ...b]) byId.set(e.id, e);
  return [...byId.values()].sort((x, y) => x.id - y.id).slice(-limit);
}

/** The log with one more entry. */
export const appendLog = (log: HttpLogSummary[], entry: HttpLogSummary, limit = LOG_LIMIT) => mergeLog(log, [entry], limit);

/** Entries whose URL, endpoint, method or status contains every word of `query` (any case). */
export function filterLog(log: HttpLogSummary[], query: string): HttpLogSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return log;
  return log.filter((e) => {
    const text = `${e.method} ${e.endpoint} ${e.url} ${e.status ?? ''} ${e.error ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** "200", or "no response" when none came. */
export const statusText = (e: HttpLogSummary): string => (e.status === null ? 'no response' : String(e.status));
