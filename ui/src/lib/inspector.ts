// The token inspector's wording and small decisions, kept out of the
// components so they can be tested.
import type { ChangeKind, CheckView, HistoryEntryView, SignatureView, TokenKind, TokenView } from './types';

export const tokenTitle: Record<TokenKind, string> = {
  id: 'ID token',
  access: 'Access token',
  refresh: 'Refresh token',
};

/** How long a revealed token stays on screen before it is hidden again. */
export const REVEAL_MS = 60_000;

/** "All 11 checks passed", "2 of 11 checks failed", "Not verified" when nothing was checked. */
export function reportSummary(checks: CheckView[]): string {
  const n = checks.length;
  if (!n) return 'Not verified: decoded only';
  const failed = checks.filter((c) => !c.passed).length;
  const warned = checks.filter((c) => c.passed && c.warning).length;
  const warnings = warned ? `, ${warned} with a warning` : '';
  if (!failed) return (n === 1 ? 'The one check passed' : `All ${n} checks passed`) + warnings;
  return `${failed} of ${n} check${n === 1 ? '' : 's'} failed`;
}

/** "Verified with key k1 (RS256, RSA 2048)", or why not. */
export function signatureText(s: SignatureView): string {
  if (!s.verified) return `Not verified: ${s.detail}`;
  const parts = [s.alg, s.key].filter(Boolean).join(', ');
  return `Verified with key ${s.kid ?? '(no kid)'} (${parts})`;
}

/** What revoking a token does to the session, for the confirm dialog. */
export function revokeConsequence(kind: TokenKind): string {
  return kind === 'refresh'
    ? 'Revoking the refresh token signs this profile out: Tessera forgets the session, and you sign in again to get new tokens.'
    : 'Revoking the access token ends it at the provider; the session stays, and its next use refreshes it first. Some providers also revoke the refresh token issued with it (RFC 7009 allows this): then that refresh fails and you sign in again.';
}

export const changeLabel: Record<ChangeKind, string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
};

/** "Opaque token (43 characters)" or "JWT, RS256". */
export function formatLine(t: TokenView): string {
  if (t.format.type === 'opaque') return `Opaque token (${t.format.length} characters)`;
  const alg = (t.format.jwt.header as Record<string, unknown> | null)?.alg;
  return typeof alg === 'string' ? `JWT · ${alg}` : 'JWT';
}

/**
 * History entries picked for comparing: ticking a third drops the oldest
 * pick, so at most two are ticked.
 */
export function togglePick(picked: number[], id: number): number[] {
  if (picked.includes(id)) return picked.filter((p) => p !== id);
  return [...picked, id].slice(-2);
}

/** The two picks in history order (older first), or null until there are two. */
export function pickedPair(picked: number[], entries: HistoryEntryView[]): { from: number; to: number } | null {
  if (picked.length !== 2) return null;
  const at = (id: number) => entries.findIndex((e) => e.id === id);
  if (at(picked[0]) < 0 || at(picked[1]) < 0) return null;
  const [a, b] = at(picked[0]) <= at(picked[1]) ? picked : [picked[1], picked[0]];
  return { from: a, to: b };
}

/** The default pair to compare: the last two entries, once there are two. */
export function latestPair(entries: HistoryEntryView[]): number[] {
  return entries.length >= 2 ? [entries[entries.length - 2].id, entries[entries.length - 1].id] : [];
}
