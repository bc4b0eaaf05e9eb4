#!/usr/bin/env bash
# Builds the benchmarked programs in Release and runs benchmark commands; each prints its table and replaces
# its own section of docs/benchmarks.md.
# Usage: scripts/bench.sh [command ...]   (default: tracking artifacts ffm gateway operator)
# Needs the test PostgreSQL (scripts/postgres.sh start; make bench does this). The gateway benchmark uses wrk
# and nginx from Debian, installed here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [[ -z "${PLATFORM_TEST_POSTGRES:-}" ]]; then
  eval "$(scripts/postgres.sh env)"
fi

commands=("$@")
if [[ ${#commands[@]} -eq 0 ]]; then
  commands=(tracking artifacts ffm gateway operator)
fi

if [[ " ${commands[*]} " == *" gateway "* ]] && ! { command -v wrk && command -v nginx; } >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null
fi

for project in src/Platform.Tracking src/Platform.Gateway src/Platform.Operator src/Platform.Workers.Inference bench/Platform.Benchmarks; do
  dotnet build "$project" -c Release -nologo -clp:ErrorsOnly
done

bench=(dotnet bench/Platform.Benchmarks/bin/Release/net10.0/Platform.Benchmarks.dll)
for command in "${commands[@]}"; do
  echo "== benchmark: $command"
  "${bench[@]}" "$command"
done
