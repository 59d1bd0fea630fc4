// Display helpers for the claims table.
import type { ClaimKind, ClaimSource, ClaimView, JsonValue } from './types';
import { localTime, relative } from './time';

export const sourceLabel: Record<ClaimSource, string> = {
  id_token: 'ID token',
  userinfo: 'userinfo',
  both: 'both',
};

/** The claim's value as one line of text (lists and times are shown otherwise). */
export function display(claim: ClaimView, now: number, locale?: string): string {
  return displayValue(claim.value, claim.kind, now, locale);
}

/** A value of the given kind as one line of text: times as local and relative, the rest as text or JSON. */
export function displayValue(v: JsonValue, kind: ClaimKind, now: number, locale?: string): string {
  if (kind === 'time' && typeof v === 'number') return `${localTime(v, locale)} (${relative(v, now)})`;
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** The items of a list claim as strings. */
export function listItems(value: JsonValue): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

/** Up to two initials for an avatar without a picture. */
export function initials(name: string): string {
  const words = name
    .replace(/@.*/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0][0], words[words.length - 1][0]] : [...(words[0] ?? '?').slice(0, 2)];
  return letters.join('').toUpperCase();
}

/** Host of an issuer for compact display; the issuer itself when it is not a URL. */
export function host(issuer: string): string {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
}
