// The sequence diagram of one operation, as data. Its HTTP exchanges are the
// HTTP log entries tagged with its id (redacted by Rust); its other steps are
// those Tessera knows of but does not see over HTTP (the browser opened, the
// redirect received, a device code shown and approved). Both become arrows
// between lanes, in time order, with labels; the Flow components draw them
// as SVG and `toMermaid` writes them as text. Labels carry no query or form
// values: a URL is shown as its path and its parameters' names.
import { formatMs } from './format';
import type { HeaderView, HttpLogSummary, OperationKind, OperationStepView, OperationView } from './types';

export type Lane = 'browser' | 'tessera' | 'provider' | 'api';

/** The lanes, left to right. */
export const LANES: readonly Lane[] = ['browser', 'tessera', 'provider', 'api'];

export const LANE_NAMES: Record<Lane, string> = { browser: 'Browser', tessera: 'Tessera', provider: 'Provider', api: 'API' };

/** What a dashed arrow says of itself. */
export const UNSEEN = 'not seen by Tessera: drawn from what it knows';

/** An operation's kind, as a heading: "Sign-in", "API call". */
export const OPERATION_NAMES: Record<OperationKind, string> = {
  sign_in: 'Sign-in',
  refresh: 'Refresh',
  sign_out: 'Sign-out',
  revoke: 'Revocation',
  introspect: 'Introspection',
  exchange: 'Token exchange',
  api_call: 'API call',
  discovery: 'Discovery',
  inspect: 'Token check',
};

/** What the model reads of an exchange's detail (`http_log_entry`), all redacted by Rust. */
export type ExchangeBodies = { request_body: string | null; response_body: string | null; response_headers: HeaderView[] };

/** `ok`; `failed` (status ≥ 400, or no response); `pending`, a device poll told to wait. */
export type StepState = 'ok' | 'failed' | 'pending';

export type FlowStep = {
  /** Position in the diagram, from 0. */
  index: number;
  from: Lane;
  to: Lane;
  /** What it is: "token (refresh)", "API call GET /api/me", "browser opened at /authorize?client_id&state". */
  label: string;
  /** "200", "no response"; null for a step outside HTTP. */
  status: string | null;
  /** "34.0 ms"; null for a step outside HTTP. */
  duration: string | null;
  state: StepState;
  /** One line: why it failed, or what a poll was told. */
  note: string | null;
  /** Whether Tessera saw it over HTTP; the others are drawn dashed. */
  seen: boolean;
  /** The HTTP log entries it stands for, oldest first (several for repeated polls); empty outside HTTP. */
  exchanges: number[];
  /** When it started, Unix milliseconds, and since the operation started. */
  at_ms: number;
  offset_ms: number;
};

export type Flow = {
  operation: number;
  title: string;
  /** The lanes used, left to right; Tessera always. */
  lanes: Lane[];
  steps: FlowStep[];
  outcome: OperationView['outcome'];
  /** The operation's own error (one line), drawn as the last note. */
  error: string | null;
};

/** As many operations as Rust keeps. */
export const OPERATIONS_KEPT = 50;

/** How far along an operation's view is: an ended one, or one with more steps, is the later view of it. */
const progress = (o: OperationView) => (o.outcome === 'running' ? 0 : 1000) + o.steps.length;

/**
 * Both lists once each, by id, oldest first, the newest `limit` kept. Of two
 * views of one operation (the list and an event that crossed it), the one
 * further along wins, else the one from `more`.
 */
export function mergeOperations(list: OperationView[], more: OperationView[], limit = OPERATIONS_KEPT): OperationView[] {
  const byId = new Map<number, OperationView>();
  for (const o of [...list, ...more]) {
    const had = byId.get(o.id);
    if (!had || progress(o) >= progress(had)) byId.set(o.id, o);
  }
  return [...byId.values()].sort((a, b) => a.id - b.id).slice(-limit);
}

/** A profile's operations, newest first. */
export const operationsOf = (list: OperationView[], profile: string): OperationView[] =>
  list.filter((o) => o.profile === profile).reverse();

/**
 * A URL as its path and the names of its parameters, never their values:
 * `https://idp/authorize?client_id=x&state=y` → `/authorize?client_id&state`.
 */
export function pathAndNames(url: string): string {
  const noFragment = url.split('#')[0];
  const q = noFragment.indexOf('?');
  const base = q < 0 ? noFragment : noFragment.slice(0, q);
  const path = base.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '') || '/';
  const names = q < 0 ? [] : [...new Set(noFragment.slice(q + 1).split('&').map((p) => decodeName(p.split('=')[0])).filter(Boolean))];
  return names.length ? `${path}?${names.join('&')}` : path;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * Text from outside (an error, a provider's description) as one line for a
 * diagram: whitespace collapsed, URLs without their parameters' values,
 * anything shaped like a JWT left out, at most `max` characters.
 */
export function oneLine(text: string, max = 240): string {
  const line = text
    .replace(/\bhttps?:\/\/[^\s"'<>]+/g, (u) => (/[?#]/.test(u) ? `${u.match(/^https?:\/\/[^/?#]*/)?.[0] ?? ''}${pathAndNames(u)}` : u))
    .replace(/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '(token)')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A form body's fields, or null when the body is not a form (none, JSON, text). */
function formOf(body: string | null): URLSearchParams | null {
  const text = body?.trim();
  if (!text || text.startsWith('{') || text.startsWith('[') || !text.includes('=')) return null;
  return new URLSearchParams(text);
}

const GRANTS: Record<string, string> = {
  authorization_code: 'code',
  refresh_token: 'refresh',
  'urn:ietf:params:oauth:grant-type:device_code': 'device',
  client_credentials: 'client credentials',
  'urn:ietf:params:oauth:grant-type:token-exchange': 'exchange',
  'urn:ietf:params:oauth:grant-type:jwt-bearer': 'JWT bearer',
  password: 'password',
};

/** The grant of a token request, from its form (grant_type, else its fields' names), else from the operation. */
export function grantOf(requestBody: string | null, kind: OperationKind | null): string | null {
  const form = formOf(requestBody);
  if (form) {
    const grant = form.get('grant_type');
    if (grant && GRANTS[grant]) return GRANTS[grant];
    if (form.has('subject_token')) return 'exchange';
    if (form.has('device_code')) return 'device';
    if (form.has('refresh_token')) return 'refresh';
    if (form.has('code') || form.has('code_verifier')) return 'code';
    if (grant && !grant.includes('[')) return grant.split(':').pop() ?? grant;
  }
  return kind === 'exchange' ? 'exchange' : null;
}

const ENDPOINTS: Record<string, string> = {
  'discovery document': 'discovery',
  'JWKS endpoint': 'JWKS',
  'pushed authorization request endpoint': 'PAR',
  'device authorization endpoint': 'device authorization',
  'authorization endpoint': 'authorization',
  'userinfo endpoint': 'userinfo',
  'revocation endpoint': 'revocation',
  'introspection endpoint': 'introspection',
  'end-session endpoint': 'end session',
  'profile picture': 'profile picture',
};

/** What an exchange is, from its endpoint (and a token request's grant): "token (code)", "API call GET /api/me". */
export function exchangeLabel(e: Pick<HttpLogSummary, 'endpoint' | 'method' | 'url'>, requestBody: string | null = null, kind: OperationKind | null = null): string {
  if (e.endpoint === 'API') return `API call ${e.method} ${pathAndNames(e.url).split('?')[0]}`;
  if (e.endpoint === 'token endpoint') {
    const grant = grantOf(requestBody, kind);
    return grant ? `token (${grant})` : 'token';
  }
  return ENDPOINTS[e.endpoint] ?? e.endpoint;
}

const laneOf = (e: Pick<HttpLogSummary, 'endpoint'>): Lane => (e.endpoint === 'API' ? 'api' : 'provider');

/** A JSON body's `error` and `error_description`, as one line. */
function jsonError(body: string | null): { code: string; line: string } | null {
  if (!body?.trim().startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(body);
    if (!v || typeof v !== 'object') return null;
    const { error, error_description: description } = v as Record<string, unknown>;
    if (typeof error !== 'string') return null;
    return { code: error, line: typeof description === 'string' && description ? `${error}: ${description}` : error };
  } catch {
    return null;
  }
}

/** A `WWW-Authenticate` challenge's error and description, as one line. */
function challengeError(headers: HeaderView[]): string | null {
  const h = headers.find((x) => x.name.toLowerCase() === 'www-authenticate')?.value;
  const error = h?.match(/error="([^"]*)"/)?.[1];
  if (!error) return null;
  const description = h?.match(/error_description="([^"]*)"/)?.[1];
  return description ? `${error}: ${description}` : error;
}

/** Whether a status and note are a device poll told to keep waiting (RFC 8628 §3.5). */
const WAITING = new Set(['authorization_pending', 'slow_down']);

function exchangeStep(e: HttpLogSummary, bodies: ExchangeBodies | undefined, op: OperationView): Omit<FlowStep, 'index'> {
  const label = exchangeLabel(e, bodies?.request_body ?? null, op.kind);
  let state: StepState = 'ok';
  let note: string | null = null;
  if (e.status === null) {
    state = 'failed';
    note = oneLine(e.error ?? 'no response');
  } else if (e.status >= 400) {
    const body = jsonError(bodies?.response_body ?? null);
    if (e.endpoint === 'token endpoint' && body && WAITING.has(body.code)) {
      state = 'pending';
      note = body.code;
    } else {
      state = 'failed';
      note = oneLine(body?.line ?? challengeError(bodies?.response_headers ?? []) ?? `HTTP ${e.status}`);
    }
  }
  return {
    from: 'tessera',
    to: laneOf(e),
    label,
    status: e.status === null ? 'no response' : String(e.status),
    duration: formatMs(e.duration_ms),
    state,
    note,
    seen: true,
    exchanges: [e.id],
    at_ms: e.at_ms,
    offset_ms: Math.max(0, e.at_ms - op.started_at_ms),
  };
}

function unseenStep(s: OperationStepView, op: OperationView): Omit<FlowStep, 'index'> {
  const where = pathAndNames(s.detail);
  const [from, to, label]: [Lane, Lane, string] =
    s.kind === 'browser_opened'
      ? ['tessera', 'browser', `browser opened at ${where}`]
      : s.kind === 'redirect_received'
        ? ['browser', 'tessera', `redirect received at ${where}`]
        : s.kind === 'device_code_shown'
          ? ['tessera', 'browser', `device code shown, to enter at ${where}`]
          : ['browser', 'provider', `device code approved at ${where}`];
  return {
    from,
    to,
    label,
    status: null,
    duration: null,
    state: 'ok',
    note: null,
    seen: false,
    exchanges: [],
    at_ms: s.at_ms,
    offset_ms: Math.max(0, s.at_ms - op.started_at_ms),
  };
}

/**
 * The diagram of `op`: its exchanges in `log` (those tagged with its id) and
 * its steps, in time order. Times are whole milliseconds and an exchange's
 * is when it started, so within one millisecond an exchange that took less
 * than one came before a step, and a longer one after it (the redirect
 * arrives, then the token request it leads to starts); a device's approval,
 * which Tessera learns from the poll that got the tokens, comes just before
 * that poll. `bodies` holds the
 * details read so far, by exchange id: a token request's grant and an
 * error's description come from them. Consecutive device polls told to wait
 * are one arrow.
 */
export function flowOf(op: OperationView, log: HttpLogSummary[], bodies: ReadonlyMap<number, ExchangeBodies> = new Map()): Flow {
  const exchanges = log.filter((e) => e.operation === op.id).sort((a, b) => a.id - b.id);
  const items = [
    ...exchanges.map((e, i) => ({ at: e.at_ms, order: e.duration_ms < 1 ? 0 : 2, i, step: exchangeStep(e, bodies.get(e.id), op) })),
    ...op.steps.map((s, i) => {
      // Tessera learns of the approval from the poll that got the tokens: the approval came before that poll.
      const poll = s.kind === 'device_approved' ? exchanges.filter((e) => e.endpoint === 'token endpoint' && e.at_ms <= s.at_ms).pop() : undefined;
      return { at: poll?.at_ms ?? s.at_ms, order: poll ? -1 : 1, i: exchanges.length + i, step: unseenStep(s, op) };
    }),
  ].sort((a, b) => a.at - b.at || a.order - b.order || a.i - b.i);

  const steps: FlowStep[] = [];
  for (const { step } of items) {
    const last = steps[steps.length - 1];
    if (last && last.state === 'pending' && step.state === 'pending' && last.label === step.label && last.note === step.note) {
      last.exchanges.push(...step.exchanges);
      last.duration = step.duration;
      continue;
    }
    steps.push({ ...step, index: steps.length });
  }
  const used = new Set<Lane>(['tessera', ...steps.flatMap((s) => [s.from, s.to])]);
  return {
    operation: op.id,
    title: OPERATION_NAMES[op.kind] ?? op.kind,
    lanes: LANES.filter((l) => used.has(l)),
    steps,
    outcome: op.outcome,
    error: op.outcome === 'failed' ? oneLine(op.error ?? 'failed', 400) : null,
  };
}

/** Which exchanges' details the diagram reads: token requests (their grant) and failures (their error). */
export function detailsWanted(op: OperationView, log: HttpLogSummary[]): number[] {
  return log.filter((e) => e.operation === op.id && (e.endpoint === 'token endpoint' || (e.status !== null && e.status >= 400))).map((e) => e.id);
}

/** "token (code)", "token (device) ×12": the label with how many polls it stands for. */
export const stepTitle = (s: FlowStep): string => (s.exchanges.length > 1 ? `${s.label} ×${s.exchanges.length}` : s.label);

/** What the arrow shows under its label: "200 · 12.0 ms", "400 · invalid_grant: …", or the unseen note. */
export function stepCaption(s: FlowStep): string {
  if (!s.seen) return UNSEEN;
  return [s.status, s.duration, s.note].filter(Boolean).join(' · ');
}

/** The whole step in one line, as the list, the arrow's accessible name and Mermaid say it. */
export const stepText = (s: FlowStep): string => `${stepTitle(s)} · ${stepCaption(s)}`;

/** The step with its lanes: "Tessera → Provider: token (code) · 200 · 12.0 ms". */
export const stepSentence = (s: FlowStep): string => `${LANE_NAMES[s.from]} → ${LANE_NAMES[s.to]}: ${stepText(s)}`;

/** How the diagram ends, in words, or null when it ended well. */
export function endText(flow: Flow): string | null {
  if (flow.outcome === 'failed') return `failed: ${flow.error ?? 'unknown error'}`;
  if (flow.outcome === 'running') return 'still running';
  return null;
}

/** Text inside a Mermaid message: one line, with `;` and `#` (which Mermaid reads) as its entity codes. */
const mermaidText = (text: string) => text.replace(/\s+/g, ' ').replace(/#/g, '#35;').replace(/;/g, '#59;');

/**
 * The flow as a Mermaid `sequenceDiagram`: the same lanes, labels and order
 * as the drawing; dashed arrows for the unseen steps, a cross for a failure,
 * the operation's error as the last note.
 */
export function toMermaid(flow: Flow): string {
  const lines = ['sequenceDiagram', ...flow.lanes.map((l) => `  participant ${LANE_NAMES[l]}`)];
  for (const s of flow.steps) {
    const arrow = s.seen ? (s.state === 'failed' ? '-x' : '->>') : '-->>';
    lines.push(`  ${LANE_NAMES[s.from]}${arrow}${LANE_NAMES[s.to]}: ${mermaidText(stepText(s))}`);
  }
  const end = endText(flow);
  if (end) lines.push(`  Note over Tessera: ${mermaidText(end)}`);
  return `${lines.join('\n')}\n`;
}

/** The operation the Flow tab shows until the user picks one: the newest
 *  that is not an inspector visit, else the newest (`ops` newest first). */
export function defaultOperation(ops: OperationView[]): OperationView | null {
  return ops.find((o) => o.kind !== 'inspect') ?? ops[0] ?? null;
}
