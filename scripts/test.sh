#!/usr/bin/env bash
# Runs every test project and prints one closing line "N passed, N failed" summed over all of
# them (CI counts tests by that line). Exits non-zero when any test fails or a project fails to run.
set -uo pipefail
cd "$(dirname "$0")/.."

results_dir="artifacts/test-results"
rm -rf "$results_dir"
mkdir -p "$results_dir"

eval "$(scripts/postgres.sh env)"
export PLATFORM_SHARED_DIR="${PLATFORM_SHARED_DIR:-$(cd .. && pwd)/shared}"

status=0
dotnet test Platform.sln --no-build -c "${CONFIGURATION:-Release}" \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results_dir" \
  -- RunConfiguration.TestSessionTimeout=1500000 || status=$?

passed=0
failed=0
skipped=0
shopt -s nullglob
trx_files=("$results_dir"/*.trx)
for trx in "${trx_files[@]}"; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")"
  s="$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
  skipped=$((skipped + ${s:-0}))
done

if [[ ${#trx_files[@]} -eq 0 ]]; then
  echo "error: no test results were written to $results_dir" >&2
  status=1
fi
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  # A crashed test host writes no failed counter; count it so the closing line cannot read green.
  failed=1
fi

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
