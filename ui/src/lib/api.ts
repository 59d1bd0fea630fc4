// The API panel's request form: rows, defaults and what to show. Rust maps
// the form to a request (and adds the access token); these helpers only
// shape what the user edits.
import type { ApiRequestForm, BodyKind, KeyValue, SavedRequest } from './types';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

export const BODY_KINDS: { kind: BodyKind; label: string }[] = [
  { kind: 'none', label: 'None' },
  { kind: 'json', label: 'JSON' },
  { kind: 'form', label: 'Form' },
  { kind: 'raw', label: 'Raw' },
];

export const emptyRow = (): KeyValue => ({ name: '', value: '', enabled: true });

/** The rows with an empty row added at the end. */
export const addRow = (rows: KeyValue[]): KeyValue[] => [...rows, emptyRow()];

/** The rows without the one at `index`. */
export const removeRow = (rows: KeyValue[], index: number): KeyValue[] => rows.filter((_, i) => i !== index);

/** Hosts whose issuer is the local demo provider, which serves /api/me. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `${issuer}/api/me` for a local provider; empty otherwise (the user knows their API). */
export function defaultUrl(issuer: string): string {
  try {
    const url = new URL(issuer);
    return LOCAL_HOSTS.has(url.hostname) ? `${issuer.replace(/\/+$/, '')}/api/me` : '';
  } catch {
    return '';
  }
}

export function newRequest(issuer: string): ApiRequestForm {
  return {
    method: 'GET',
    url: defaultUrl(issuer),
    query: [],
    headers: [],
    body_kind: 'none',
    body: '',
    form: [],
    content_type: '',
  };
}

/** The request with blank rows dropped: what is saved and previewed. */
export function tidy(r: ApiRequestForm): ApiRequestForm {
  const keep = (rows: KeyValue[]) => rows.filter((row) => row.name.trim() || row.value.trim());
  return { ...r, query: keep(r.query), headers: keep(r.headers), form: keep(r.form) };
}

/**
 * A copy of a saved request for the editor, so editing does not change the
 * list. A JSON copy: the list is reactive state (a Proxy), which
 * `structuredClone` refuses.
 */
export const loadSaved = (s: SavedRequest): ApiRequestForm => JSON.parse(JSON.stringify(s.request));

/** "2 of 3": the enabled rows with a name, for a section's heading. */
export function rowCount(rows: KeyValue[]): number {
  return rows.filter((r) => r.enabled && r.name.trim()).length;
}

/** GET, HEAD and OPTIONS normally carry no body. */
export const bodyUsual = (method: string): boolean => !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());

/** Calls `f` once `ms` after the last call; `cancel` drops a pending call. */
export function debounce<A extends unknown[]>(f: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => f(...args), ms);
  };
  run.cancel = () => clearTimeout(timer);
  return run;
}

/** A name to offer for saving a request: its path ("api-me"), else its host. */
export function suggestName(url: string): string {
  try {
    const u = new URL(url.trim());
    return u.pathname.split('/').filter(Boolean).join('-') || u.host || 'request';
  } catch {
    return 'request';
  }
}
