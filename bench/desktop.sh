#!/usr/bin/env bash
# Tessera's desktop app against a bare Tauri window (bench/bare: one static
# page, same tauri version, features, window size, CSP and release profile),
# both built in this run, started alternately under Xvfb.
#
#   bench/desktop.sh [--runs N] [--deb] [--signed-in] [--debug] [--no-build] [--frames DIR]
#
#   --runs N      measured starts of each app (default 5), after one unmeasured
#                 warm-up start of each
#   --deb         also build the .deb with the Tauri CLI (minutes) and report its size
#   --signed-in   start Tessera with a saved session from the local provider
#                 (dev/provider.mjs), not as on a first run
#   --debug       measure debug builds (to work on this script; figures are not
#                 meaningful)
#   --no-build    use the binaries already in target/
#   --frames DIR  keep every captured frame as PNG, DIR/<app>-<run>/
#
# Metrics, each the median over the runs and the ratio Tessera / bare
# (targets: first paint <= 1.10x, idle PSS <= 1.15x, binary <= 1.5x, .deb
# <= 7.9 MiB):
# - cold start to first paint: from spawn until the app's top-level window
#   shows a frame that is not one uniform colour. A freshly mapped window is
#   black, then GTK's background, then the webview's white: all uniform. The
#   first non-uniform frame is the page's own drawing. bench/desktop-probe.py
#   measures it from outside, the same way for both apps: it learns of the
#   window's mapping from an X event, then grabs the window (XGetImage) each
#   time the X DAMAGE extension reports a draw into it, and sleeps in between.
#   Resolution: one grab and compare after the draw, a few ms. No polling
#   loop of xdotool/xwd/import, whose processes would each cost tens of ms of
#   CPU on the two cores the app is starting on. "Cold" is a new process; the
#   page cache is warm (the warm-up start is discarded).
#   Also shown: spawn to window mapped.
# - idle memory 10 s after spawn: RSS and PSS (/proc/<pid>/smaps_rollup)
#   summed over the app and all its descendants (WebKitWebProcess,
#   WebKitNetworkProcess). RSS counts a shared library once per process that
#   maps it, so the sum overstates real use; PSS splits each shared page
#   between all the processes that map it, so the sum is the tree's fair
#   share. PSS drops when another program maps the same libraries (another
#   WebKit program, e.g. tests running in another session): compare the two
#   apps within one run, not across runs. Services started over D-Bus (the
#   accessibility bus, gnome-keyring) are not descendants: neither app pays.
# - the stripped release binaries (the release profile strips), and the .deb
#   in target/release/bundle/deb if there is one.
#
# Runs go app, bare, bare, app, app, bare, ... so neither app always goes
# first. Each start gets the same throwaway HOME, XDG directories,
# TESSERA_CONFIG_DIR, private D-Bus session and unlocked gnome-keyring; each
# start waits until the previous one's whole process tree has exited.
# Other work on the machine skews start-up times: the load average is shown.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

usage() { sed -n '6,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
runs=5 build=1 deb= signed_in= profile=release frames=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=${2:?}; shift ;;
    --deb) deb=1 ;;
    --signed-in) signed_in=1 ;;
    --debug) profile=debug ;;
    --no-build) build= ;;
    --frames) frames=$(realpath -m "${2:?}"); shift ;;
    -h|--help) usage ;;
    *) echo "bench: unknown option $1" >&2; usage ;;
  esac
  shift
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "bench: --runs needs a positive number" >&2; exit 2; }

if [ "${TESSERA_BENCH_IN_SESSION:-}" = 1 ]; then
  runs=$TESSERA_BENCH_RUNS signed_in=$TESSERA_BENCH_SIGNED_IN profile=$TESSERA_BENCH_PROFILE
  frames=$TESSERA_BENCH_FRAMES
fi
app=$root/target/$profile/tessera-desktop
bare=$root/target/$profile/tessera-bench-bare
cli=$root/target/$profile/tessera

if [ "${TESSERA_BENCH_IN_SESSION:-}" != 1 ]; then
  # --- outside the session: packages, builds, then Xvfb + D-Bus -------------
  # Run-time packages (the build needs those .ci/setup installs).
  packages=(xvfb xauth dbus gnome-keyring libx11-6 libxdamage1 python3)
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    if [ "$(id -u)" -eq 0 ]; then
      echo "bench: installing ${missing[*]}" >&2
      apt-get -o DPkg::Lock::Timeout=300 update -qq
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "bench: missing Debian packages; install them with:" >&2
      echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
  fi

  if [ -n "$build" ]; then
    [ -d ui/node_modules ] || (cd ui && npm ci --no-audit --no-fund --loglevel=error)
    release=(); [ "$profile" = release ] && release=(--release --features custom-protocol)
    echo "bench: building the UI, Tessera and the bare window ($profile)…" >&2
    npm --prefix ui run build --silent > /dev/null
    if [ -n "$deb" ]; then
      # The Tauri CLI builds the release binary (with custom-protocol) and
      # packs it into target/release/bundle/deb.
      [ "$profile" = release ] || { echo "bench: --deb goes with release builds, not --debug" >&2; exit 2; }
      npm --prefix ui exec -- tauri build --bundles deb >&2
    fi
    cargo build --locked -q -p tessera-desktop "${release[@]}"
    if [ -n "$signed_in" ]; then
      # The command line has no custom-protocol feature: only the profile.
      cargo build --locked -q -p tessera-cli ${release[@]:+--release}
      [ -d dev/node_modules ] || (cd dev && npm ci --no-audit --no-fund --loglevel=error)
    fi
    # Same versions as Tessera: a copy of the root lock file, which cargo
    # prunes to what the bare window uses (so no --locked) but never upgrades.
    # Same target directory, so compiled dependencies are shared wherever the
    # features agree.
    cp Cargo.lock bench/bare/Cargo.lock
    cargo build -q --manifest-path bench/bare/Cargo.toml --target-dir "$root/target" "${release[@]}"
    lock_version() { grep -A1 "^name = \"$1\"$" "$2" | sed -n 's/^version = "\(.*\)"/\1/p'; }
    for crate in tauri wry tao webkit2gtk; do
      [ "$(lock_version $crate Cargo.lock)" = "$(lock_version $crate bench/bare/Cargo.lock)" ] ||
        { echo "bench: the bare window resolved another $crate than Tessera" >&2; exit 1; }
    done
  fi
  for b in "$app" "$bare" ${signed_in:+"$cli"}; do
    [ -x "$b" ] || { echo "bench: $b is missing; run without --no-build" >&2; exit 1; }
  done

  export TESSERA_BENCH_IN_SESSION=1 TESSERA_BENCH_RUNS=$runs TESSERA_BENCH_SIGNED_IN=$signed_in \
    TESSERA_BENCH_PROFILE=$profile TESSERA_BENCH_FRAMES=$frames
  # Depth 24: the probe reads 32-bit pixels. The session bus and the services
  # it starts (at-spi) write to /dev/null; this script's own output goes to
  # the original stdout and stderr, kept open as fds 4 and 3.
  exec 3>&2 4>&1
  exec xvfb-run -a -s "-screen 0 1280x800x24" \
    sh -c 'exec dbus-run-session -- "$0" > /dev/null 2>&1' "$0"
fi
exec 1>&4 2>&3 3>&- 4>&-

# --- inside Xvfb and a private D-Bus session -----------------------------------
probe=(python3 "$root/bench/desktop-probe.py" --idle-at 10)

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tessera-bench.XXXXXX")
provider=
cleanup() { [ -z "$provider" ] || kill "$provider" 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT
mkdir -p "$scratch/home" "$scratch/config" "$scratch/data" "$scratch/cache" "$scratch/run" "$scratch/results"
chmod 700 "$scratch/run"
export HOME=$scratch/home XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data \
  XDG_CACHE_HOME=$scratch/cache XDG_RUNTIME_DIR=$scratch/run TESSERA_CONFIG_DIR=$scratch/tessera
printf %s tessera-bench | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null

if [ -n "$signed_in" ]; then
  # A saved session (tokens in the keyring, the profile in TESSERA_CONFIG_DIR)
  # from the local provider, which keeps running so the app finds it.
  node "$root/dev/provider.mjs" --port 0 --ephemeral > "$scratch/provider.log" 2>&1 &
  provider=$!
  for _ in $(seq 100); do grep -q "issuer: " "$scratch/provider.log" && break; sleep 0.1; done
  issuer=$(sed -n 's/.*issuer: //p' "$scratch/provider.log" | head -1)
  [ -n "$issuer" ] || { cat "$scratch/provider.log" >&2; echo "bench: the local provider did not start" >&2; exit 1; }
  TESSERA_BROWSER="node $root/dev/browser.mjs" "$cli" login --profile local --issuer "$issuer" \
    --client-id tessera --scope "openid profile email offline_access roles groups" > "$scratch/login.log" 2>&1 ||
    { cat "$scratch/login.log" >&2; echo "bench: signing in to the local provider failed" >&2; exit 1; }
fi

# One start of $2 (app or bare), appended to results/$2 as a JSON line.
start() {
  local bin=$1 name=$2 run=$3 args=("${probe[@]}")
  if [ -n "$frames" ]; then mkdir -p "$frames/$name-$run"; args+=(--frames "$frames/$name-$run"); fi
  "${args[@]}" -- "$bin" 2>> "$scratch/$name.log" >> "$scratch/results/$name" || {
    tail -20 "$scratch/$name.log" >&2; echo "bench: the $name start $run failed" >&2; exit 1; }
}

echo "bench: load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "bench: warm-up start of each (not counted)…" >&2
start "$app" app 0; start "$bare" bare 0
: > "$scratch/results/app"; : > "$scratch/results/bare"
for i in $(seq "$runs"); do
  if [ $((i % 2)) = 1 ]; then start "$app" app "$i"; start "$bare" bare "$i"
  else start "$bare" bare "$i"; start "$app" app "$i"; fi
  python3 - "$scratch/results" "$i" "$runs" <<'EOF' >&2
import json, sys
d, i, n = sys.argv[1], sys.argv[2], sys.argv[3]
r = {k: json.loads(open(f"{d}/{k}").read().splitlines()[-1]) for k in ("app", "bare")}
print(f"bench: run {i}/{n}: " + "; ".join(
    f"{'Tessera' if k == 'app' else 'bare'} window {v['visible_ms']:.0f} ms, paint {v['paint_ms']:.0f} ms, "
    f"finished {v['complete_ms']:.0f} ms, "
    f"RSS {v['rss_kib'] / 1024:.0f} MiB, PSS {v['pss_kib'] / 1024:.0f} MiB" for k, v in r.items()))
EOF
done
echo "bench: load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

deb_file=
if [ "$profile" = release ]; then
  deb_file=$(ls -t "$root"/target/release/bundle/deb/*.deb 2>/dev/null | head -1 || true)
fi
python3 - "$scratch/results" "$runs" "$profile" "$app" "$bare" "$deb_file" "$signed_in" <<'EOF'
import json, os, statistics, sys
results, runs, profile, app, bare, deb, signed_in = sys.argv[1:8]
data = {k: [json.loads(l) for l in open(f"{results}/{k}") if l.strip()] for k in ("app", "bare")}

def med(k, f):
    return statistics.median(r[f] for r in data[k])

def spread(k, f, div):
    v = [r[f] / div for r in data[k]]
    return f"{min(v):.0f}-{max(v):.0f}"

state = "signed in" if signed_in else "first run"
print(f"\nTessera ({state}) vs a bare Tauri window, {profile} builds, "
      f"median of {runs} cold start{'s' if runs != '1' else ''} each under Xvfb (min-max in brackets)\n")
head = f"{'metric':<38} {'Tessera':>20} {'bare':>20} {'ratio':>7}  target"
print(head)
print("-" * len(head))
sys.path.insert(0, "bench")
from report import record
BARE = "bare Tauri window"

rows = [
    ("spawn to window mapped", "visible_ms", 1, "ms", None),
    ("cold start to first paint", "paint_ms", 1, "ms", 1.10),
    ("cold start to the finished view", "complete_ms", 1, "ms", None),
    ("idle RSS at 10 s, app + WebKit", "rss_kib", 1024, "MiB", None),
    ("idle PSS at 10 s, app + WebKit", "pss_kib", 1024, "MiB", 1.15),
]
for name, f, div, unit, target in rows:
    a, b = med("app", f), med("bare", f)
    ratio = a / b
    mark = "" if target is None else (f"<= {target}x " + ("met" if ratio <= target else "MISSED"))
    cell = lambda k, v: f"{v / div:.0f} {unit} ({spread(k, f, div)})"
    print(f"{name:<38} {cell('app', a):>20} {cell('bare', b):>20} {ratio:>6.2f}x  {mark}")
    record("desktop", f"{name} ({state})", a / div, unit, b / div, BARE, target)

def size(path):
    return f"{os.path.getsize(path) / 1e6:.1f} MB"
ratio = os.path.getsize(app) / os.path.getsize(bare)
print(f"{'release binary (stripped)' if profile == 'release' else 'debug binary':<38} "
      f"{size(app):>20} {size(bare):>20} {ratio:>6.2f}x  <= 1.5x " + ("met" if ratio <= 1.5 else "MISSED"))
record("desktop", "desktop binary, stripped", os.path.getsize(app) / 1e6, "MB",
       os.path.getsize(bare) / 1e6, BARE, 1.5)
if deb:
    stale = os.path.getmtime(deb) < os.path.getmtime(app) - 120
    mib = os.path.getsize(deb) / 2**20
    print(f"{'.deb ' + os.path.basename(deb):<38} {f'{mib:.2f} MiB':>20}   <= 7.9 MiB "
          + ("met" if mib <= 7.9 else "MISSED")
          + ("   (older than the binary: rebuild with --deb)" if stale else ""))
    if not stale:
        record("desktop", ".deb package", mib, "MiB", limit=7.9)
print("\nper process at 10 s (median run's RSS / PSS, MiB):")
for k in ("app", "bare"):
    runs_sorted = sorted(data[k], key=lambda r: r["pss_kib"])
    r = runs_sorted[len(runs_sorted) // 2]
    print(f"  {'Tessera' if k == 'app' else 'bare':<8} " + ", ".join(
        f"{name} {rss / 1024:.0f}/{pss / 1024:.0f}" for name, _, rss, pss in r["procs"]))
EOF
