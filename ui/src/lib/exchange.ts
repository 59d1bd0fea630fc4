// Token exchange (RFC 8693) in the inspector: the form as the user types it,
// what goes to Rust, and how the answer reads. Rust sends the request, keeps
// the issued token and decodes it; the token never enters the webview.
import type { ExchangeForm, ProfileSummary, TokenKind } from './types';

/** The form as typed: audiences and resources one per line. */
export type ExchangeDraft = {
  subject: TokenKind;
  audiences: string;
  resources: string;
  scope: string;
  requestedTokenType: string;
  /** Empty: no actor. */
  actorProfile: string;
};

export const emptyDraft = (subject: TokenKind = 'access'): ExchangeDraft => ({
  subject,
  audiences: '',
  resources: '',
  scope: '',
  requestedTokenType: '',
  actorProfile: '',
});

/** The lines of `text`, trimmed, blank ones dropped. */
export const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

const optional = (text: string): string | null => text.trim() || null;

/** The draft as Rust takes it: lists without blank lines, blank text as null, the scope's spaces collapsed. */
export function exchangeForm(d: ExchangeDraft): ExchangeForm {
  return {
    subject: d.subject,
    audiences: lines(d.audiences),
    resources: lines(d.resources),
    scope: optional(d.scope.split(/\s+/).filter(Boolean).join(' ')),
    requested_token_type: optional(d.requestedTokenType),
    actor_profile: optional(d.actorProfile),
  };
}

/** The token types of RFC 8693 §3, by URN. */
export const TOKEN_TYPES: { urn: string; label: string }[] = [
  { urn: 'urn:ietf:params:oauth:token-type:access_token', label: 'access token' },
  { urn: 'urn:ietf:params:oauth:token-type:refresh_token', label: 'refresh token' },
  { urn: 'urn:ietf:params:oauth:token-type:id_token', label: 'ID token' },
  { urn: 'urn:ietf:params:oauth:token-type:jwt', label: 'JWT' },
  { urn: 'urn:ietf:params:oauth:token-type:saml2', label: 'SAML 2.0 assertion' },
  { urn: 'urn:ietf:params:oauth:token-type:saml1', label: 'SAML 1.1 assertion' },
];

/** "access token" for the access token's URN; other URNs as they are; null for none. */
export function tokenTypeLabel(urn: string | null): string | null {
  if (!urn) return null;
  return TOKEN_TYPES.find((t) => t.urn === urn)?.label ?? urn;
}

/**
 * The profiles that can act for this one: every other profile, signed-in
 * ones first (only a signed-in profile has an access token to act with).
 */
export function actorChoices(profiles: ProfileSummary[], self: string): { name: string; signedIn: boolean }[] {
  return profiles
    .filter((p) => p.name !== self)
    .map((p) => ({ name: p.name, signedIn: p.signed_in }))
    .sort((a, b) => Number(b.signedIn) - Number(a.signedIn) || a.name.localeCompare(b.name));
}

/** The subject to start with: the access token when there is one, else the first token. */
export function defaultSubject(kinds: TokenKind[]): TokenKind {
  return kinds.includes('access') ? 'access' : (kinds[0] ?? 'access');
}
