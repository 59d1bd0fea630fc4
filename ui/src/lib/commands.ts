// Generated from the Rust commands by a test in src-tauri (cargo test -p tessera-desktop); do not edit.
import type {
  ApiRequestForm,
  ApiResponseView,
  ClaimChangeView,
  ClientChoiceForm,
  ClientKeyView,
  ConformanceView,
  ExchangeForm,
  ExchangeView,
  HistoryEntryView,
  HttpLogDetail,
  HttpLogSummary,
  InspectionView,
  IntrospectionView,
  JwtView,
  KeyAlg,
  KeySource,
  OperationView,
  Overview,
  Preset,
  ProfileForm,
  ProviderReport,
  ProviderView,
  ResourceDiscoveryView,
  ResourceSetUpView,
  SavedRequest,
  SessionView,
  SignOutMode,
  TokenKind,
} from './bindings';

/** Each command's arguments and result, as the Rust side declares them. */
export type Commands = {
  overview: [Record<string, never>, Overview];
  set_active_profile: [{ name: string }, Overview];
  presets: [Record<string, never>, Preset[]];
  profile_get: [{ name: string }, ProfileForm];
  profile_save: [{ form: ProfileForm; replacing: string | null }, Overview];
  profile_duplicate: [{ name: string; newName: string }, Overview];
  profile_remove: [{ name: string; deleteRegistration: boolean }, Overview];
  resource_discover: [{ url: string }, ResourceDiscoveryView];
  resource_set_up: [{ url: string; profile: string | null; client: ClientChoiceForm }, ResourceSetUpView];
  provider_conformance: [{ name: string }, ConformanceView];
  discover: [{ url: string; allowInsecureHttp: boolean }, ProviderReport];
  client_key_generate: [{ name: string; alg: KeyAlg }, ClientKeyView];
  client_key_import: [{ name: string; keyFile: string; certFile: string | null; alg: KeyAlg | null }, ClientKeyView];
  client_key_get: [{ name: string }, ClientKeyView | null];
  client_key_copy_jwks: [{ name: string }, null];
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
  token_exchange: [{ profile: string; form: ExchangeForm }, ExchangeView];
  exchange_history: [{ profile: string }, ExchangeView[]];
  exchanged_token_copy: [{ id: number }, null];
  exchanged_token_introspect: [{ id: number }, IntrospectionView];
  operations: [Record<string, never>, OperationView[]];
  api_send: [{ profile: string; request: ApiRequestForm; refreshFirst: boolean }, ApiResponseView];
  api_save_response: [{ id: number }, string];
  saved_requests: [{ profile: string }, SavedRequest[]];
  saved_request_put: [{ profile: string; saved: SavedRequest }, SavedRequest[]];
  saved_request_delete: [{ profile: string; name: string }, SavedRequest[]];
  curl_preview: [{ profile: string; request: ApiRequestForm }, string];
  copy_curl: [{ profile: string; request: ApiRequestForm; inline: boolean }, null];
};
