// The only module that talks to Rust. Every command and event is typed here
// (the commands' types come from Rust, in ./commands.ts); components call
// `ipc.*` and the `on*` functions, never `invoke` with a string.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { Commands } from './commands';
import type {
  ApiRequestForm,
  ClientChoiceForm,
  ErrorCode,
  ExchangeForm,
  HttpLogSummary,
  IpcError,
  KeyAlg,
  KeySource,
  OperationView,
  Overview,
  ProfileForm,
  RefreshFailed,
  SavedRequest,
  SignInEvent,
  SignOutMode,
  TokenKind,
} from './types';

export type Events = {
  overview: Overview;
  'sign-in': SignInEvent;
  'refresh-failed': RefreshFailed;
  'http-log': HttpLogSummary;
  /** An operation started, got a step (browser opened, redirect received…) or ended. */
  operations: OperationView;
};

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Any rejection as an `IpcError`, the one place that makes it: Rust sends that
 * shape (a field it leaves out is null); anything else becomes its text as a
 * message, without a code or fields.
 */
export function toIpcError(e: unknown): IpcError {
  const sent: Partial<Record<keyof IpcError, unknown>> = e !== null && typeof e === 'object' ? e : {};
  const message = text(sent.message);
  const field = (v: unknown) => (message === null ? null : text(v));
  return {
    code: field(sent.code) as ErrorCode | null, // Rust sends only its own codes
    message: message ?? String(e),
    redirect_uri: field(sent.redirect_uri),
    client_id: field(sent.client_id),
    profile: field(sent.profile),
    endpoint: field(sent.endpoint),
  };
}

declare const command: unique symbol;
/** A command's reply; its type also names the command (no value does), so `Wrappers` can match wrappers to commands. */
type Reply<K extends keyof Commands> = Promise<Commands[K][1]> & { readonly [command]?: K };

function call<K extends keyof Commands>(name: K, args: Commands[K][0]): Reply<K> {
  return invoke<Commands[K][1]>(name, args).catch((e: unknown) => {
    throw toIpcError(e);
  });
}

function on<K extends keyof Events>(event: K, handler: (payload: Events[K]) => void): Promise<UnlistenFn> {
  return listen<Events[K]>(event, (e) => handler(e.payload));
}

/** `set_active_profile` → `setActiveProfile`: the name of a command's wrapper. */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/**
 * Exactly one wrapper per command of `Commands`, named after it and calling
 * it: a command added in Rust without a wrapper, a wrapper whose command Rust
 * no longer has, or one calling another command fails `npm run check`.
 */
export type Wrappers = {
  [K in keyof Commands & string as CamelCase<K>]: (...args: never[]) => Reply<K>;
};

/** The commands, as components call them: `ipc.signIn(profile)`. */
export const ipc = {
  overview: () => call('overview', {}),
  setActiveProfile: (name: string) => call('set_active_profile', { name }),
  presets: () => call('presets', {}),
  profileGet: (name: string) => call('profile_get', { name }),
  profileSave: (form: ProfileForm, replacing: string | null) => call('profile_save', { form, replacing }),
  profileDuplicate: (name: string, newName: string) => call('profile_duplicate', { name, newName }),
  /** `deleteRegistration` first deletes the client Tessera registered at the provider (RFC 7592); only for a `registered_client`. */
  profileRemove: (name: string, deleteRegistration: boolean) => call('profile_remove', { name, deleteRegistration }),

  // Starting from an API URL (RFC 9728) and the provider conformance check
  resourceDiscover: (url: string) => call('resource_discover', { url }),
  /** Saves the profile (registering Tessera when asked) and makes it active; the sign-in is the usual one. */
  resourceSetUp: (url: string, profile: string | null, client: ClientChoiceForm) => call('resource_set_up', { url, profile, client }),
  providerConformance: (name: string) => call('provider_conformance', { name }),
  discover: (url: string, allowInsecureHttp: boolean) => call('discover', { url, allowInsecureHttp }),

  // Client keys for private_key_jwt, keyed by profile name (a key may exist before its profile)
  clientKeyGenerate: (name: string, alg: KeyAlg) => call('client_key_generate', { name, alg }),
  /** Paths only: Rust reads the files, so the private key never passes through the webview. */
  clientKeyImport: (name: string, keyFile: string, certFile: string | null, alg: KeyAlg | null) =>
    call('client_key_import', { name, keyFile, certFile, alg }),
  clientKeyGet: (name: string) => call('client_key_get', { name }),
  clientKeyCopyJwks: (name: string) => call('client_key_copy_jwks', { name }),

  signIn: (profile: string) => call('sign_in', { profile }),
  cancelSignIn: () => call('cancel_sign_in', {}),
  session: (profile: string) => call('session', { profile }),
  sessionPicture: (profile: string) => call('session_picture', { profile }),
  refreshSession: (profile: string) => call('refresh_session', { profile }),
  signOut: (profile: string, mode: SignOutMode) => call('sign_out', { profile, mode }),
  copyAccessToken: (profile: string) => call('copy_access_token', { profile }),

  // Token inspector
  inspectSession: (profile: string) => call('inspect_session', { profile }),
  /** Returns a token's value: only for an explicit "Reveal" by the user. */
  revealToken: (profile: string, kind: TokenKind) => call('reveal_token', { profile, kind }),
  copyToken: (profile: string, kind: TokenKind) => call('copy_token', { profile, kind }),
  introspectToken: (profile: string, kind: TokenKind) => call('introspect_token', { profile, kind }),
  revokeToken: (profile: string, kind: TokenKind) => call('revoke_token', { profile, kind }),
  sessionHistory: (profile: string) => call('session_history', { profile }),
  historyDiff: (profile: string, from: number, to: number) => call('history_diff', { profile, from, to }),
  decodeJwt: (token: string) => call('decode_jwt', { token }),
  verifyJwt: (token: string, keys: KeySource) => call('verify_jwt', { token, keys }),
  providerView: (profile: string) => call('provider_view', { profile }),
  httpLog: () => call('http_log', {}),
  httpLogEntry: (id: number) => call('http_log_entry', { id }),
  httpLogClear: () => call('http_log_clear', {}),
  /** The last 50 operations (sign-in, refresh, API call…), oldest first; their exchanges are the HTTP log entries tagged with their id. */
  operations: () => call('operations', {}),
  tokenExchange: (profile: string, form: ExchangeForm) => call('token_exchange', { profile, form }),
  /** Rust writes the clipboard; the exchanged token never enters the webview. */
  exchangedTokenCopy: (id: number) => call('exchanged_token_copy', { id }),
  /** This run's exchanges from the profile, newest first (kept in memory by Rust only). */
  exchangeHistory: (profile: string) => call('exchange_history', { profile }),
  /** RFC 7662, asked by the client that holds the exchanged token. */
  exchangedTokenIntrospect: (id: number) => call('exchanged_token_introspect', { id }),

  // API panel
  apiSend: (profile: string, request: ApiRequestForm, refreshFirst: boolean) =>
    call('api_send', { profile, request, refreshFirst }),
  apiSaveResponse: (id: number) => call('api_save_response', { id }),
  savedRequests: (profile: string) => call('saved_requests', { profile }),
  savedRequestPut: (profile: string, saved: SavedRequest) => call('saved_request_put', { profile, saved }),
  savedRequestDelete: (profile: string, name: string) => call('saved_request_delete', { profile, name }),
  curlPreview: (profile: string, request: ApiRequestForm) => call('curl_preview', { profile, request }),
  copyCurl: (profile: string, request: ApiRequestForm, inline: boolean) => call('copy_curl', { profile, request, inline }),
} satisfies Wrappers;

export const onOverview = (handler: (o: Overview) => void) => on('overview', handler);
export const onSignIn = (handler: (e: SignInEvent) => void) => on('sign-in', handler);
export const onRefreshFailed = (handler: (e: RefreshFailed) => void) => on('refresh-failed', handler);
export const onHttpLog = (handler: (e: HttpLogSummary) => void) => on('http-log', handler);
export const onOperation = (handler: (o: OperationView) => void) => on('operations', handler);
