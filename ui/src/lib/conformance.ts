// The provider conformance check as the window shows it: the findings in
// groups, errors first, and the sidebar's marker for a provider with errors.
import type { FindingLevel, FindingView, ProfileSummary } from './types';

export type FindingGroup = { level: FindingLevel; title: string; findings: FindingView[] };

const GROUPS: { level: FindingLevel; one: string; many: string }[] = [
  { level: 'error', one: 'error', many: 'errors' },
  { level: 'warning', one: 'warning', many: 'warnings' },
  { level: 'note', one: 'note', many: 'notes' },
];

const counted = (n: number, g: (typeof GROUPS)[number]) => `${n} ${n === 1 ? g.one : g.many}`;

/** The findings by level, errors first, then warnings, then notes; levels without findings are left out. */
export function findingsByLevel(findings: FindingView[]): FindingGroup[] {
  return GROUPS.map((g) => {
    const of = findings.filter((f) => f.level === g.level);
    return { level: g.level, title: counted(of.length, g), findings: of };
  }).filter((g) => g.findings.length > 0);
}

/** One line over the findings: "1 error, 2 warnings", or that nothing was found. */
export function conformanceSummary(findings: FindingView[]): string {
  const groups = findingsByLevel(findings);
  if (!groups.length) return 'No findings: the metadata and keys follow the specifications Tessera checks.';
  return groups.map((g) => g.title).join(', ');
}

/** The badge class of a level, as the window's other reports colour theirs. */
export const levelBadge = (level: FindingLevel): 'bad' | 'warn' | 'info' => (level === 'error' ? 'bad' : level === 'warning' ? 'warn' : 'info');

/** The number of errors the profile's provider had when last checked, when that is more than none. */
export const markedErrors = (p: Pick<ProfileSummary, 'conformance_errors'>): number | null =>
  p.conformance_errors !== null && p.conformance_errors > 0 ? p.conformance_errors : null;

/** The sidebar marker's title. */
export const markerTitle = (errors: number): string =>
  `The provider's metadata has ${errors} conformance error${errors === 1 ? '' : 's'}; see the Provider tab`;
