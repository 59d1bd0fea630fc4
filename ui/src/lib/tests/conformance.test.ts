import { describe, expect, it } from 'vitest';
import { conformanceSummary, findingsByLevel, levelBadge, markedErrors, markerTitle } from '../conformance';
import type { FindingLevel, FindingView } from '../types';

const finding = (id: string, level: FindingLevel): FindingView => ({ id, level, message: `${id} message`, reference: 'RFC 8414 §2' });

describe('the findings by level', () => {
  it('come errors first, then warnings, then notes, whatever order they arrive in', () => {
    const groups = findingsByLevel([finding('n1', 'note'), finding('w1', 'warning'), finding('e1', 'error'), finding('w2', 'warning')]);
    expect(groups.map((g) => g.level)).toEqual(['error', 'warning', 'note']);
    expect(groups[1].findings.map((f) => f.id), 'the order within a level is kept').toEqual(['w1', 'w2']);
  });
  it('leave out a level without findings', () => {
    expect(findingsByLevel([finding('n1', 'note')]).map((g) => g.level)).toEqual(['note']);
    expect(findingsByLevel([])).toEqual([]);
  });
  it('count each level in the group’s title', () => {
    const groups = findingsByLevel([finding('e1', 'error'), finding('w1', 'warning'), finding('w2', 'warning')]);
    expect(groups.map((g) => g.title)).toEqual(['1 error', '2 warnings']);
  });
});

describe('the summary of a check', () => {
  it('counts the findings, errors first', () => {
    expect(conformanceSummary([finding('n1', 'note'), finding('e1', 'error'), finding('e2', 'error')])).toBe('2 errors, 1 note');
  });
  it('says when there is nothing to report', () => {
    expect(conformanceSummary([])).toMatch(/^No findings/);
  });
});

describe('the level badges', () => {
  it('colour errors as failures, warnings as warnings and notes as information', () => {
    expect(['error', 'warning', 'note'].map((l) => levelBadge(l as FindingLevel))).toEqual(['bad', 'warn', 'info']);
  });
});

describe('the sidebar marker', () => {
  it('shows for a provider with errors, with their number', () => {
    expect(markedErrors({ conformance_errors: 3 })).toBe(3);
    expect(markerTitle(3)).toBe("The provider's metadata has 3 conformance errors; see the Provider tab");
  });
  it('speaks of one error in the singular', () => {
    expect(markerTitle(1)).toBe("The provider's metadata has 1 conformance error; see the Provider tab");
  });
  it('does not show for a provider without errors, or one not checked lately', () => {
    expect(markedErrors({ conformance_errors: 0 })).toBeNull();
    expect(markedErrors({ conformance_errors: null })).toBeNull();
  });
});
