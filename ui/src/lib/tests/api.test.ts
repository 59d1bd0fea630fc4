import { describe, expect, it, vi } from 'vitest';
import { addRow, bodyUsual, debounce, defaultUrl, emptyRow, loadSaved, newRequest, removeRow, rowCount, suggestName, tidy } from '../api';

describe('the default URL', () => {
  it('is the demo API of a local provider', () => {
    expect(defaultUrl('http://127.0.0.1:9090')).toBe('http://127.0.0.1:9090/api/me');
    expect(defaultUrl('http://localhost:8080/realms/dev/'), 'a trailing slash is not doubled').toBe('http://localhost:8080/realms/dev/api/me');
  });
  it('is empty for any other provider, or an issuer that is no URL', () => {
    expect(defaultUrl('https://sso.example.com/realms/dev')).toBe('');
    expect(defaultUrl('not a url')).toBe('');
  });
  it('starts a new request as a GET without rows or body', () => {
    expect(newRequest('http://127.0.0.1:9090')).toEqual({
      method: 'GET',
      url: 'http://127.0.0.1:9090/api/me',
      query: [],
      headers: [],
      body_kind: 'none',
      body: '',
      form: [],
      content_type: '',
    });
  });
});

describe('rows', () => {
  it('are added empty and enabled, and removed by position', () => {
    const rows = addRow([{ name: 'a', value: '1', enabled: false }]);
    expect(rows).toEqual([{ name: 'a', value: '1', enabled: false }, emptyRow()]);
    expect(emptyRow().enabled).toBe(true);
    expect(removeRow(rows, 0)).toEqual([emptyRow()]);
    expect(removeRow(rows, 5), 'out of range removes nothing').toEqual(rows);
  });
  it('count the enabled ones with a name', () => {
    expect(rowCount([{ name: 'a', value: '', enabled: true }, { name: ' ', value: 'x', enabled: true }, { name: 'b', value: '', enabled: false }])).toBe(1);
  });
  it('that are blank are dropped before saving, kept when only switched off', () => {
    const r = { ...newRequest(''), headers: [emptyRow(), { name: 'X-A', value: '1', enabled: false }], query: [{ name: '', value: ' ', enabled: true }] };
    expect(tidy(r).headers).toEqual([{ name: 'X-A', value: '1', enabled: false }]);
    expect(tidy(r).query).toEqual([]);
  });
});

describe('saved requests', () => {
  it('load as a copy, so editing leaves the list alone', () => {
    const saved = { name: 'me', request: newRequest('http://127.0.0.1:9090') };
    const r = loadSaved(saved);
    r.headers.push(emptyRow());
    expect(saved.request.headers).toEqual([]);
  });
  it('load from reactive state too (a Proxy)', () => {
    const saved = new Proxy({ name: 'me', request: newRequest('http://127.0.0.1:9090') }, {});
    expect(loadSaved(saved).url).toBe('http://127.0.0.1:9090/api/me');
  });
});

describe('names for saving', () => {
  it('come from the path, else the host', () => {
    expect(suggestName('http://127.0.0.1:9090/api/me?x=1')).toBe('api-me');
    expect(suggestName('https://api.example.com/')).toBe('api.example.com');
    expect(suggestName('not a url'), 'anything else').toBe('request');
  });
});

describe('bodies', () => {
  it('are usual for POST, PUT, PATCH and DELETE only', () => {
    expect(['GET', 'head', 'OPTIONS'].map(bodyUsual)).toEqual([false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(bodyUsual)).toEqual([true, true, true, true]);
  });
});

describe('debouncing', () => {
  it('runs once after the last call, with its arguments, and can be cancelled', () => {
    vi.useFakeTimers();
    const f = vi.fn();
    const d = debounce(f, 300);
    d(1);
    d(2);
    vi.advanceTimersByTime(299);
    expect(f).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(f).toHaveBeenCalledExactlyOnceWith(2);
    d(3);
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(f).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });
});
