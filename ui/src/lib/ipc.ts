// The only module that talks to Rust. Every command and event is typed here;
// components call these functions, never `invoke` with a string.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  ApiRequestForm,
  ApiResponseView,
  ClaimChangeView,
  HistoryEntryView,
  HttpLogDetail,
  HttpLogSummary,
  InspectionView,
  IntrospectionView,
  JwtView,
  KeySource,
  ProviderView,
  SavedRequest,
  TokenKind,
  IpcError,
  Overview,
  Preset,
  ProfileForm,
  ProviderReport,
  RefreshFailed,
  SessionView,
  SignInEvent,
  SignOutMode,
} from './types';

/** Each command's arguments and result, as the Rust side declares them. */
export type Commands = {
  overview: [Record<string, never>, Overview];
  set_active_profile: [{ name: string }, Overview];
  presets: [Record<string, never>, Preset[]];
  profile_get: [{ name: string }, ProfileForm];
  profile_save: [{ form: ProfileForm; replacing: string | null }, Overview];
  profile_duplicate: [{ name: string; newName: string }, Overview];
  profile_remove: [{ name: string }, Overview];
  discover: [{ url: string; allowInsecureHttp: boolean }, ProviderReport];
  sign_in: [{ profile: string }, SessionView];
  cancel_sign_in: [Record<string, never>, null];
  session: [{ profile: string }, SessionView | null];
  session_picture: [{ profile: string }, string | null];
  refresh_session: [{ profile: string }, SessionView];
  sign_out: [{ profile: string; mode: SignOutMode }, Overview];
  copy_access_token: [{ profile: string }, null];
  inspect_session: [{ profile: string }, InspectionView];
  reveal_token: [{ profile: string; kind: TokenKind }, string];
  copy_token: [{ profile: string; kind: TokenKind }, null];
  introspect_token: [{ profile: string; kind: TokenKind }, IntrospectionView];
  revoke_token: [{ profile: string; kind: TokenKind }, Overview];
  session_history: [{ profile: string }, HistoryEntryView[]];
  history_diff: [{ profile: string; from: number; to: number }, ClaimChangeView[]];
  decode_jwt: [{ token: string }, JwtView];
  verify_jwt: [{ token: string; keys: KeySource }, JwtView];
  provider_view: [{ profile: string }, ProviderView];
  http_log: [Record<string, never>, HttpLogSummary[]];
  http_log_entry: [{ id: number }, HttpLogDetail];
  http_log_clear: [Record<string, never>, null];
  api_send: [{ profile: string; request: ApiRequestForm; refreshFirst: boolean }, ApiResponseView];
  api_save_response: [{ id: number }, string];
  saved_requests: [{ profile: string }, SavedRequest[]];
  saved_request_put: [{ profile: string; saved: SavedRequest }, SavedRequest[]];
  saved_request_delete: [{ profile: string; name: string }, SavedRequest[]];
  curl_preview: [{ profile: string; request: ApiRequestForm }, string];
  copy_curl: [{ profile: string; request: ApiRequestForm; inline: boolean }, null];
};

export type Events = {
  overview: Overview;
  'sign-in': SignInEvent;
  'refresh-failed': RefreshFailed;
  'http-log': HttpLogSummary;
};

/** Any rejection as `{code, message}`: Rust sends that shape; anything else is wrapped. */
export function toIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object' && 'message' in e && typeof (e as IpcError).message === 'string') {
    const code = (e as IpcError).code ?? null;
    return { code, message: (e as IpcError).message };
  }
  return { code: null, message: String(e) };
}

async function call<K extends keyof Commands>(command: K, args: Commands[K][0]): Promise<Commands[K][1]> {
  try {
    return await invoke<Commands[K][1]>(command, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

function on<K extends keyof Events>(event: K, handler: (payload: Events[K]) => void): Promise<UnlistenFn> {
  return listen<Events[K]>(event, (e) => handler(e.payload));
}

export const overview = () => call('overview', {});
export const setActiveProfile = (name: string) => call('set_active_profile', { name });
export const presets = () => call('presets', {});
export const profileGet = (name: string) => call('profile_get', { name });
export const profileSave = (form: ProfileForm, replacing: string | null) => call('profile_save', { form, replacing });
export const profileDuplicate = (name: string, newName: string) => call('profile_duplicate', { name, newName });
export const profileRemove = (name: string) => call('profile_remove', { name });
export const discover = (url: string, allowInsecureHttp: boolean) => call('discover', { url, allowInsecureHttp });
export const signIn = (profile: string) => call('sign_in', { profile });
export const cancelSignIn = () => call('cancel_sign_in', {});
export const session = (profile: string) => call('session', { profile });
export const sessionPicture = (profile: string) => call('session_picture', { profile });
export const refreshSession = (profile: string) => call('refresh_session', { profile });
export const signOut = (profile: string, mode: SignOutMode) => call('sign_out', { profile, mode });
export const copyAccessToken = (profile: string) => call('copy_access_token', { profile });

// Token inspector
export const inspectSession = (profile: string) => call('inspect_session', { profile });
/** Returns a token's value: only for an explicit "Reveal" by the user. */
export const revealToken = (profile: string, kind: TokenKind) => call('reveal_token', { profile, kind });
export const copyToken = (profile: string, kind: TokenKind) => call('copy_token', { profile, kind });
export const introspectToken = (profile: string, kind: TokenKind) => call('introspect_token', { profile, kind });
export const revokeToken = (profile: string, kind: TokenKind) => call('revoke_token', { profile, kind });
export const sessionHistory = (profile: string) => call('session_history', { profile });
export const historyDiff = (profile: string, from: number, to: number) => call('history_diff', { profile, from, to });
export const decodeJwt = (token: string) => call('decode_jwt', { token });
export const verifyJwt = (token: string, keys: KeySource) => call('verify_jwt', { token, keys });
export const providerView = (profile: string) => call('provider_view', { profile });
export const httpLog = () => call('http_log', {});
export const httpLogEntry = (id: number) => call('http_log_entry', { id });
export const httpLogClear = () => call('http_log_clear', {});

// API panel
export const apiSend = (profile: string, request: ApiRequestForm, refreshFirst: boolean) =>
  call('api_send', { profile, request, refreshFirst });
export const apiSaveResponse = (id: number) => call('api_save_response', { id });
export const savedRequests = (profile: string) => call('saved_requests', { profile });
export const savedRequestPut = (profile: string, saved: SavedRequest) => call('saved_request_put', { profile, saved });
export const savedRequestDelete = (profile: string, name: string) => call('saved_request_delete', { profile, name });
export const curlPreview = (profile: string, request: ApiRequestForm) => call('curl_preview', { profile, request });
export const copyCurl = (profile: string, request: ApiRequestForm, inline: boolean) =>
  call('copy_curl', { profile, request, inline });

export const onOverview = (handler: (o: Overview) => void) => on('overview', handler);
export const onSignIn = (handler: (e: SignInEvent) => void) => on('sign-in', handler);
export const onRefreshFailed = (handler: (e: RefreshFailed) => void) => on('refresh-failed', handler);
export const onHttpLog = (handler: (e: HttpLogSummary) => void) => on('http-log', handler);
