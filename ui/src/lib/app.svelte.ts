// The window's state, shared by the components, and the actions that change
// it. Everything the user sees comes from Rust through ipc.ts.
import { ipc, onHttpLog, onOperation, onOverview, onRefreshFailed, onSignIn, toIpcError } from './ipc';
import { attempt } from './latest';
import { redirectDisplay } from './form';
import { mergeOperations } from './flow';
import { appendLog, mergeLog } from './httplog';
import type { TabId } from './tabs';
import { nowSeconds } from './time';
import type {
  HttpLogSummary,
  IpcError,
  OperationView,
  Overview,
  Preset,
  ProfileForm,
  ProfileSummary,
  SessionView,
  SignInPhase,
  SignOutMode,
  TokenKind,
} from './types';

export type Toast = { id: number; text: string; tone: 'info' | 'error' };
export type Editor = { mode: 'add' | 'edit' | 'duplicate'; form: ProfileForm; replacing: string | null };
export type FromApiUrl = { url: string; discover: boolean };

export const app = $state({
  overview: null as Overview | null,
  session: null as SessionView | null,
  picture: null as string | null,
  /** The sign-in in flight or just ended, for the profile it belongs to. */
  signIn: null as { profile: string; phase: SignInPhase } | null,
  /** A sign-in was asked for and no progress has arrived yet. */
  starting: null as string | null,
  /** The redirect URI of each profile's latest sign-in, as Rust reported it while waiting. */
  redirectUris: {} as Record<string, string>,
  editor: null as Editor | null,
  /** The From-an-API-URL dialog, open with this URL (discovery started at once when `discover`). */
  fromApiUrl: null as FromApiUrl | null,
  presets: [] as Preset[],
  now: nowSeconds(),
  toasts: [] as Toast[],
  loadError: null as IpcError | null,
  /** The tab of the signed-in view. */
  tab: 'profile' as TabId,
  /** The HTTP log: what Rust had when the tab opened, plus every entry since (at most 200). */
  httpLog: [] as HttpLogSummary[],
  /** The HTTP log entry to open when the HTTP log tab shows next (a click on a flow diagram's arrow). */
  logFocus: null as number | null,
  /** The operations Rust keeps (the last 50), oldest first, kept up to date by its events. */
  operations: [] as OperationView[],
});

let toastId = 0;
export function toast(text: string, tone: Toast['tone'] = 'info') {
  const id = ++toastId;
  app.toasts.push({ id, text, tone });
  setTimeout(() => (app.toasts = app.toasts.filter((t) => t.id !== id)), tone === 'error' ? 8000 : 3500);
}

export const active = () => app.overview?.active ?? null;

/** Whether a sign-in in this phase is still under way (waiting for the browser or another device, or checking tokens). */
export const underWay = (phase: SignInPhase | null | undefined): boolean =>
  phase?.type === 'waiting' || phase?.type === 'device' || phase?.type === 'exchanging';

/** The profile whose sign-in is under way (asked for, waiting for the browser or another device, or checking tokens), if any. */
export function signingIn(): string | null {
  if (app.signIn && underWay(app.signIn.phase)) return app.signIn.profile;
  return app.starting;
}
export const activeSummary = () => app.overview?.profiles.find((p) => p.name === active()) ?? null;

/**
 * The profile's picture, fetched once however many callers ask at the same
 * time: a sign-in and the overview event it causes both want it.
 */
let pictureInFlight: { profile: string; picture: Promise<string | null> } | null = null;
function fetchPicture(profile: string): Promise<string | null> {
  if (pictureInFlight?.profile === profile) return pictureInFlight.picture;
  const picture = ipc.sessionPicture(profile).catch(() => null);
  const entry = { profile, picture };
  pictureInFlight = entry;
  void picture.finally(() => {
    if (pictureInFlight === entry) pictureInFlight = null;
  });
  return picture;
}

/** The session and picture of the active profile, fetched again. */
export async function loadSession() {
  const name = active();
  if (!name) {
    app.session = null;
    app.picture = null;
    return;
  }
  const got = await attempt(ipc.session(name));
  if (!got.ok) {
    app.session = null;
    toast(got.error.message, 'error');
    return;
  }
  if (active() !== name) return;
  const view = got.value;
  const pictureChanged = view?.subject !== app.session?.subject || view?.profile !== app.session?.profile;
  app.session = view;
  if (!view?.has_picture) app.picture = null;
  else if (pictureChanged || !app.picture) app.picture = await fetchPicture(name);
}

/** Whether an overview from Rust may change what the window shows of the active profile's session. */
export function sessionMayHaveChanged(before: Overview | null, after: Overview): boolean {
  if (before?.active !== after.active) return true;
  const was = before?.profiles.find((p) => p.name === after.active);
  const is = after.profiles.find((p) => p.name === after.active);
  return was?.signed_in !== is?.signed_in || was?.expires_at !== is?.expires_at || was?.user !== is?.user;
}

/** Subscribes to Rust's events and loads the first state; returns what stops it all again. */
export async function init(): Promise<() => void> {
  const timer = setInterval(() => (app.now = nowSeconds()), 1000);
  const stops: (() => void)[] = [() => clearInterval(timer)];
  const stop = () => stops.forEach((f) => f());
  try {
    // Every listener is in place before the first overview is read, so no
    // change is missed; the calls go out together rather than one by one,
    // since each is a round trip to Rust before the first view can show.
    stops.push(
      ...(await Promise.all([
        onOverview((o) => {
          const reload = sessionMayHaveChanged(app.overview, o);
          app.overview = o;
          if (reload) void loadSession();
        }),
        onSignIn((e) => {
          app.signIn = { profile: e.profile, phase: e.phase };
          if (e.phase.type === 'waiting') app.redirectUris[e.profile] = e.phase.redirect_uri;
          if (app.starting === e.profile) app.starting = null;
          if (e.phase.type === 'signed_in') void loadSession();
        }),
        onRefreshFailed((e) => toast(`Could not refresh ${e.profile}: ${e.error.message}`, 'error')),
        onHttpLog((e) => (app.httpLog = appendLog(app.httpLog, e))),
        onOperation((o) => (app.operations = mergeOperations(app.operations, [o]))),
      ])),
    );
    const [presets, overview] = await Promise.all([ipc.presets(), ipc.overview()]);
    app.presets = presets;
    app.overview = overview;
    await Promise.all([loadSession(), loadOperations()]);
  } catch (e) {
    app.loadError = toIpcError(e);
  }
  return stop;
}

export async function select(name: string) {
  if (name === active()) return;
  app.editor = null;
  const switched = await attempt(ipc.setActiveProfile(name));
  if (!switched.ok) return toast(switched.error.message, 'error');
  app.overview = switched.value;
  app.session = null;
  app.picture = null;
  await loadSession();
}

/** Hides the outcome of the last sign-in (its error banner). */
export function dismissSignIn() {
  if (app.signIn?.phase.type === 'failed' || app.signIn?.phase.type === 'signed_in') app.signIn = null;
}

/** Copies text the webview may see (links, redirect URIs; never tokens) and says so. */
export async function copyText(text: string, what: string) {
  try {
    await navigator.clipboard.writeText(text);
    toast(`${what} copied`);
  } catch {
    toast(`Could not copy the ${what.toLowerCase()}; select it and copy by hand`, 'error');
  }
}

/**
 * The redirect URI a profile is configured with, as the user registers it:
 * only a browser sign-in has one (the summary says which grant), so only
 * then is the profile read.
 */
export async function configuredRedirect(profile: Pick<ProfileSummary, 'name' | 'grant'>): Promise<string | null> {
  if (profile.grant !== 'authorization_code') return null;
  try {
    const form = await ipc.profileGet(profile.name);
    return form.grant === 'authorization_code' ? redirectDisplay(form.redirect) : null;
  } catch {
    return null;
  }
}

export async function signIn() {
  const name = active();
  if (!name) return;
  app.signIn = null;
  app.starting = name;
  const signedIn = await attempt(ipc.signIn(name));
  if (signedIn.ok) {
    app.session = signedIn.value;
    app.picture = signedIn.value.has_picture ? await fetchPicture(name) : null;
  } else {
    // The `sign-in` event carries the same error; keep it in case it raced.
    app.signIn = { profile: name, phase: { type: 'failed', error: signedIn.error } };
  }
  app.starting = null;
}

export async function cancelSignIn() {
  const cancelled = await attempt(ipc.cancelSignIn());
  if (!cancelled.ok) toast(cancelled.error.message, 'error');
}

export async function signOut(mode: SignOutMode) {
  const name = active();
  if (!name) return;
  const signedOut = await attempt(ipc.signOut(name, mode));
  if (!signedOut.ok) {
    toast(signedOut.error.message, 'error');
    return loadSession();
  }
  app.overview = signedOut.value;
  app.session = null;
  app.picture = null;
  app.signIn = null;
  toast(mode === 'revoke' ? 'Tokens revoked and forgotten' : mode === 'end_session' ? 'Signed out; the provider page opened in your browser' : 'Signed out on this device');
}

export async function refresh() {
  const name = active();
  if (!name) return;
  const refreshed = await attempt(ipc.refreshSession(name));
  if (!refreshed.ok) return toast(refreshed.error.message, 'error');
  app.session = refreshed.value;
  toast(refreshed.value.has_user ? 'Session refreshed' : 'New service token received');
}

export async function copyToken() {
  const name = active();
  if (!name) return;
  const copied = await attempt(ipc.copyAccessToken(name));
  if (copied.ok) toast('Access token copied');
  else toast(copied.error.message, 'error');
}

/** The HTTP log as Rust keeps it, merged with the entries that arrived as events. */
export async function loadHttpLog() {
  const log = await attempt(ipc.httpLog());
  if (log.ok) app.httpLog = mergeLog(log.value, app.httpLog);
  else toast(log.error.message, 'error');
}

/** Shows one exchange in the HTTP log tab, as a click on a flow diagram's arrow asks. */
export function openInLog(id: number) {
  app.logFocus = id;
  app.tab = 'http-log';
}

/** The operations as Rust keeps them, merged with those that arrived as events. */
export async function loadOperations() {
  const ops = await attempt(ipc.operations());
  if (ops.ok) app.operations = mergeOperations(ops.value, app.operations);
  else toast(ops.error.message, 'error');
}

export async function clearHttpLog() {
  const cleared = await attempt(ipc.httpLogClear());
  if (cleared.ok) app.httpLog = [];
  else toast(cleared.error.message, 'error');
}

/**
 * Revokes one token of the active profile. Revoking the refresh token ends
 * the session, so the session is fetched again either way. Returns whether
 * it was revoked.
 */
export async function revoke(kind: TokenKind): Promise<boolean> {
  const name = active();
  if (!name) return false;
  const revoked = await attempt(ipc.revokeToken(name, kind));
  if (!revoked.ok) {
    toast(revoked.error.message, 'error');
    return false;
  }
  app.overview = revoked.value;
  toast(kind === 'refresh' ? `Refresh token revoked; ${name} is signed out` : 'Access token revoked; the next use refreshes it');
  await loadSession();
  return true;
}
