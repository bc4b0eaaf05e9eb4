#!/usr/bin/env bash
# Runs the main job on the one-machine platform, building it first with 'make build' when it is missing
# ('make run' always builds first). Extra arguments go to the job, for example: scripts/run.sh --port 9080 --no-wait.
# See: dotnet src/Platform.MainJob/bin/Release/net10.0/Platform.MainJob.dll --help
set -euo pipefail
cd "$(dirname "$0")/.."
configuration="${CONFIGURATION:-Release}"
program="src/Platform.MainJob/bin/${configuration}/net10.0/Platform.MainJob.dll"
if [[ ! -f "$program" ]]; then
  # Build messages go to stderr, so the job's own standard output (for example --help) stays clean.
  echo "run.sh: $program is missing; building it with 'make build CONFIGURATION=$configuration'" >&2
  make build CONFIGURATION="$configuration" >&2
fi
exec dotnet "$program" "$@"
