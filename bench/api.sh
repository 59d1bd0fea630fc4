#!/usr/bin/env bash
# The API panel's round trip against the local demo API vs curl to the same
# URL, in the same run (target: Tessera's overhead ≤ 10 ms above curl), and
# decoding + validating a 4 KB ID token vs the signature check alone.
# Starts the local provider, signs in with the browser stand-in inside a
# private, unlocked gnome-keyring (.ci/with-keyring), then runs
# `cargo bench -p tessera-engine` (benches/api_round_trip.rs and jwt.rs).
#   bench/api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${TESSERA_IN_KEYRING_SESSION:-}" != 1 ]; then
  .ci/setup
  exec .ci/with-keyring "$0" "$@"
fi
. bench/local-provider.sh
"$bin" login --issuer "$issuer" --client-id tessera --profile bench > /dev/null

echo "## API round trip: Tessera vs curl (same run)"
TESSERA_BENCH_URL="$issuer/api/me" TESSERA_BENCH_PROFILE=bench \
  cargo bench --locked -q -p tessera-engine --bench api_round_trip 2>/dev/null
echo
echo "## Decode + validate a 4 KB ID token (same run)"
cargo bench --locked -q -p tessera-engine --bench jwt 2>/dev/null
