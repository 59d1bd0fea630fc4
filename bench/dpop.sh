#!/usr/bin/env bash
# A DPoP-bound API call against a Bearer one, in the same run (issue: report
# the ratio). Starts the local provider and, beside it, its FAPI 2.0 mode;
# signs a Bearer profile in at the first and a DPoP profile (PAR, DPoP,
# private_key_jwt) at the second with the browser stand-in, inside a private,
# unlocked gnome-keyring (.ci/with-keyring); then runs
# `cargo bench -p tessera-engine --bench dpop_round_trip`.
#   bench/dpop.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${TESSERA_IN_KEYRING_SESSION:-}" != 1 ]; then
  .ci/setup
  exec .ci/with-keyring "$0" "$@"
fi
. bench/local-provider.sh
"$bin" login --issuer "$issuer" --client-id tessera --profile bearer > /dev/null

fapi_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
node dev/provider.mjs --fapi --port "$fapi_port" --ephemeral > "$work/fapi.log" 2>&1 &
fapi=$!
trap 'kill $provider $fapi 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "issuer: " "$work/fapi.log" && break; sleep 0.1; done
fapi_issuer=$(sed -n 's/.*issuer: //p' "$work/fapi.log" | head -1)
[ -n "$fapi_issuer" ] || { echo "the FAPI provider did not start:" >&2; cat "$work/fapi.log" >&2; exit 1; }
jwks=$("$bin" keys generate --profile dpop --alg ES256 2>/dev/null)
client=$(curl -s "$fapi_issuer/reg" -H 'content-type: application/json' -d "{
  \"application_type\": \"native\", \"redirect_uris\": [\"http://127.0.0.1/callback\"],
  \"grant_types\": [\"authorization_code\", \"refresh_token\"], \"response_types\": [\"code\"],
  \"token_endpoint_auth_method\": \"private_key_jwt\", \"token_endpoint_auth_signing_alg\": \"ES256\",
  \"jwks\": $jwks, \"dpop_bound_access_tokens\": true}" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["client_id"])')
"$bin" login --issuer "$fapi_issuer" --client-id "$client" --profile dpop \
  --client-auth private-key-jwt --dpop > /dev/null

echo "## A DPoP API call vs a Bearer one (same run)"
TESSERA_BENCH_BEARER_URL="$issuer/api/me" TESSERA_BENCH_BEARER_PROFILE=bearer \
TESSERA_BENCH_DPOP_URL="$fapi_issuer/api/dpop/me" TESSERA_BENCH_DPOP_PROFILE=dpop \
  cargo bench --locked -q -p tessera-engine --bench dpop_round_trip 2>/dev/null
