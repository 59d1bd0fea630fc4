// The device sign-in's QR code, drawn from the rows Rust sends ('1' a dark
// module, no quiet zone) as one SVG path: no HTML is made from the data, so
// the strict CSP holds and nothing can be injected.

/** The white border a scanner needs around the code, in modules (ISO/IEC 18004). */
export const QUIET_ZONE = 4;

export type QrDrawing = {
  /** Width and height of the drawing in modules, quiet zone included: the SVG's viewBox. */
  size: number;
  /** An SVG path of the dark modules, each horizontal run one closed rectangle. */
  path: string;
  /** How many dark modules the path covers (for tests and a sanity check). */
  dark: number;
};

/**
 * The drawing of a QR code with a quiet zone of `quiet` modules on every
 * side, or null when there is nothing to draw. Runs of dark modules on a row
 * become one rectangle, which keeps the path short and leaves no hairline
 * gaps between modules when the SVG is scaled.
 */
export function qrDrawing(rows: string[], quiet = QUIET_ZONE): QrDrawing | null {
  const width = Math.max(0, ...rows.map((r) => r.length));
  if (!rows.length || !width) return null;
  const modules = Math.max(width, rows.length);
  const parts: string[] = [];
  let dark = 0;
  rows.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (row[x] !== '1') {
        x += 1;
        continue;
      }
      const start = x;
      while (x < row.length && row[x] === '1') x += 1;
      const run = x - start;
      dark += run;
      parts.push(`M${start + quiet} ${y + quiet}h${run}v1h-${run}z`);
    }
  });
  return { size: modules + 2 * quiet, path: parts.join(''), dark };
}
