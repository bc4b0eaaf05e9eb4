#!/usr/bin/env bash
# Builds the benchmarked programs in Release and runs every benchmark command; each command prints its table
# and replaces its own section of docs/benchmarks.md.
# Usage: scripts/bench.sh [tracking options...], for example: scripts/bench.sh --backends sqlite --iterations 20
# Needs the test PostgreSQL (scripts/postgres.sh start) unless the options include --backends sqlite.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [[ -z "${PLATFORM_TEST_POSTGRES:-}" ]]; then
  eval "$(scripts/postgres.sh env)"
fi

dotnet build src/Platform.Tracking -c Release -nologo -clp:ErrorsOnly
dotnet build bench/Platform.Benchmarks -c Release -nologo -clp:ErrorsOnly

bench=(dotnet bench/Platform.Benchmarks/bin/Release/net10.0/Platform.Benchmarks.dll)
"${bench[@]}" tracking "$@"
