// The tabs of the signed-in view and the tablist's keyboard rules (WAI-ARIA
// tabs pattern: arrows move and select, Home and End go to the ends).
export const TABS = [
  { id: 'profile', label: 'Profile' },
  { id: 'inspector', label: 'Inspector' },
  { id: 'api', label: 'API' },
  { id: 'provider', label: 'Provider' },
  { id: 'flow', label: 'Flow' },
  { id: 'http-log', label: 'HTTP log' },
] as const;

export type TabId = (typeof TABS)[number]['id'];

/** The tab a key moves to from `index`, or null for keys the tablist does not handle. */
export function tabAfterKey(key: string, index: number, count: number): number | null {
  switch (key) {
    case 'ArrowRight':
      return (index + 1) % count;
    case 'ArrowLeft':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
