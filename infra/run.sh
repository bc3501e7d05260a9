#!/usr/bin/env bash
# Runs the portal in embedded mode with the generated demo election and live demo cameras:
# http://127.0.0.1:5000. Extra arguments go to the portal (e.g. --election FILE --station-keys FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION=Release
infra/setup.sh
echo "== starting the portal at http://127.0.0.1:5000 (data in ./data; Ctrl+C stops it)"
exec dotnet src/Portal/bin/Release/net10.0/Portal.dll --urls http://127.0.0.1:5000 --data-dir ./data "$@"
