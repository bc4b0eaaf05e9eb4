#!/usr/bin/env bash
# Runs the main job on the one-machine platform (make run builds first). Extra arguments go to the job,
# for example: scripts/run.sh --port 9080 --no-wait. See: dotnet src/Platform.MainJob/bin/Release/net10.0/Platform.MainJob.dll --help
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet "src/Platform.MainJob/bin/${CONFIGURATION:-Release}/net10.0/Platform.MainJob.dll" "$@"
