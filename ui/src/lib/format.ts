// Display helpers shared by the inspector, API and HTTP log tabs.
import type { ClaimKind, JsonValue } from './types';
import { localTime, relative } from './time';

/** "12.3 ms": a duration in milliseconds with one decimal. */
export function formatMs(ms: number): string {
  return `${(Math.round(ms * 10) / 10).toFixed(1)} ms`;
}

/** "0 bytes", "512 bytes", "1.5 KB", "2.3 MB". */
export function formatBytes(n: number): string {
  if (n === 1) return '1 byte';
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export type StatusClass = 'info' | 'ok' | 'redirect' | 'client' | 'server' | 'none';

/** The class of an HTTP status, for its colour. */
export function statusClass(status: number | null): StatusClass {
  if (status === null) return 'none';
  if (status < 200) return 'info';
  if (status < 300) return 'ok';
  if (status < 400) return 'redirect';
  if (status < 500) return 'client';
  return 'server';
}

/** Pretty JSON, two spaces. */
export const pretty = (v: JsonValue): string => JSON.stringify(v, null, 2);

/**
 * A value of a claim as one line of text, by kind: times as local time and
 * relative, lists comma-separated, objects as JSON. `null` is an absent value.
 */
export function formatValue(value: JsonValue, kind: ClaimKind, now: number, locale?: string): string {
  if (value === null) return '—';
  if (kind === 'time' && typeof value === 'number') return `${localTime(value, locale)} (${relative(value, now)})`;
  if (Array.isArray(value) && !value.length) return '(empty)';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}
