#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test of the solution (unit, grain, video with real
# ffmpeg and RTSP, cluster with real redis-server, browser with Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION=Release
start=$(date +%s)
infra/setup.sh
ulimit -n 65536 2>/dev/null || true
mkdir -p artifacts/test-results
echo "== dotnet test"
# One test project at a time: the video and browser tests measure real-time behaviour, and two cores
# shared by several test hosts make their timing unreliable.
# The Elasticsearch server run of the search behaviour suite (tests/Search.ElasticsearchTests) needs a server, which
# cannot be installed here: it runs only when ELASTICSEARCH_URL names one, and then fails if it cannot reach it.
filter=()
if [ -z "${ELASTICSEARCH_URL:-}" ]; then
  echo "== ELASTICSEARCH_URL is not set: the Elasticsearch server tests (Category=ElasticsearchServer) are left out"
  filter=(--filter "Category!=ElasticsearchServer")
fi
rm -f artifacts/test-results/*.trx
status=0
dotnet test Portal.sln -c Release --no-build -m:1 "${filter[@]}" \
  --logger "console;verbosity=normal" --logger "trx" --results-directory artifacts/test-results || status=$?
if [ "$status" -ne 0 ]; then
  # Last, so that the tail of the log names what failed.
  echo "== dotnet test failed (exit $status) after $(( $(date +%s) - start )) s; the failures:"
  python3 infra/failed-tests.py artifacts/test-results/*.trx || true
  exit "$status"
fi
echo "== all tests passed in $(( $(date +%s) - start )) s"
