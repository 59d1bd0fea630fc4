// The profile editor's security profile (what FAPI 2.0 asks for): pushed
// authorization requests, DPoP-bound tokens, signed request objects and
// signed responses. What each option means, when the editor shows it, and
// how a token's type reads. Rust decides what is valid; this only decides
// what to show.
import type { ClientAuth, Grant, KeyAlg } from './types';

export type SecurityOption = 'par' | 'dpop' | 'request_object' | 'jarm';

/** Each option with a one-line explanation. */
export const SECURITY_OPTIONS: Record<SecurityOption, { label: string; detail: string }> = {
  par: {
    label: 'Pushed authorization request (PAR)',
    detail: 'The request goes to the provider first; the browser carries only a reference (RFC 9126).',
  },
  dpop: {
    label: 'Bind tokens with DPoP',
    detail: 'Tokens work only with a key kept in your keyring; a stolen token is useless (RFC 9449). The key is made on first use.',
  },
  request_object: {
    label: 'Signed request object (JAR)',
    detail: 'The request is sent as a JWT signed with the client key, so nobody can change it on the way (RFC 9101).',
  },
  jarm: {
    label: 'Response as a signed JWT (JARM)',
    detail: 'The provider signs the answer the browser brings back; Tessera checks it before it reads the code.',
  },
};

/** Said once for the section: the provider's discovery document can ask for more than the profile does. */
export const PROVIDER_DECIDES =
  'A provider that requires pushed authorization requests or signed request objects gets them anyway: its discovery document decides.';

/** ES256 first: the default (when the profile names none) and FAPI's choice. */
export const DPOP_ALGS: { value: KeyAlg; label: string }[] = [
  { value: 'ES256', label: 'ES256 (ECDSA P-256, the default)' },
  { value: 'EdDSA', label: 'EdDSA (Ed25519)' },
  { value: 'RS256', label: 'RS256 (RSA 2048; not allowed by FAPI 2.0)' },
  { value: 'PS256', label: 'PS256 (RSA-PSS 2048)' },
];
export const DEFAULT_DPOP_ALG: KeyAlg = 'ES256';

/** Which options of the security section the editor shows; DPoP itself is shown for every grant. */
export type SecurityFields = {
  /** PAR, the request object and the response mode: only a browser sign-in has an authorization request. */
  authorizationRequest: boolean;
  /** The DPoP key's algorithm: when DPoP is on. */
  dpopAlg: boolean;
};

export function securityFields(grant: Grant, dpop: boolean): SecurityFields {
  return { authorizationRequest: grant === 'authorization_code', dpopAlg: dpop };
}

/** The request object is signed with the client key, which only private_key_jwt has. */
export const requestObjectAllowed = (auth: ClientAuth) => auth === 'private_key_jwt';

/** Why the request object cannot be chosen with this client authentication, or null when it can. */
export function requestObjectHint(auth: ClientAuth): string | null {
  return requestObjectAllowed(auth) ? null : 'Needs private_key_jwt (under Client authentication): the request object is signed with the client key.';
}

/** The DPoP algorithm the select shows: the profile's, or the default when it names none. */
export const dpopAlgShown = (alg: KeyAlg | null): KeyAlg => alg ?? DEFAULT_DPOP_ALG;

/** The DPoP algorithm the profile records for a choice: none for the default, so the profile file stays short. */
export const dpopAlgChosen = (alg: KeyAlg): KeyAlg | null => (alg === DEFAULT_DPOP_ALG ? null : alg);

/** The algorithms to offer: the usual ones, and the profile's own when it names another (set with the command line). */
export function dpopAlgOptions(current: KeyAlg | null): { value: KeyAlg; label: string }[] {
  if (!current || DPOP_ALGS.some((a) => a.value === current)) return DPOP_ALGS;
  return [...DPOP_ALGS, { value: current, label: current }];
}

/**
 * A note when saving changes DPoP for a signed-in profile: its token was
 * issued as it was asked for, so the change takes effect at the next
 * sign-in. Null when nothing changes or nobody is signed in.
 */
export function dpopChangeNote(before: boolean, after: boolean, signedIn: boolean): string | null {
  if (!signedIn || before === after) return null;
  return after
    ? 'The current token is a Bearer token: sign in again after saving to get a DPoP-bound one.'
    : 'The current token stays DPoP-bound: sign in again after saving to get a Bearer token.';
}

/** Whether a token type (as the provider sent it, any case) is DPoP. */
export const isDpop = (tokenType: string) => tokenType.trim().toLowerCase() === 'dpop';

/** A token type as shown: "DPoP-bound" for a DPoP token, others as the provider sent them. */
export function tokenTypeText(tokenType: string): string {
  if (isDpop(tokenType)) return 'DPoP-bound';
  return tokenType.trim() || 'unknown type';
}
