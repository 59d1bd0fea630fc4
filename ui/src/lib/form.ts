// The profile editor's form: defaults, preset application and checks. The
// Rust side validates for real; these checks only catch the obvious early.
import type { Preset, ProfileForm, RedirectForm } from './types';
import { editorFields, needsSecret } from './grants';
import { fillIssuer } from './presets';
import { requestObjectAllowed, securityFields } from './security';

export function emptyForm(): ProfileForm {
  return {
    name: '',
    issuer: '',
    client_id: '',
    client_secret: null,
    has_client_secret: false,
    clear_client_secret: false,
    client_auth: 'client_secret_basic',
    grant: 'authorization_code',
    assertion_audience: 'issuer',
    client_key: null,
    par: false,
    dpop: false,
    dpop_alg: null,
    request_object: false,
    response_mode: 'query',
    scopes: ['openid', 'profile', 'email'],
    redirect: { type: 'loopback', port: 0, path: '/callback' },
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

/**
 * The form with a preset's issuer, client id, scopes and redirect; a name is
 * suggested when empty. The preset's security settings come too: its client
 * authentication when it names one, and PAR and DPoP. A new profile takes
 * them as the preset has them, so another preset turns off what the last one
 * turned on (and gives back the usual client authentication when the last
 * one's was left as it was); a saved profile is only ever given more
 * protection by choosing a preset, never less.
 */
export function applyPreset(
  form: ProfileForm,
  preset: Preset,
  values: Record<string, string>,
  options: { isNew?: boolean; previous?: Preset } = {},
): ProfileForm {
  const isNew = options.isNew ?? true;
  const previousAuth = options.previous?.client_auth ?? null;
  const clientAuth =
    preset.client_auth ?? (isNew && previousAuth !== null && form.client_auth === previousAuth ? emptyForm().client_auth : form.client_auth);
  return {
    ...form,
    name: form.name || preset.id,
    issuer: fillIssuer(preset, values),
    client_id: preset.client_id || form.client_id,
    scopes: [...preset.scopes],
    redirect: { ...preset.redirect },
    preset: preset.id,
    client_auth: clientAuth,
    par: isNew ? preset.par : form.par || preset.par,
    dpop: isNew ? preset.dpop : form.dpop || preset.dpop,
  };
}

export const scopesText = (scopes: string[]) => scopes.join(' ');
export const parseScopes = (text: string) => text.split(/\s+/).filter(Boolean);

/** What the user will see as the redirect URI ("any port" for port 0). */
export function redirectDisplay(r: RedirectForm): string {
  if (r.type === 'custom_scheme') return r.uri;
  return `http://127.0.0.1${r.port ? `:${r.port}` : ''}${r.path}${r.port ? '' : '  (any free port)'}`;
}

/** The text the user typed, alongside the form: scopes as one line, and a new client secret. */
export type Typed = { scopes: string; secret: string };

const optional = (value: string | null | undefined): string | null => {
  const text = (value ?? '').trim();
  return text ? text : null;
};

/**
 * The form as it goes to Rust: text trimmed, empty optional fields as null,
 * an emptied number field as its default, the secret only when one was typed
 * and the client authentication uses one.
 */
export function formForSave(form: ProfileForm, typed: Typed): ProfileForm {
  const maxAge = form.max_age as number | string | null;
  const redirect: RedirectForm =
    form.redirect.type === 'loopback'
      ? {
          type: 'loopback',
          port: Number.isFinite(form.redirect.port as number | null) ? Number(form.redirect.port) : 0,
          path: form.redirect.path.trim() || '/',
        }
      : { type: 'custom_scheme', uri: form.redirect.uri.trim() };
  const secret = editorFields(form.grant, form.client_auth).secret && typed.secret.trim() ? typed.secret : null;
  // A hidden request object (not a browser sign-in) that the client could
  // not sign is dropped: Rust would refuse the profile over a field the
  // user cannot see. One the client can sign is kept, like other hidden fields.
  const requestObject =
    form.request_object && (securityFields(form.grant, form.dpop).authorizationRequest || requestObjectAllowed(form.client_auth));
  return {
    ...form,
    name: form.name.trim(),
    issuer: form.issuer.trim(),
    client_id: form.client_id.trim(),
    client_secret: secret,
    clear_client_secret: secret ? false : form.clear_client_secret,
    request_object: requestObject,
    scopes: parseScopes(typed.scopes),
    redirect,
    prompt: optional(form.prompt),
    max_age: maxAge === null || maxAge === '' || !Number.isFinite(Number(maxAge)) ? null : Number(maxAge),
    acr_values: optional(form.acr_values),
    login_hint: optional(form.login_hint),
    ui_locales: optional(form.ui_locales),
    audience: optional(form.audience),
    resource: form.resource.map((r) => r.trim()).filter(Boolean),
    post_logout_redirect_uri: optional(form.post_logout_redirect_uri),
    preset: optional(form.preset),
  };
}

export type FieldErrors = Partial<
  Record<
    'name' | 'issuer' | 'client_id' | 'client_secret' | 'client_key' | 'scopes' | 'redirect' | 'request_object' | 'max_age' | 'post_logout_redirect_uri',
    string
  >
>;

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** Whether `name` is a valid profile name (client keys are stored under it, so one is needed before a key is made). */
export const validName = (name: string) => NAME.test(name.trim());
const NAME_RULE = "Use 1–64 letters, digits, '.', '_' or '-'";
/** A private-use URI scheme in reverse-domain form (RFC 8252 §7.1), e.g. dev.tessera.app:/callback. */
const REVERSE_DOMAIN_URI = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:/i;

function redirectError(r: RedirectForm): string | null {
  if (r.type === 'custom_scheme') return REVERSE_DOMAIN_URI.test(r.uri) ? null : 'A reverse-domain scheme such as dev.tessera.app:/callback';
  if (!Number.isInteger(r.port) || r.port < 0 || r.port > 65535) return 'Port 0–65535 (0: any free port)';
  if (!r.path.startsWith('/')) return "The path starts with '/'";
  return null;
}

/** Checks of the form as formForSave returns it; an empty result means nothing obvious is wrong. */
export function check(form: ProfileForm): FieldErrors {
  const errors: FieldErrors = {};
  if (!validName(form.name)) errors.name = NAME_RULE;
  try {
    const u = new URL(form.issuer.trim());
    if (u.protocol !== 'https:' && u.protocol !== 'http:') errors.issuer = 'The issuer is an http(s) URL';
    else if (u.search || u.hash) errors.issuer = 'The issuer has no query or fragment';
  } catch {
    errors.issuer = 'Enter the issuer URL, e.g. https://id.example.com';
  }
  if (!form.client_id.trim()) errors.client_id = 'Enter the client id registered at the provider';
  const hasSecret = !!form.client_secret || (form.has_client_secret && !form.clear_client_secret);
  if (needsSecret(form.client_auth) && !hasSecret) errors.client_secret = 'client_secret_jwt signs with the client secret: enter it';
  if (form.scopes.some((scope) => /["\\]/.test(scope))) errors.scopes = 'Scopes contain no quotes or backslashes';
  // Fields the grant does not use are hidden, and kept as they are.
  const shown = editorFields(form.grant, form.client_auth);
  // `client_key` is the key the editor's key section last found in the
  // keyring: without its certificate, mutual TLS has nothing to present.
  if (shown.key === 'certificate' && !form.client_key?.x5t_s256)
    errors.client_key = 'Mutual TLS presents a client certificate: import the certificate and its private key';
  const redirect = shown.redirect ? redirectError(form.redirect) : null;
  if (redirect) errors.redirect = redirect;
  if (securityFields(form.grant, form.dpop).authorizationRequest && form.request_object && !requestObjectAllowed(form.client_auth))
    errors.request_object = 'A request object is signed with the client key: choose private_key_jwt, or turn the request object off';
  if (!shown.userParameters) return errors;
  if (form.max_age !== null && (!Number.isInteger(form.max_age) || form.max_age < 0)) errors.max_age = 'Whole seconds';
  const logout = form.post_logout_redirect_uri;
  if (logout && !isHttpUrl(logout) && !REVERSE_DOMAIN_URI.test(logout))
    errors.post_logout_redirect_uri = 'An http(s) URL or a reverse-domain scheme URI';
  return errors;
}

/**
 * Whether saving `next` over a signed-in profile signs it out: its session
 * belongs to the issuer and client it was issued by, so Tessera deletes it
 * when either changes (and asks first).
 */
export function savingSignsOut(initial: ProfileForm, next: ProfileForm, signedIn: boolean): boolean {
  return signedIn && (initial.issuer.trim() !== next.issuer.trim() || initial.client_id.trim() !== next.client_id.trim());
}
