// Display helpers shared by the inspector, API and HTTP log tabs.
import type { ClaimKind, JsonValue } from './types';
import { displayValue, listItems } from './claims';

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
  if (Array.isArray(value)) return value.length ? listItems(value).join(', ') : '(empty)';
  return displayValue(value, kind, now, locale);
}
