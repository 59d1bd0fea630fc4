// The profile editor's form: defaults, preset application and checks. The
// Rust side validates for real; these checks only catch the obvious early.
import type { Preset, ProfileForm, RedirectForm } from './types';
import { fillIssuer } from './presets';

export function emptyForm(): ProfileForm {
  return {
    name: '',
    issuer: '',
    client_id: '',
    client_secret: null,
    has_client_secret: false,
    clear_client_secret: false,
    client_auth: 'client_secret_basic',
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

/** The form with a preset's issuer, client id, scopes and redirect; a name is suggested when empty. */
export function applyPreset(form: ProfileForm, preset: Preset, values: Record<string, string>): ProfileForm {
  return {
    ...form,
    name: form.name || preset.id,
    issuer: fillIssuer(preset, values),
    client_id: preset.client_id || form.client_id,
    scopes: [...preset.scopes],
    redirect: { ...preset.redirect },
    preset: preset.id,
  };
}

export const scopesText = (scopes: string[]) => scopes.join(' ');
export const parseScopes = (text: string) => text.split(/\s+/).filter(Boolean);

/** What the user will see as the redirect URI ("any port" for port 0). */
export function redirectDisplay(r: RedirectForm): string {
  if (r.type === 'custom_scheme') return r.uri;
  return `http://127.0.0.1${r.port ? `:${r.port}` : ''}${r.path}${r.port ? '' : '  (any free port)'}`;
}

export type FieldErrors = Partial<Record<'name' | 'issuer' | 'client_id' | 'redirect' | 'max_age', string>>;

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

export function check(form: ProfileForm): FieldErrors {
  const errors: FieldErrors = {};
  if (!NAME.test(form.name.trim())) errors.name = "Use 1–64 letters, digits, '.', '_' or '-'";
  try {
    const u = new URL(form.issuer.trim());
    if (u.protocol !== 'https:' && u.protocol !== 'http:') errors.issuer = 'The issuer is an http(s) URL';
    else if (u.search || u.hash) errors.issuer = 'The issuer has no query or fragment';
  } catch {
    errors.issuer = 'Enter the issuer URL, e.g. https://id.example.com';
  }
  if (!form.client_id.trim()) errors.client_id = 'Enter the client id registered at the provider';
  if (form.redirect.type === 'loopback') {
    if (!form.redirect.path.startsWith('/')) errors.redirect = "The path starts with '/'";
    if (form.redirect.port < 0 || form.redirect.port > 65535) errors.redirect = 'Port 0–65535 (0: any free port)';
  } else if (!/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:/i.test(form.redirect.uri)) {
    errors.redirect = 'A reverse-domain scheme such as dev.tessera.app:/callback';
  }
  if (form.max_age !== null && (!Number.isInteger(form.max_age) || form.max_age < 0)) errors.max_age = 'Whole seconds';
  return errors;
}
