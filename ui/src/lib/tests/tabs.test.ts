import { describe, expect, it } from 'vitest';
import { TABS, tabAfterKey } from '../tabs';

describe('the tablist', () => {
  it('has the six tabs in order', () => {
    expect(TABS.map((t) => t.id)).toEqual(['profile', 'inspector', 'api', 'provider', 'flow', 'http-log']);
  });
  it('moves with the arrows, wrapping around, and jumps with Home and End', () => {
    expect(tabAfterKey('ArrowRight', 0, 5)).toBe(1);
    expect(tabAfterKey('ArrowRight', 4, 5)).toBe(0);
    expect(tabAfterKey('ArrowLeft', 0, 5)).toBe(4);
    expect(tabAfterKey('Home', 3, 5)).toBe(0);
    expect(tabAfterKey('End', 1, 5)).toBe(4);
  });
  it('leaves other keys alone', () => {
    expect(tabAfterKey('ArrowDown', 1, 5)).toBeNull();
    expect(tabAfterKey('Enter', 1, 5)).toBeNull();
  });
});
