import { describe, expect, it } from 'vitest';
import { QUIET_ZONE, qrDrawing } from '../qr';

/** The dark cells a path covers, read back from its `M x y h n v1 h-n z` rectangles. */
function cells(path: string): Set<string> {
  const out = new Set<string>();
  for (const m of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    const [x, y, run, back] = [m[1], m[2], m[3], m[4]].map(Number);
    expect(back, 'each rectangle closes on itself').toBe(run);
    for (let i = 0; i < run; i++) out.add(`${x + i},${y}`);
  }
  return out;
}

describe('the QR code drawing', () => {
  const rows = ['1110', '0000', '1011', '0001'];

  it('adds a quiet zone of four modules on every side', () => {
    const qr = qrDrawing(rows)!;
    expect(QUIET_ZONE, 'ISO/IEC 18004 asks for four modules').toBe(4);
    expect(qr.size, 'four modules plus a border of four on each side').toBe(4 + 2 * 4);
    const xs = [...cells(qr.path)].map((c) => Number(c.split(',')[0]));
    const ys = [...cells(qr.path)].map((c) => Number(c.split(',')[1]));
    expect(Math.min(...xs), 'nothing is drawn in the left quiet zone').toBe(4);
    expect(Math.min(...ys), 'nothing is drawn in the top quiet zone').toBe(4);
    expect(Math.max(...xs), 'nothing is drawn in the right quiet zone').toBeLessThan(qr.size - 4);
    expect(Math.max(...ys), 'nothing is drawn in the bottom quiet zone').toBeLessThan(qr.size - 4);
  });
  it('draws exactly the dark modules, shifted by the quiet zone', () => {
    const qr = qrDrawing(rows)!;
    const expected = new Set<string>();
    rows.forEach((row, y) => [...row].forEach((c, x) => c === '1' && expected.add(`${x + 4},${y + 4}`)));
    expect(cells(qr.path), 'every dark module and no light one').toEqual(expected);
    expect(qr.dark, 'the count matches the modules drawn').toBe(expected.size);
  });
  it('joins a run of dark modules on a row into one rectangle', () => {
    const qr = qrDrawing(['1111', '0110', '0000', '1001'])!;
    expect(qr.path.match(/M/g)?.length, 'one rectangle per run: 1 + 1 + 0 + 2').toBe(4);
    expect(qr.path.startsWith('M4 4h4v1h-4z'), 'the first row is one run of four').toBe(true);
  });
  it('honours another quiet zone and treats anything but 1 as light', () => {
    const qr = qrDrawing(['1x', ' 1'], 1)!;
    expect(qr.size).toBe(4);
    expect(cells(qr.path), 'only the two 1s are dark').toEqual(new Set(['1,1', '2,2']));
  });
  it('draws nothing for no rows', () => {
    expect(qrDrawing([]), 'no code to draw').toBeNull();
    expect(qrDrawing(['', '']), 'empty rows are no code either').toBeNull();
  });
  it('stays square when a row is short', () => {
    expect(qrDrawing(['101', '1'])!.size, 'the widest row sets the size').toBe(3 + 8);
  });
});
