// How each error code is shown.
import type { ErrorCode, IpcError } from './types';

export type Treatment = {
  title: string;
  tone: 'quiet' | 'warning' | 'error';
  hint: string | null;
  /** The fix is in the profile: the banner offers to edit it. */
  fixInProfile?: boolean;
  /** The error is about this field of the profile editor, which shows it there instead of in a banner. */
  field?: 'name';
};

// Every code Rust can send (a new one fails `npm run check` until it is given a treatment).
const TREATMENTS: Record<ErrorCode, Treatment> = {
  cancelled: { title: 'Sign-in cancelled', tone: 'quiet', hint: null },
  redirect_uri_rejected: {
    title: 'The provider refused the redirect URI',
    tone: 'error',
    hint: 'Register the exact URI below for this client at the provider, or change the redirect in the profile.',
    fixInProfile: true,
  },
  // The engine's message already says what to check.
  client_rejected: { title: 'The provider refused this client', tone: 'error', hint: null, fixInProfile: true },
  state_mismatch: {
    title: 'The redirect was not for this sign-in',
    tone: 'error',
    hint: 'Another sign-in or a forged link came back. Try again from Tessera.',
  },
  validation_failed: {
    title: 'A token failed validation',
    tone: 'error',
    hint: 'Tessera refused the response. The message says which check failed.',
  },
  timed_out: {
    title: 'Nobody came back from the browser',
    tone: 'warning',
    hint: 'Finish signing in within the time limit, and check the redirect URI registered at the provider.',
  },
  // A device code not approved in time, and a sign-in the user declined at the provider.
  code_expired: {
    title: 'The code expired',
    tone: 'warning',
    hint: 'Start again and approve it sooner on the other device.',
  },
  denied: {
    title: 'Access was denied',
    tone: 'warning',
    hint: 'The sign-in was declined at the provider. Start again to approve it, or sign in as another user.',
  },
  network: { title: 'The provider could not be reached', tone: 'error', hint: 'Check the issuer URL and your connection.', fixInProfile: true },
  discovery_failed: {
    title: "The provider's metadata is unusable",
    tone: 'error',
    hint: 'Check the issuer: it must be exactly what the provider calls itself.',
    fixInProfile: true,
  },
  // Another sign-in in this app, or another Tessera process (the app or the
  // `tessera` command) updating this profile's session.
  busy: { title: 'Another sign-in or refresh is under way', tone: 'warning', hint: 'Let it finish, or cancel it, then try again.' },
  keyring_locked: { title: 'The keyring is locked', tone: 'error', hint: 'Unlock your keyring and try again.' },
  keyring_unavailable: { title: 'No keyring', tone: 'error', hint: 'Tessera keeps tokens only in the OS keyring; start one.' },
  session_expired: { title: 'The session is over', tone: 'warning', hint: 'Sign in again.' },
  not_signed_in: { title: 'Not signed in', tone: 'warning', hint: null },
  invalid_profile: { title: 'The profile needs fixing', tone: 'error', hint: null, fixInProfile: true },
  profile_exists: { title: 'That profile name is taken', tone: 'error', hint: 'Choose another name.', field: 'name' },
};

export function treatment(error: IpcError): Treatment {
  return (error.code && TREATMENTS[error.code]) || { title: 'Something went wrong', tone: 'error', hint: null };
}

/** The ARIA role of a banner in this tone: errors interrupt, a quiet note does not. */
export const bannerRole = (t: Treatment): 'alert' | 'status' => (t.tone === 'quiet' ? 'status' : 'alert');
