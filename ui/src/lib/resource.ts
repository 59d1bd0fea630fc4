// Starting from an API URL: what the From-an-API-URL dialog offers after
// Rust walked from the URL to its authorization servers (RFC 9728), and what
// it says once the profile is made. Rust does the walk and the set-up; these
// only shape the choices and the words.
import type { ApiResponseView, ClientChoiceForm, ResourceDiscoveryView, ResourceSetUpView, ServerView } from './types';

/** How the new profile gets its client: Tessera registers itself (RFC 7591), or a client id registered by hand. */
export type ClientChoice = 'register' | 'given';

/** The server the profile will use: the first usable one, as the engine picks it. */
export const usableServer = (view: ResourceDiscoveryView): ServerView | null => view.authorization_servers.find((s) => s.usable) ?? null;

/** Whether Tessera can register itself at the server the profile will use. */
export const canRegister = (view: ResourceDiscoveryView): boolean => usableServer(view)?.dynamic_registration ?? false;

/** Registering when the server allows it, since it needs nothing from the user; a client id otherwise. */
export const defaultClientChoice = (view: ResourceDiscoveryView): ClientChoice => (canRegister(view) ? 'register' : 'given');

/** The client choice as Rust takes it; null while a client id is asked for and still empty. */
export function clientChoiceForm(choice: ClientChoice, clientId: string): ClientChoiceForm | null {
  if (choice === 'register') return { kind: 'register' };
  const id = clientId.trim();
  return id ? { kind: 'given', client_id: id } : null;
}

/** Whether "Create profile" may be pressed: a usable server, and a client it can use. */
export function canCreate(view: ResourceDiscoveryView, choice: ClientChoice, clientId: string): boolean {
  if (!view.usable) return false;
  if (choice === 'register' && !canRegister(view)) return false;
  return clientChoiceForm(choice, clientId) !== null;
}

/** The ways a server lets a client in, in plain words, for its row in the report. */
export function registrationRoutes(server: ServerView): string[] {
  const routes: string[] = [];
  if (server.dynamic_registration) routes.push('dynamic registration (RFC 7591)');
  if (server.client_id_metadata_document) routes.push('a client ID metadata document');
  if (server.pre_registered_only) routes.push('pre-registered clients only');
  if (!routes.length) routes.push('no registration route advertised: ask its administrator for a client id');
  return routes;
}

/** What the toast says once the profile is made (or found made already), and what to do next. */
export function setUpToast(result: ResourceSetUpView): string {
  const signedIn = result.overview.profiles.some((p) => p.name === result.profile && p.signed_in);
  const next = signedIn ? 'It is signed in: call the API from the API tab.' : 'Sign in to call the API.';
  if (result.reused) return `Profile ${result.profile} was already set up for ${result.resource}. ${next}`;
  const client = result.registered ? 'client registered at the provider' : `client ${result.client_id}`;
  return `Profile ${result.profile} made for ${result.resource} (${client}). ${next}`;
}

/**
 * Whether the API panel offers to set up sign-in for the API that answered:
 * a 401 whose challenge says where the API's protected resource metadata is
 * (RFC 9728 §5.1), which is where the walk starts.
 */
export const setUpOffered = (response: Pick<ApiResponseView, 'status' | 'challenge'>): boolean =>
  response.status === 401 && !!response.challenge?.resource_metadata;
