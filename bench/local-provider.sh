# Sourced by the bench scripts (not run on its own): builds the release
# `tessera`, starts the local provider on a free port of 127.0.0.1 with its
# output in a fresh directory, and points Tessera's config and browser at
# throwaway ones. Sets $bin, $work and $issuer; on exit the provider stops and
# $work is removed.
cargo build --release --locked -p tessera-cli -q
bin=$PWD/target/release/tessera

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
node dev/provider.mjs --port "$port" --ephemeral > "$work/provider.log" 2>&1 &
provider=$!
trap 'kill $provider 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "issuer: " "$work/provider.log" && break; sleep 0.1; done
issuer=$(sed -n 's/.*issuer: //p' "$work/provider.log" | head -1)
[ -n "$issuer" ] || { echo "the local provider did not start:" >&2; cat "$work/provider.log" >&2; exit 1; }
export TESSERA_CONFIG_DIR="$work/config" TESSERA_BROWSER="node $PWD/dev/browser.mjs"
