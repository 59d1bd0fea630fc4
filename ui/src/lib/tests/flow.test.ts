import { describe, expect, it } from 'vitest';
import {
  defaultOperation,
  detailsWanted,
  exchangeLabel,
  flowOf,
  grantOf,
  mergeOperations,
  oneLine,
  operationsOf,
  pathAndNames,
  stepSentence,
  stepText,
  toMermaid,
  UNSEEN,
  type ExchangeBodies,
} from '../flow';
import type { HttpLogSummary, OperationView } from '../types';

const T0 = 1_800_000_000_000;

const op = (over: Partial<OperationView> = {}): OperationView => ({
  id: 7,
  kind: 'sign_in',
  profile: 'local',
  started_at_ms: T0,
  finished_at_ms: T0 + 5000,
  outcome: 'ok',
  error: null,
  steps: [],
  ...over,
});

let nextId = 100;
const ex = (at: number, over: Partial<HttpLogSummary> = {}): HttpLogSummary => ({
  id: ++nextId,
  at_ms: T0 + at,
  endpoint: 'token endpoint',
  method: 'POST',
  url: 'http://127.0.0.1:9090/token',
  status: 200,
  error: null,
  duration_ms: 12.34,
  operation: 7,
  ...over,
});

const bodies = (entries: [HttpLogSummary, Partial<ExchangeBodies>][]) =>
  new Map(entries.map(([e, b]) => [e.id, { request_body: null, response_body: null, response_headers: [], ...b }]));

const CODE_FORM = 'grant_type=authorization_code&code=[redacted]&redirect_uri=http%3A%2F%2F127.0.0.1%3A43123%2Fcallback&client_id=tessera&code_verifier=[redacted]';
const REFRESH_FORM = 'grant_type=refresh_token&refresh_token=[redacted]&client_id=tessera';

describe('labelling an exchange', () => {
  it('names each provider endpoint for what it is', () => {
    const label = (endpoint: string) => exchangeLabel({ endpoint, method: 'GET', url: 'http://idp/x' });
    expect(label('discovery document')).toBe('discovery');
    expect(label('JWKS endpoint')).toBe('JWKS');
    expect(label('pushed authorization request endpoint')).toBe('PAR');
    expect(label('userinfo endpoint')).toBe('userinfo');
    expect(label('revocation endpoint')).toBe('revocation');
    expect(label('introspection endpoint')).toBe('introspection');
    expect(label('something new'), 'an endpoint it does not know keeps its own name').toBe('something new');
  });
  it('names a token request by its grant, from grant_type or else from the form’s field names', () => {
    const token = { endpoint: 'token endpoint', method: 'POST', url: 'http://idp/token' };
    expect(exchangeLabel(token, CODE_FORM)).toBe('token (code)');
    expect(exchangeLabel(token, REFRESH_FORM)).toBe('token (refresh)');
    expect(exchangeLabel(token, 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=[redacted]')).toBe('token (device)');
    expect(exchangeLabel(token, 'grant_type=client_credentials&scope=orders%3Aread')).toBe('token (client credentials)');
    expect(exchangeLabel(token, 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=[redacted]')).toBe('token (exchange)');
    expect(grantOf('grant_type=[redacted]&refresh_token=[redacted]', null), 'a redacted grant_type: the fields say it').toBe('refresh');
    expect(grantOf('grant_type=[redacted]&code=[redacted]&code_verifier=[redacted]', null)).toBe('code');
    expect(exchangeLabel(token, null), 'no detail yet: just "token"').toBe('token');
    expect(exchangeLabel(token, null, 'exchange'), 'an exchange operation says which').toBe('token (exchange)');
    expect(grantOf('{"grant_type":"refresh_token"}', null), 'a JSON body is no form').toBeNull();
  });
  it('names an API call by method and path, without the query', () => {
    expect(exchangeLabel({ endpoint: 'API', method: 'GET', url: 'https://api.example.com/orders/42?expand=items&key=abc' })).toBe('API call GET /orders/42');
  });
});

describe('keeping URLs and errors free of values', () => {
  it('shows a URL as its path and its parameters’ names', () => {
    expect(pathAndNames('https://idp.example/authorize?client_id=tessera&state=[redacted]&scope=openid%20profile#frag')).toBe('/authorize?client_id&state&scope');
    expect(pathAndNames('http://127.0.0.1:43123/callback')).toBe('/callback');
    expect(pathAndNames('http://127.0.0.1:43123')).toBe('/');
  });
  it('makes outside text one line, without query values or JWTs, and short', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    expect(oneLine(`refused\n  at http://idp/token?code=abc123&x=1 with ${jwt}`)).toBe('refused at http://idp/token?code&x with (token)');
    expect(oneLine('timed out waiting for http://127.0.0.1:43123/callback; sign in again'), 'a URL without a query is kept').toBe(
      'timed out waiting for http://127.0.0.1:43123/callback; sign in again',
    );
    expect(oneLine('x'.repeat(300)).length).toBe(240);
  });
});

describe('a sign-in whose token call fails', () => {
  const discovery = ex(10, { endpoint: 'discovery document', method: 'GET', url: 'http://127.0.0.1:9090/.well-known/openid-configuration' });
  const token = ex(3000, { status: 400, duration_ms: 20 });
  const elsewhere = ex(3100, { operation: 8, endpoint: 'API', method: 'GET', url: 'http://127.0.0.1:9090/api/me' });
  const failed = op({
    outcome: 'failed',
    error: 'the provider refused the authorization code (invalid_grant): the code has expired; sign in again',
    steps: [
      { at_ms: T0 + 40, kind: 'browser_opened', detail: 'http://127.0.0.1:9090/authorize?response_type=code&client_id=tessera&state=[redacted]&nonce=[redacted]' },
      { at_ms: T0 + 2990, kind: 'redirect_received', detail: 'http://127.0.0.1:43123/callback?code=[redacted]&state=[redacted]' },
    ],
  });
  const flow = flowOf(failed, [elsewhere, token, discovery], bodies([[token, { request_body: CODE_FORM, response_body: '{"error":"invalid_grant","error_description":"the code has expired"}' }]]));

  it('draws the exchanges and the browser’s steps in time order, between the lanes they use', () => {
    expect(flow.lanes, 'no API lane: nothing went to an API').toEqual(['browser', 'tessera', 'provider']);
    expect(flow.steps.map((s) => `${s.from}>${s.to} ${s.label}`)).toEqual([
      'tessera>provider discovery',
      'tessera>browser browser opened at /authorize?response_type&client_id&state&nonce',
      'browser>tessera redirect received at /callback?code&state',
      'tessera>provider token (code)',
    ]);
    expect(flow.steps.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(flow.steps.every((s) => !s.exchanges.includes(elsewhere.id)), 'another operation’s exchange is left out').toBe(true);
  });
  it('draws the browser’s steps dashed, saying Tessera did not see them', () => {
    const unseen = flow.steps.filter((s) => !s.seen);
    expect(unseen.length).toBe(2);
    expect(unseen.every((s) => s.exchanges.length === 0 && s.status === null)).toBe(true);
    expect(stepText(unseen[0])).toContain(UNSEEN);
  });
  it('marks the failed token call red with its one-line error, and ends with the operation’s error', () => {
    const last = flow.steps[3];
    expect(last.state).toBe('failed');
    expect(last.note).toBe('invalid_grant: the code has expired');
    expect(stepSentence(last)).toBe('Tessera → Provider: token (code) · 400 · 20.0 ms · invalid_grant: the code has expired');
    expect(last.exchanges, 'the arrow opens its exchange').toEqual([token.id]);
    expect(flow.outcome).toBe('failed');
    expect(flow.error).toContain('invalid_grant');
    expect(flow.steps.filter((s) => s.state === 'failed').length, 'only the token call failed').toBe(1);
  });
  it('reads the details of the token call (for its grant) and of failures (for their error)', () => {
    expect(detailsWanted(failed, [elsewhere, token, discovery])).toEqual([token.id]);
  });
  it('writes the same steps as Mermaid, the failure crossed and the error as the last note', () => {
    const text = toMermaid(flow);
    expect(text.split('\n').slice(0, 4)).toEqual(['sequenceDiagram', '  participant Browser', '  participant Tessera', '  participant Provider']);
    expect(text).toContain('  Tessera->>Provider: discovery · 200 · 12.3 ms');
    expect(text).toContain('  Tessera-->>Browser: browser opened at /authorize?response_type&client_id&state&nonce · not seen by Tessera: drawn from what it knows');
    expect(text).toContain('  Tessera-xProvider: token (code) · 400 · 20.0 ms · invalid_grant: the code has expired');
    expect(text.trimEnd().split('\n').pop(), 'the error ends the diagram').toBe(
      '  Note over Tessera: failed: the provider refused the authorization code (invalid_grant): the code has expired#59; sign in again',
    );
  });
});

describe('ordering within one millisecond', () => {
  it('puts a step before the exchange it led to, and after a quicker exchange it followed', () => {
    const quick = ex(100, { endpoint: 'discovery document', method: 'GET', duration_ms: 0.4 });
    const token = ex(100, { duration_ms: 6 });
    const flow = flowOf(op({ steps: [{ at_ms: T0 + 100, kind: 'redirect_received', detail: 'http://127.0.0.1:43123/callback' }] }), [token, quick]);
    expect(flow.steps.map((s) => s.label)).toEqual(['discovery', 'redirect received at /callback', 'token']);
  });
});

describe('an API call refreshed and retried after a 401', () => {
  const first = ex(0, { endpoint: 'API', method: 'GET', url: 'http://127.0.0.1:9090/api/me?page=2', status: 401, duration_ms: 8 });
  const refresh = ex(20, {});
  const retry = ex(60, { endpoint: 'API', method: 'GET', url: 'http://127.0.0.1:9090/api/me?page=2', status: 200, duration_ms: 9 });
  const call = op({ kind: 'api_call' });
  const challenge = 'Bearer realm="demo", error="invalid_token", error_description="the access token expired"';
  const flow = flowOf(
    call,
    [retry, refresh, first],
    bodies([
      [first, { response_headers: [{ name: 'WWW-Authenticate', value: challenge }], response_body: '' }],
      [refresh, { request_body: REFRESH_FORM }],
    ]),
  );

  it('is three arrows: the refused call, the refresh, the retry', () => {
    expect(flow.lanes, 'no browser: it was never opened').toEqual(['tessera', 'provider', 'api']);
    expect(flow.steps.map(stepSentence)).toEqual([
      'Tessera → API: API call GET /api/me · 401 · 8.0 ms · invalid_token: the access token expired',
      'Tessera → Provider: token (refresh) · 200 · 12.3 ms',
      'Tessera → API: API call GET /api/me · 200 · 9.0 ms',
    ]);
    expect(flow.steps.map((s) => s.state)).toEqual(['failed', 'ok', 'ok']);
    expect(flow.steps.map((s) => s.offset_ms)).toEqual([0, 20, 60]);
  });
  it('ends without an error note: the operation succeeded', () => {
    expect(flow.error).toBeNull();
    expect(toMermaid(flow)).not.toContain('Note over');
    expect(toMermaid(flow)).toContain('Tessera-xAPI: API call GET /api/me · 401');
  });
  it('labels a 401 without a detail by its status', () => {
    expect(flowOf(call, [first]).steps[0].note).toBe('HTTP 401');
  });
});

describe('a device sign-in', () => {
  const auth = ex(0, { endpoint: 'device authorization endpoint', url: 'http://idp/device_authorization' });
  const polls = [ex(5000, { status: 400 }), ex(10000, { status: 400 }), ex(15000, { status: 400 })];
  const done = ex(20000);
  const device = op({
    steps: [
      { at_ms: T0 + 30, kind: 'device_code_shown', detail: 'http://idp/device' },
      { at_ms: T0 + 20100, kind: 'device_approved', detail: 'http://idp/device' },
    ],
  });
  const pending = '{"error":"authorization_pending","error_description":"the user has not approved yet"}';
  const form = 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=[redacted]&client_id=tessera-tv';
  const flow = flowOf(device, [auth, ...polls, done], bodies([...polls.map((p): [HttpLogSummary, Partial<ExchangeBodies>] => [p, { request_body: form, response_body: pending }]), [done, { request_body: form }]]));

  it('draws the polls told to wait as one arrow, not as failures, and the approval before the poll that got the tokens', () => {
    expect(flow.steps.map((s) => `${s.label} ${s.state}`)).toEqual([
      'device authorization ok',
      'device code shown, to enter at /device ok',
      'token (device) pending',
      'device code approved at /device ok',
      'token (device) ok',
    ]);
    expect(flow.steps[2].exchanges, 'the arrow stands for every poll').toEqual(polls.map((p) => p.id));
    expect(stepText(flow.steps[2])).toBe('token (device) ×3 · 400 · 12.3 ms · authorization_pending');
    expect(flow.steps[3].from, 'the user approved at the provider').toBe('browser');
    expect(flow.steps[3].to).toBe('provider');
  });
});

describe('a running or empty operation', () => {
  it('says it is still running', () => {
    const flow = flowOf(op({ outcome: 'running', finished_at_ms: null }), []);
    expect(flow.steps).toEqual([]);
    expect(flow.lanes).toEqual(['tessera']);
    expect(toMermaid(flow)).toBe('sequenceDiagram\n  participant Tessera\n  Note over Tessera: still running\n');
  });
  it('draws a transport error red with its reason', () => {
    const flow = flowOf(op({ kind: 'api_call', outcome: 'failed', error: 'could not reach https://down.example: connection refused' }), [
      ex(0, { endpoint: 'API', method: 'GET', url: 'https://down.example/x', status: null, error: 'connection refused' }),
    ]);
    expect(stepText(flow.steps[0])).toBe('API call GET /x · no response · 12.3 ms · connection refused');
    expect(flow.steps[0].state).toBe('failed');
  });
});

describe('exporting as Mermaid carries no secret', () => {
  it('has no value of a query, a form or a header: only names', () => {
    const leaky = op({
      kind: 'api_call',
      outcome: 'failed',
      error: 'the API at https://api.example/orders?access_token=SECRETVALUE refused eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig',
      steps: [{ at_ms: T0 + 1, kind: 'browser_opened', detail: 'https://idp/authorize?client_id=tessera&state=[redacted]&login_hint=dana%40example.com' }],
    });
    const call = ex(5, { operation: leaky.id, endpoint: 'API', method: 'POST', url: 'https://api.example/orders?id=4711&token=[redacted]' });
    const token = ex(9, { operation: leaky.id });
    const text = toMermaid(
      flowOf(leaky, [call, token], bodies([[token, { request_body: 'grant_type=refresh_token&refresh_token=[redacted]&client_secret=[redacted]', response_body: '{"access_token":"[redacted]"}' }]])),
    );
    expect(text, 'no redacted placeholder: no value is shown at all').not.toContain('[redacted]');
    expect(text, 'no query value').not.toMatch(/[?&][\w.-]+=/);
    for (const value of ['SECRETVALUE', '4711', 'dana', 'eyJ', 'Bearer', 'client_secret']) expect(text, `no ${value}`).not.toContain(value);
    expect(text).toContain('API call POST /orders');
    expect(text).toContain('browser opened at /authorize?client_id&state&login_hint');
  });
});

describe('keeping the operations', () => {
  it('adds new ones and replaces changed ones by id, oldest first, the newest 50', () => {
    let list: OperationView[] = [];
    for (let i = 1; i <= 52; i++) list = mergeOperations(list, [op({ id: i, outcome: 'running' })]);
    expect(list.length).toBe(50);
    expect(list[0].id).toBe(3);
    list = mergeOperations(list, [op({ id: 52, outcome: 'ok' })]);
    expect(list.length).toBe(50);
    expect(list[49].outcome, 'the finished operation replaced the running one').toBe('ok');
  });
  it('keeps the view further along when an event crossed the list', () => {
    const ended = op({ id: 1, outcome: 'failed', error: 'denied' });
    const started = op({ id: 1, outcome: 'running', finished_at_ms: null });
    expect(mergeOperations([ended], [started])[0].outcome, 'a late "started" does not undo the end').toBe('failed');
    expect(mergeOperations([started], [ended])[0].outcome).toBe('failed');
  });
  it('lists a profile’s operations newest first', () => {
    const list = [op({ id: 1 }), op({ id: 2, profile: 'work' }), op({ id: 3 }), op({ id: 4, profile: null })];
    expect(operationsOf(list, 'local').map((o) => o.id)).toEqual([3, 1]);
  });
});

describe('the operation shown until the user picks', () => {
  const op = (id: number, kind: OperationView['kind']): OperationView => ({
    id, kind, profile: 'p', started_at_ms: id, finished_at_ms: id + 1, outcome: 'ok', error: null, steps: [],
  });
  it('is the newest that is not an inspector visit', () => {
    expect(defaultOperation([op(3, 'inspect'), op(2, 'api_call'), op(1, 'sign_in')])?.id, 'a token check is skipped').toBe(2);
  });
  it('is an inspector visit when there is nothing else, and none when there is nothing', () => {
    expect(defaultOperation([op(1, 'inspect')])?.id, 'better than an empty tab').toBe(1);
    expect(defaultOperation([]), 'no operation yet').toBeNull();
  });
});
