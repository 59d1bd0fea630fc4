// A stand-in for Tessera's Rust shell, for Vitest and for `npm run dev:mock`
// (layout work without the desktop app). The app itself never imports this:
// it always talks to Rust through src/lib/ipc.ts. The production build has no
// trace of it (vite.config.ts aliases it in only in mock mode).
import type { Commands, Events } from '../lib/ipc';
import type {
  ClaimView,
  IpcError,
  Overview,
  Preset,
  ProfileForm,
  ProfileSummary,
  SessionView,
  SignInPhase,
} from '../lib/types';

type Args<K extends keyof Commands> = Commands[K][0];
type Result<K extends keyof Commands> = Commands[K][1];
type Handlers = { [K in keyof Commands]: (args: Args<K>) => Result<K> | Promise<Result<K>> };
type Listener = (event: { event: string; id: number; payload: unknown }) => void;

/** How a sign-in started through `sign_in` ends. */
export type SignInScript =
  | { type: 'succeed'; afterMs: number }
  | { type: 'fail'; error: IpcError }
  | { type: 'hang' };

const now = () => Math.floor(Date.now() / 1000);

const loopback = { type: 'loopback', port: 0, path: '/callback' } as const;

export const PRESETS: Preset[] = [
  {
    id: 'local',
    name: 'Local provider (./dev/demo)',
    issuer_template: '{issuer}',
    fields: [{ key: 'issuer', label: 'Issuer', placeholder: 'http://127.0.0.1:9090', default: 'http://127.0.0.1:9090', help: 'The local provider started by ./dev/demo' }],
    client_id: 'tessera',
    scopes: ['openid', 'profile', 'email', 'offline_access', 'roles', 'groups'],
    redirect: loopback,
    needs_client_secret: false,
    notes: ['Sign in as demo / demo. The demo API is at {issuer}/api/me.'],
  },
  {
    id: 'keycloak',
    name: 'Keycloak',
    issuer_template: '{base_url}/realms/{realm}',
    fields: [
      { key: 'base_url', label: 'Server URL', placeholder: 'https://keycloak.example.com', default: '', help: 'Without /auth on Keycloak 17 and later' },
      { key: 'realm', label: 'Realm', placeholder: 'myrealm', default: '', help: 'The realm name as shown in the admin console' },
    ],
    client_id: '',
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    redirect: loopback,
    needs_client_secret: false,
    notes: ['Register http://127.0.0.1/* as a valid redirect URI, or the exact URI with a fixed port.'],
  },
  {
    id: 'generic',
    name: 'Other OpenID provider',
    issuer_template: '{issuer}',
    fields: [{ key: 'issuer', label: 'Issuer', placeholder: 'https://id.example.com', default: '', help: 'Or import it from a discovery URL' }],
    client_id: '',
    scopes: ['openid', 'profile', 'email'],
    redirect: loopback,
    needs_client_secret: false,
    notes: [],
  },
];

function claim(name: string, label: string | null, value: ClaimView['value'], kind: ClaimView['kind'], source: ClaimView['source'], differs = false): ClaimView {
  return { name, label, description: null, value, kind, source, differs };
}

/** A signed-in demo session for `profile`. */
export function demoSession(profile: string, issuer: string): SessionView {
  const t = now();
  const idToken = {
    iss: issuer,
    sub: 'demo-user-0001',
    aud: 'tessera',
    exp: t + 252,
    iat: t - 48,
    auth_time: t - 50,
    name: 'Dana Demo',
    email: 'demo@example.com',
    roles: ['developer', 'viewer'],
    groups: ['/engineering', '/engineering/platform'],
  };
  const userinfo = {
    sub: 'demo-user-0001',
    name: 'Dana Q. Demo',
    email: 'demo@example.com',
    email_verified: true,
    locale: 'en-GB',
    address: { country: 'NL', locality: 'Utrecht' },
    website: 'https://example.com/~dana',
  };
  return {
    profile,
    issuer,
    subject: 'demo-user-0001',
    display_name: 'Dana Q. Demo',
    email: 'demo@example.com',
    has_picture: true,
    roles: ['developer', 'viewer'],
    groups: ['/engineering', '/engineering/platform'],
    claims: [
      claim('name', 'Full name', 'Dana Q. Demo', 'text', 'both', true),
      claim('email', 'Email', 'demo@example.com', 'email', 'both'),
      claim('email_verified', 'Email verified', true, 'bool', 'userinfo'),
      claim('website', 'Website', 'https://example.com/~dana', 'url', 'userinfo'),
      claim('locale', 'Locale', 'en-GB', 'text', 'userinfo'),
      claim('address', 'Address', { country: 'NL', locality: 'Utrecht' }, 'object', 'userinfo'),
      claim('roles', 'Roles', ['developer', 'viewer'], 'list', 'id_token'),
      claim('groups', 'Groups', ['/engineering', '/engineering/platform'], 'list', 'id_token'),
      claim('sub', 'Subject', 'demo-user-0001', 'text', 'both'),
      claim('iss', 'Issuer', issuer, 'url', 'id_token'),
      claim('aud', 'Audience', 'tessera', 'text', 'id_token'),
      claim('exp', 'Expires', t + 252, 'time', 'id_token'),
      claim('iat', 'Issued at', t - 48, 'time', 'id_token'),
      claim('auth_time', 'Authenticated at', t - 50, 'time', 'id_token'),
      claim('x_tenant', null, 'acme', 'text', 'id_token'),
    ],
    id_token_claims: idToken,
    userinfo,
    scopes: ['openid', 'profile', 'email', 'offline_access', 'roles', 'groups'],
    token_type: 'Bearer',
    expires_at: t + 252,
    refresh_at: t + 192,
    has_refresh_token: true,
    obtained_at: t - 48,
    signed_in_at: t - 48,
  };
}

/** A small avatar, as the Rust side hands it over: a data: URL. */
const PICTURE =
  'data:image/svg+xml;base64,' +
  btoa(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#5c7cfa"/><circle cx="32" cy="25" r="12" fill="#e8eaf3"/><rect x="12" y="42" width="40" height="26" rx="13" fill="#e8eaf3"/></svg>',
  );

export type BackendOptions = {
  profiles?: { name: string; issuer: string; client_id?: string; signed_in?: boolean }[];
  active?: string | null;
};

export function createBackend(options: BackendOptions = {}) {
  const listeners = new Map<string, Set<Listener>>();
  const forms = new Map<string, ProfileForm>();
  const sessions = new Map<string, SessionView>();
  const calls: { command: keyof Commands; args: unknown }[] = [];
  const failures = new Map<keyof Commands, IpcError>();
  let active: string | null = options.active ?? null;
  let signInScript: SignInScript = { type: 'succeed', afterMs: 10 };
  let pending: { profile: string; reject: (e: IpcError) => void } | null = null;

  const emit = <K extends keyof Events>(event: K, payload: Events[K]) =>
    listeners.get(event)?.forEach((l) => l({ event, id: 0, payload }));

  function form(name: string, issuer: string, clientId = 'tessera'): ProfileForm {
    return {
      name,
      issuer,
      client_id: clientId,
      client_secret: null,
      has_client_secret: false,
      clear_client_secret: false,
      client_auth: 'client_secret_basic',
      scopes: ['openid', 'profile', 'email'],
      redirect: { ...loopback },
      prompt: null,
      max_age: null,
      acr_values: null,
      login_hint: null,
      ui_locales: null,
      audience: null,
      resource: [],
      allow_insecure_http: false,
      post_logout_redirect_uri: null,
      preset: null,
    };
  }

  for (const p of options.profiles ?? []) {
    forms.set(p.name, form(p.name, p.issuer, p.client_id));
    if (p.signed_in) sessions.set(p.name, demoSession(p.name, p.issuer));
  }
  if (active === null && forms.size) active = [...forms.keys()][0];

  function overview(): Overview {
    const profiles: ProfileSummary[] = [...forms.values()].map((f) => {
      const s = sessions.get(f.name);
      return {
        name: f.name,
        issuer: f.issuer,
        client_id: f.client_id,
        signed_in: !!s,
        user: s ? (s.email ?? s.display_name) : null,
        expires_at: s?.expires_at ?? null,
      };
    });
    return { profiles, active };
  }

  function changed(): Overview {
    const o = overview();
    emit('overview', o);
    return o;
  }

  const known = (name: string) => {
    if (!forms.has(name)) throw { code: 'invalid_profile', message: `no profile named "${name}"` } satisfies IpcError;
    return forms.get(name)!;
  };

  const handlers: Handlers = {
    overview: () => overview(),
    set_active_profile: ({ name }) => {
      known(name);
      active = name;
      return changed();
    },
    presets: () => PRESETS,
    profile_get: ({ name }) => structuredClone(known(name)),
    profile_save: ({ form: f, replacing }) => {
      if (!replacing && forms.has(f.name))
        throw { code: 'invalid_profile', message: `a profile named "${f.name}" already exists; choose another name` } satisfies IpcError;
      forms.set(f.name, { ...f, client_secret: null, has_client_secret: !!f.client_secret || (f.has_client_secret && !f.clear_client_secret) });
      active = f.name;
      return changed();
    },
    profile_duplicate: ({ name, newName }) => {
      forms.set(newName, { ...structuredClone(known(name)), name: newName });
      active = newName;
      return changed();
    },
    profile_remove: ({ name }) => {
      known(name);
      forms.delete(name);
      sessions.delete(name);
      if (active === name) active = [...forms.keys()][0] ?? null;
      return changed();
    },
    discover: ({ url }) => {
      const issuer = url.replace(/\/\.well-known\/openid-configuration$/, '').replace(/\/$/, '');
      return {
        issuer,
        discovery_url: `${issuer}/.well-known/openid-configuration`,
        capabilities: [
          { id: 'pkce', label: 'PKCE (S256)', status: 'supported', detail: 'code_challenge_methods_supported lists S256' },
          { id: 'refresh', label: 'Refresh tokens', status: 'supported', detail: 'offline_access is a supported scope' },
          { id: 'revocation', label: 'Revocation', status: 'missing', detail: 'No revocation_endpoint' },
          { id: 'end_session', label: 'RP-initiated logout', status: 'risky', detail: 'end_session_endpoint is plain http' },
        ],
        metadata: { issuer },
      };
    },
    sign_in: ({ profile }) => {
      const f = known(profile);
      const waiting: SignInPhase = {
        type: 'waiting',
        url: `${f.issuer}/authorize?response_type=code&client_id=${f.client_id}&redirect_uri=http%3A%2F%2F127.0.0.1%3A43123%2Fcallback&scope=openid%20profile%20email&state=x1&nonce=n1&code_challenge=c1&code_challenge_method=S256`,
        redirect_uri: 'http://127.0.0.1:43123/callback',
        deadline: now() + 300,
        browser_error: null,
      };
      emit('sign-in', { profile, phase: waiting });
      const script = signInScript;
      return new Promise<SessionView>((resolve, reject) => {
        const fail = (error: IpcError) => {
          pending = null;
          emit('sign-in', { profile, phase: { type: 'failed', error } });
          reject(error);
        };
        pending = { profile, reject: fail };
        if (script.type === 'fail') setTimeout(() => fail(script.error), 0);
        if (script.type === 'succeed')
          setTimeout(() => {
            if (pending?.profile !== profile) return;
            pending = null;
            emit('sign-in', { profile, phase: { type: 'exchanging' } });
            const s = demoSession(profile, f.issuer);
            sessions.set(profile, s);
            emit('sign-in', { profile, phase: { type: 'signed_in', user: s.email ?? s.display_name } });
            changed();
            resolve(s);
          }, script.afterMs);
      });
    },
    cancel_sign_in: () => {
      pending?.reject({ code: 'cancelled', message: 'sign-in cancelled' });
      return null;
    },
    session: ({ profile }) => sessions.get(known(profile).name) ?? null,
    session_picture: ({ profile }) => (sessions.get(profile)?.has_picture ? PICTURE : null),
    refresh_session: ({ profile }) => {
      const s = sessions.get(profile);
      if (!s) throw { code: 'not_signed_in', message: `${profile} is not signed in` } satisfies IpcError;
      const fresh = { ...demoSession(profile, s.issuer), expires_at: now() + 300, refresh_at: now() + 240 };
      sessions.set(profile, fresh);
      changed();
      return fresh;
    },
    sign_out: ({ profile }) => {
      sessions.delete(profile);
      return changed();
    },
    copy_access_token: ({ profile }) => {
      if (!sessions.has(profile)) throw { code: 'not_signed_in', message: `${profile} is not signed in` } satisfies IpcError;
      return null;
    },
  };

  return {
    calls,
    emit,
    /** Makes `command` reject with `error` until cleared with null. */
    fail(command: keyof Commands, error: IpcError | null) {
      if (error) failures.set(command, error);
      else failures.delete(command);
    },
    /** How the next sign-ins end. */
    scriptSignIn(script: SignInScript) {
      signInScript = script;
    },
    /** Ends a profile's session as the tray or an expiry would, and says so. */
    dropSession(profile: string) {
      sessions.delete(profile);
      changed();
    },
    async invoke(command: string, args: unknown = {}): Promise<unknown> {
      const name = command as keyof Commands;
      calls.push({ command: name, args });
      const failure = failures.get(name);
      if (failure) throw failure;
      const handler = handlers[name] as (a: unknown) => unknown;
      if (!handler) throw `unknown command ${command}`;
      return await handler(args);
    },
    async listen(event: string, handler: Listener): Promise<() => void> {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(handler);
      return () => listeners.get(event)?.delete(handler);
    },
  };
}

export type Backend = ReturnType<typeof createBackend>;
