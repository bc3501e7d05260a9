#!/usr/bin/env bash
# Installs what the portal and its tests need on a Debian machine, then restores and builds.
# Idempotent: a second run installs nothing and only rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: ffmpeg (video), redis-server (cluster mode and its tests), rtsp-server-perl
# (an RTSP server for camera tests), chromium (browser tests), fonts-dejavu-core (the clock burned
# into demo pictures), nginx and wrk (the HLS origin benchmark).
packages=(ffmpeg redis-server rtsp-server-perl chromium fonts-dejavu-core nginx wrk)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing Debian packages: ${missing[*]}"
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian redis-server package starts a system instance on 6379; the project starts its own
# servers on free ports and never depends on that one.

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet not on PATH)." >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js and npm are required (npm not on PATH)." >&2; exit 1; }

echo "== front-end libraries (npm ci, then copied into src/Portal/wwwroot/lib)"
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build

echo "== dotnet restore and build (${CONFIGURATION:-Release})"
dotnet build Portal.sln -c "${CONFIGURATION:-Release}" -nologo -clp:ErrorsOnly
