#!/usr/bin/env bash
# HLS origin throughput: the portal's /hls endpoints (Kestrel) against nginx serving the same files, in the same run.
# Prints requests/s for the live playlist and for one segment, and the portal/nginx ratio.
#   infra/bench/viewers/hls-origin.sh [seconds=10] [connections=50]
set -euo pipefail
SECONDS_RUN=${1:-10}
CONNECTIONS=${2:-50}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
for tool in wrk nginx ffmpeg; do command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)"; exit 1; }; done
DLL="$ROOT/src/Portal/bin/Release/net10.0/Portal.dll"
[ -f "$DLL" ] || { echo "build first: dotnet build -c Release src/Portal"; exit 1; }
WORK=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000)); NGINX_PORT=$((PORT + 1))
cleanup() { [ -n "${PORTAL:-}" ] && { kill "$PORTAL" 2>/dev/null; wait "$PORTAL" 2>/dev/null; } || true; [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

dotnet "$DLL" --urls "http://127.0.0.1:$PORT" --data-dir "$WORK/data" --Demo:Stations 20 --Demo:ActiveCameraStations 1 \
  --Gateway:DataDir "$WORK/video" --Cluster:SiloPort $((PORT + 2)) --Cluster:GatewayPort $((PORT + 3)) \
  --PublicWeb:ApiRequestsPerWindow 100000000 >"$WORK/portal.log" 2>&1 &
PORTAL=$!
CAM=cam-1-0001-a
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/hls/$CAM/live.m3u8" | grep -q '\.ts' && break; sleep 1; done
SEGMENT=$(curl -sf "http://127.0.0.1:$PORT/hls/$CAM/live.m3u8" | grep '\.ts' | head -1)
# Keep one segment still for the comparison (the live window rotates): copy it aside for both servers.
mkdir -p "$WORK/static/hls/$CAM"
cp "$WORK/video/$CAM/$SEGMENT" "$WORK/static/hls/$CAM/"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  sendfile on;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location /hls/$CAM/live.m3u8 { alias $WORK/video/$CAM/live.m3u8; add_header Cache-Control "public, max-age=1"; }
    location /hls/ { root $WORK/static; add_header Cache-Control "public, max-age=31536000, immutable"; }
  }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
sleep 1
run() { wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $CONNECTIONS connections, ${SECONDS_RUN} s each, wrk on the same machine"
for what in playlist segment; do
  if [ $what = playlist ]; then path="/hls/$CAM/live.m3u8"; else path="/hls/$CAM/$SEGMENT"; fi
  if [ $what = segment ]; then cp "$WORK/static/hls/$CAM/$SEGMENT" "$WORK/video/$CAM/" 2>/dev/null || true; fi
  p=$(run "http://127.0.0.1:$PORT$path"); n=$(run "http://127.0.0.1:$NGINX_PORT$path")
  printf '%-9s portal %10s req/s   nginx %10s req/s   ratio %s\n' "$what" "$p" "$n" "$(awk -v p="$p" -v n="$n" 'BEGIN { printf "%.2f", p / n }')"
done
echo "segment size: $(stat -c %s "$WORK/static/hls/$CAM/$SEGMENT") bytes"
