#!/usr/bin/env python3
"""Prints every figure the bench scripts recorded as one table.

    bench/report.py RESULTS.jsonl [--before BEFORE.jsonl]

RESULTS.jsonl holds one JSON object per line, appended by bench/desktop.sh,
bench/cli.sh and the engine's cargo benches when TESSERA_BENCH_RESULTS names
the file (bench/all.sh does this):

  {"group", "metric", "tessera", "baseline", "baseline_name", "unit",
   "target", "limit"}

`target` is a ratio Tessera / baseline not to exceed, `limit` an absolute
value not to exceed; a row may have neither (reported only). With --before,
a second file from another run (e.g. before a change) adds its ratio, or its
value where there is no baseline, as a column. Ratios are what to compare
across runs: both sides of one are measured in the same run.
"""
import json
import os
import sys


def record(group, metric, tessera, unit, baseline=None, baseline_name=None, target=None, limit=None):
    """Appends one row to $TESSERA_BENCH_RESULTS when it is set (bench/all.sh
    sets it); the bench scripts import this, the cargo benches write the same
    row (src-tauri/engine/benches/support)."""
    out = os.environ.get("TESSERA_BENCH_RESULTS")
    if out:
        with open(out, "a") as f:
            f.write(json.dumps({"group": group, "metric": metric, "tessera": tessera,
                                "baseline": baseline, "baseline_name": baseline_name,
                                "unit": unit, "target": target, "limit": limit}) + "\n")


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def number(v, unit):
    if v is None:
        return "-"
    if unit in ("MB", "MiB", "ms") and v < 100:
        return f"{v:.2f} {unit}"
    if unit == "µs":
        return f"{v:.1f} {unit}"
    return f"{v:.0f} {unit}"


def compared(row):
    """The figure a target is checked against: the ratio, or the value."""
    if row.get("baseline"):
        return row["tessera"] / row["baseline"]
    return row["tessera"]


def verdict(row):
    if row.get("target") is not None:
        return f"<= {row['target']:.2f}x " + ("met" if compared(row) <= row["target"] else "MISSED")
    if row.get("limit") is not None:
        unit = row["unit"]
        return f"<= {row['limit']:g} {unit} " + ("met" if row["tessera"] <= row["limit"] else "MISSED")
    return ""


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    rows = load(argv[0])
    before = {}
    if "--before" in argv:
        for r in load(argv[argv.index("--before") + 1]):
            before[(r["group"], r["metric"])] = r
    head = f"{'':<13} {'metric':<44} {'Tessera':>11} {'baseline':>11}  {'(what)':<22} {'ratio':>6}"
    if before:
        head += f" {'before':>10}"
    head += "  target"
    print(head)
    print("-" * len(head))
    broken = 0
    for r in rows:
        ratio = f"{r['tessera'] / r['baseline']:.2f}x" if r.get("baseline") else "-"
        line = (f"{r['group']:<13} {r['metric'][:44]:<44} {number(r['tessera'], r['unit']):>11} "
                f"{number(r.get('baseline'), r['unit']):>11}  {(r.get('baseline_name') or '')[:22]:<22} {ratio:>6}")
        if before:
            b = before.get((r["group"], r["metric"]))
            cell = "-" if b is None else (f"{compared(b):.2f}x" if b.get("baseline") else number(b["tessera"], b["unit"]))
            line += f" {cell:>10}"
        v = verdict(r)
        broken += v.endswith("MISSED")
        print(line + "  " + v)
    print(f"\n{len(rows)} figures; {broken} target{'s' if broken != 1 else ''} missed "
          "(reported, not failed: these are measurements, not tests)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
