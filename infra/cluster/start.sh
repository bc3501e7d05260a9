#!/usr/bin/env bash
# Brings up a whole cluster on this machine, in the background: redis-server (AOF, fsync always), three portal nodes
# (web, all, gateway) and nginx in front as the edge cache, at http://127.0.0.1:8080. The nodes share one video
# folder ($STATE/video), as production nodes share one mount: any node serves any camera, a survivor continues an archive. Everything it starts keeps its
# pid, log and data under the state dir (default ./data/cluster); infra/cluster/stop.sh ends exactly those processes.
#
#   infra/cluster/start.sh                                          # the demo election, played across the cluster
#   infra/cluster/start.sh --election FILE --station-keys FILE      # a real election (extra arguments go to every node)
#
# Settings (environment): STATE, EDGE_LISTEN (127.0.0.1:8080), REDIS_PORT (6390), NODE_PORTS ("5001 5002 5003"),
# NODE_ROLES ("web all gateway"), CAMERA_STATIONS (demo stations with live cameras, 12), KEEP_DATA=1 (keep the demo's
# ledger in Redis across starts; a demo day replayed over an old ledger would hold protocols from its "future").
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
STATE=$(mkdir -p "${STATE:-./data/cluster}" && cd "${STATE:-./data/cluster}" && pwd)
EDGE_LISTEN=${EDGE_LISTEN:-127.0.0.1:8080}
REDIS_PORT=${REDIS_PORT:-6390}
read -r -a PORTS <<<"${NODE_PORTS:-5001 5002 5003}"
# Every function on two nodes, so any one node can die: pages and the hub on 5001 and 5002, cameras on 5002 and 5003.
read -r -a ROLES <<<"${NODE_ROLES:-web all gateway}"
CAMERA_STATIONS=${CAMERA_STATIONS:-12}
DLL=$ROOT/src/Portal/bin/Release/net10.0/Portal.dll

[ "${#PORTS[@]}" -eq "${#ROLES[@]}" ] || { echo "NODE_PORTS and NODE_ROLES must have the same number of entries" >&2; exit 2; }
for tool in redis-server redis-cli nginx curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run infra/setup.sh" >&2; exit 2; }
done
[ -f "$DLL" ] || infra/setup.sh
if [ -f "$STATE/redis/redis.pid" ] || ls "$STATE"/nodes/*/portal.pid >/dev/null 2>&1; then
  echo "a cluster seems to run from $STATE already: run infra/cluster/stop.sh first" >&2; exit 2
fi

demo=true
for arg in "$@"; do [ "$arg" = "--election" ] && demo=false; done

# Thousands of viewers and segment requests need more descriptors than the default 1024.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

echo "== redis-server on 127.0.0.1:$REDIS_PORT (AOF, appendfsync always) in $STATE/redis"
if $demo && [ "${KEEP_DATA:-}" != "1" ]; then rm -rf "$STATE/redis" "$STATE/video"; fi
mkdir -p "$STATE/redis"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$STATE/redis" --appendonly yes --appendfsync always --save "" \
  --daemonize yes --pidfile "$STATE/redis/redis.pid" --logfile "$STATE/redis/redis.log"
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$REDIS_PORT" ping >/dev/null || { echo "redis-server did not start: see $STATE/redis/redis.log" >&2; exit 1; }

DEMO_ARGS=()
if $demo; then
  # One election and one key set for every node: generated once, copied into each node's demo folder (a demo node
  # reuses the keys it finds there; without them each node would make keys of its own and refuse the others' reports).
  rm -rf "$STATE/demo-files"
  line=$(dotnet "$DLL" generate-demo --data-dir "$STATE/demo-files" --Demo:ActiveCameraStations "$CAMERA_STATIONS" 2>>"$STATE/generate-demo.log")
  day=${line#day=}; day=${day%% *}
  echo "== demo election generated once ($line)"
  DEMO_ARGS=(--Demo:Day "$day" --Demo:ActiveCameraStations "$CAMERA_STATIONS")
fi

for i in "${!PORTS[@]}"; do
  role=${ROLES[$i]}; port=${PORTS[$i]}; name="node$((i + 1))-$role"
  dir=$STATE/nodes/$name
  mkdir -p "$dir"
  if $demo; then
    rm -rf "$dir/demo"; mkdir -p "$dir/demo"
    cp "$STATE/demo-files/demo/station-keys.csv" "$STATE/demo-files/demo/station-private-keys.csv" "$dir/demo/"
  fi
  args=(--urls "http://127.0.0.1:$port" --data-dir "$dir" --Management:Urls "http://127.0.0.1:$((9184 + i + 1))"
    --Cluster:Enabled true --Cluster:Redis "127.0.0.1:$REDIS_PORT" --Cluster:ClusterId portal-local
    --Cluster:SiloPort $((11110 + i + 1)) --Cluster:GatewayPort $((30000 + i + 1)) --Cluster:AdvertisedAddress 127.0.0.1
    --Cluster:Role "$role" --Gateway:DataDir "$STATE/video" --PublicWeb:TrustedProxies 127.0.0.1)
  if $demo; then
    args+=("${DEMO_ARGS[@]}")
    # Every web-capable node may run the station simulator; a Redis lease lets exactly one of them do it at a time.
  fi
  echo "== $name (role $role) at http://127.0.0.1:$port, log $dir/portal.log"
  DOTNET_ENVIRONMENT=Production setsid dotnet "$DLL" "${args[@]}" "$@" >"$dir/portal.log" 2>&1 </dev/null &
  echo $! >"$dir/portal.pid"
done

for i in "${!PORTS[@]}"; do
  name="node$((i + 1))-${ROLES[$i]}"
  for _ in $(seq 240); do
    curl -fsS -o /dev/null "http://127.0.0.1:${PORTS[$i]}/healthz/ready" 2>/dev/null && break
    kill -0 "$(cat "$STATE/nodes/$name/portal.pid")" 2>/dev/null || { echo "$name exited: see $STATE/nodes/$name/portal.log" >&2; exit 1; }
    sleep 0.5
  done
  curl -fsS -o /dev/null "http://127.0.0.1:${PORTS[$i]}/healthz/ready" || { echo "$name is not ready after 120 s: see its log" >&2; exit 1; }
  echo "   $name ready"
done

echo "== nginx edge at http://$EDGE_LISTEN (cache in $STATE/nginx/cache)"
web="" video="" backup=""
for i in "${!PORTS[@]}"; do
  server="127.0.0.1:${PORTS[$i]}"
  case ${ROLES[$i]} in
    web) web+=" $server"; backup+=" $server" ;;
    gateway) video+=" $server" ;;
    *) web+=" $server"; video+=" $server" ;;
  esac
done
[ -n "$video" ] || { video=$web; backup=""; }
[ -n "$web" ] || web=$video
NGINX_STATE=$STATE/nginx
infra/cluster/render-nginx.sh "$NGINX_STATE" "$EDGE_LISTEN" "$web" "$video" "$backup"
nginx -p "$NGINX_STATE" -c "$NGINX_STATE/nginx.conf" -e "$NGINX_STATE/error.log"
for _ in $(seq 50); do [ -s "$NGINX_STATE/nginx.pid" ] && break; sleep 0.1; done

cat <<EOF

The cluster runs (state, logs and pids in $STATE):
  edge          http://$EDGE_LISTEN/          (X-Cache-Status on every response)
$(for i in "${!PORTS[@]}"; do echo "  node$((i + 1))-${ROLES[$i]}$(printf '%*s' $((12 - ${#ROLES[$i]})) '')http://127.0.0.1:${PORTS[$i]}/"; done)
  redis         127.0.0.1:$REDIS_PORT
  cluster       http://127.0.0.1:9185/healthz/cluster  (management listeners: 9185, 9186, ... one per node, loopback only)
Stop it with infra/cluster/stop.sh
EOF
$demo && echo "Demo ops accounts are printed at the top of each node's portal.log (each node has its own)."
exit 0
