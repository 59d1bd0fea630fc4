import { describe, expect, it } from 'vitest';
import { appendLog, filterLog, mergeLog, statusText } from '../httplog';
import type { HttpLogSummary } from '../types';

const e = (id: number, over: Partial<HttpLogSummary> = {}): HttpLogSummary => ({
  id,
  at_ms: id * 1000,
  endpoint: 'token endpoint',
  method: 'POST',
  url: `http://127.0.0.1:9090/token`,
  status: 200,
  error: null,
  duration_ms: 5,
  operation: null,
  ...over,
});

describe('keeping the log', () => {
  it('merges what Rust had with what arrived as events, once each, oldest first', () => {
    expect(mergeLog([e(1), e(2), e(3)], [e(3), e(4)]).map((x) => x.id)).toEqual([1, 2, 3, 4]);
    expect(mergeLog([e(5)], [e(2)]).map((x) => x.id), 'sorted by id').toEqual([2, 5]);
  });
  it('keeps the newest 200', () => {
    let log: HttpLogSummary[] = [];
    for (let i = 1; i <= 205; i++) log = appendLog(log, e(i));
    expect(log.length).toBe(200);
    expect(log[0].id).toBe(6);
    expect(log[199].id).toBe(205);
  });
});

describe('filtering the log', () => {
  const log = [
    e(1, { endpoint: 'discovery document', method: 'GET', url: 'http://127.0.0.1:9090/.well-known/openid-configuration' }),
    e(2),
    e(3, { endpoint: 'API', method: 'GET', url: 'http://127.0.0.1:9090/api/admin', status: 403 }),
    e(4, { endpoint: 'API', method: 'GET', url: 'https://down.example.com/x', status: null, error: 'connection refused' }),
  ];
  it('matches the URL, the endpoint, the method or the status, in any case', () => {
    expect(filterLog(log, 'API').map((x) => x.id)).toEqual([3, 4]);
    expect(filterLog(log, 'well-known').map((x) => x.id)).toEqual([1]);
    expect(filterLog(log, '403').map((x) => x.id)).toEqual([3]);
    expect(filterLog(log, 'refused').map((x) => x.id), 'and the error').toEqual([4]);
  });
  it('needs every word, and an empty filter keeps all', () => {
    expect(filterLog(log, 'api admin').map((x) => x.id)).toEqual([3]);
    expect(filterLog(log, '  ')).toEqual(log);
  });
  it('says when no response came', () => {
    expect(statusText(log[3])).toBe('no response');
    expect(statusText(log[2])).toBe('403');
  });
});
