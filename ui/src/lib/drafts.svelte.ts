// The API panel's request and last response per profile, kept while the app
// runs so switching tabs or profiles does not lose them. Holds no token:
// Rust adds the access token when it sends.
import { newRequest } from './api';
import type { ApiRequestForm, ApiResponseView } from './types';

export type ApiDraft = {
  request: ApiRequestForm;
  /** The last response, and the request exactly as sent for it. */
  response: ApiResponseView | null;
  sent: ApiRequestForm | null;
  /** The response came from "Refresh and retry": no second retry. */
  retried: boolean;
  error: string | null;
};

const drafts: Record<string, ApiDraft> = $state({});

/** The profile's draft, started from the default request the first time. */
export function draftFor(profile: string, issuer: string): ApiDraft {
  drafts[profile] ??= { request: newRequest(issuer), response: null, sent: null, retried: false, error: null };
  return drafts[profile];
}

/** Forgets a profile's draft (its profile was removed). */
export function dropDraft(profile: string) {
  delete drafts[profile];
}
