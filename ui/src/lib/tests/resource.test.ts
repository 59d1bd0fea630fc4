import { describe, expect, it } from 'vitest';
import {
  canCreate,
  canRegister,
  clientChoiceForm,
  defaultClientChoice,
  registrationRoutes,
  setUpOffered,
  setUpToast,
  usableServer,
} from '../resource';
import type { ChallengeView, ProfileSummary, ResourceDiscoveryView, ResourceSetUpView, ServerView } from '../types';

const server = (issuer: string, over: Partial<ServerView> = {}): ServerView => ({
  issuer,
  metadata_url: `${issuer}/.well-known/openid-configuration`,
  usable: true,
  pkce_s256: true,
  dynamic_registration: true,
  client_id_metadata_document: false,
  pre_registered_only: false,
  grants: ['authorization_code', 'refresh_token'],
  problem: null,
  ...over,
});

const discovery = (servers: ServerView[]): ResourceDiscoveryView => ({
  url: 'http://127.0.0.1:9090/api/me',
  resource: 'http://127.0.0.1:9090/api',
  resource_metadata_url: 'http://127.0.0.1:9090/.well-known/oauth-protected-resource/api',
  resource_name: null,
  default_profile_name: null,
  scopes: ['api:read'],
  bearer_methods: ['header'],
  dpop_required: false,
  authorization_servers: servers,
  checks: [],
  way_forward: 'sign in through http://127.0.0.1:9090',
  usable: servers.some((s) => s.usable),
});

const broken = server('https://broken.example', { usable: false, dynamic_registration: true, problem: 'no PKCE S256' });
const manual = server('https://manual.example', { dynamic_registration: false, pre_registered_only: true });

describe('the server a profile would use', () => {
  it('is the first usable one, passing over those that are not', () => {
    expect(usableServer(discovery([broken, manual, server('https://later.example')]))?.issuer).toBe('https://manual.example');
  });
  it('is none when no server is usable', () => {
    expect(usableServer(discovery([broken]))).toBeNull();
  });
});

describe('the default client choice', () => {
  it('is to register Tessera when the usable server registers clients', () => {
    expect(defaultClientChoice(discovery([server('https://as.example')]))).toBe('register');
  });
  it('is a client id when the usable server has no dynamic registration', () => {
    expect(defaultClientChoice(discovery([manual]))).toBe('given');
  });
  it('ignores the registration of a server that is not usable', () => {
    const view = discovery([broken, manual]);
    expect(canRegister(view), 'the broken server registers clients, but it is not the one used').toBe(false);
    expect(defaultClientChoice(view)).toBe('given');
  });
});

describe('the client choice as Rust takes it', () => {
  it('asks for registration without a client id', () => {
    expect(clientChoiceForm('register', 'ignored')).toEqual({ kind: 'register' });
  });
  it('gives the client id trimmed', () => {
    expect(clientChoiceForm('given', '  my-client ')).toEqual({ kind: 'given', client_id: 'my-client' });
  });
  it('is missing while the client id is blank', () => {
    expect(clientChoiceForm('given', '   ')).toBeNull();
  });
});

describe('whether a profile can be created', () => {
  it('is so with a usable server that registers clients', () => {
    expect(canCreate(discovery([server('https://as.example')]), 'register', '')).toBe(true);
  });
  it('is never so without a usable server, whatever the client', () => {
    const view = discovery([broken]);
    expect(canCreate(view, 'register', '')).toBe(false);
    expect(canCreate(view, 'given', 'my-client')).toBe(false);
  });
  it('needs a client id when one is to be given', () => {
    const view = discovery([manual]);
    expect(canCreate(view, 'given', '')).toBe(false);
    expect(canCreate(view, 'given', 'my-client')).toBe(true);
  });
  it('is not so when registration is asked of a server that cannot register', () => {
    expect(canCreate(discovery([manual]), 'register', '')).toBe(false);
  });
});

describe('the registration routes of a server', () => {
  it('name each way in the server offers', () => {
    expect(registrationRoutes(server('https://as.example', { client_id_metadata_document: true }))).toEqual([
      'dynamic registration (RFC 7591)',
      'a client ID metadata document',
    ]);
    expect(registrationRoutes(manual)).toEqual(['pre-registered clients only']);
  });
  it('say what to do when the server advertises none', () => {
    const none = server('https://as.example', { dynamic_registration: false });
    expect(registrationRoutes(none)[0]).toMatch(/no registration route advertised/);
  });
});

describe('the toast after set-up', () => {
  const summary = (name: string, signed_in: boolean): ProfileSummary => ({
    name,
    issuer: 'http://127.0.0.1:9090',
    client_id: 'c',
    grant: 'authorization_code',
    signed_in,
    user: null,
    expires_at: null,
    problem: null,
    conformance_errors: null,
    registered_client: true,
  });
  const result = (over: Partial<ResourceSetUpView> = {}, signedIn = false): ResourceSetUpView => ({
    overview: { active: '127.0.0.1-9090', profiles: [summary('127.0.0.1-9090', signedIn)] },
    profile: '127.0.0.1-9090',
    resource: 'http://127.0.0.1:9090/api',
    client_id: 'dyn-0001',
    registered: true,
    reused: false,
    discovery: discovery([server('http://127.0.0.1:9090')]),
    ...over,
  });

  it('names the profile, the API and the registration, and says to sign in', () => {
    expect(setUpToast(result())).toBe(
      'Profile 127.0.0.1-9090 made for http://127.0.0.1:9090/api (client registered at the provider). Sign in to call the API.',
    );
  });
  it('names a client id given by hand', () => {
    expect(setUpToast(result({ registered: false, client_id: 'my-client' }))).toBe(
      'Profile 127.0.0.1-9090 made for http://127.0.0.1:9090/api (client my-client). Sign in to call the API.',
    );
  });
  it('says so when the profile was there already, and signed in', () => {
    expect(setUpToast(result({ reused: true, registered: false }, true))).toBe(
      'Profile 127.0.0.1-9090 was already set up for http://127.0.0.1:9090/api. It is signed in: call the API from the API tab.',
    );
  });
});

describe('the API panel’s offer to set up sign-in', () => {
  const challenge = (resource_metadata: string | null): ChallengeView => ({
    scheme: 'Bearer',
    realm: null,
    error: null,
    error_description: null,
    scope: null,
    advice: null,
    resource_metadata,
  });
  const metadata = 'http://127.0.0.1:9090/.well-known/oauth-protected-resource/api';

  it('shows on a 401 whose challenge names the resource metadata', () => {
    expect(setUpOffered({ status: 401, challenge: challenge(metadata) })).toBe(true);
  });
  it('does not show on a 401 without it', () => {
    expect(setUpOffered({ status: 401, challenge: challenge(null) })).toBe(false);
    expect(setUpOffered({ status: 401, challenge: null })).toBe(false);
  });
  it('does not show on a 403, where a token was accepted but is not enough', () => {
    expect(setUpOffered({ status: 403, challenge: challenge(metadata) })).toBe(false);
  });
});
