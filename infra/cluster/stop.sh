#!/usr/bin/env bash
# Stops what infra/cluster/start.sh started, by the pids it recorded under the state dir (default ./data/cluster):
# nginx, the portal nodes (which end their ffmpeg children), then redis-server. Nothing else is touched.
set -uo pipefail
cd "$(dirname "$0")/../.."
STATE=${STATE:-./data/cluster}
[ -d "$STATE" ] || { echo "no cluster state at $STATE"; exit 0; }
STATE=$(cd "$STATE" && pwd)

REDIS_PORT=${REDIS_PORT:-6390}

# A pid file may outlive its process and the pid be reused: only a process whose command line holds the mark is ours.
ours() { [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$2"; }

stop_pid() { # name pidfile signal mark
  local name=$1 file=$2 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if [ -n "$pid" ] && ours "$pid" "$4"; then
    echo "== stopping $name (pid $pid)"
    kill -"$3" "$pid" 2>/dev/null
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "   $name did not stop in 15 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null; fi
  fi
  rm -f "$file"
}

# nginx's master runs with the state dir in its command line (-p/-c); QUIT lets it finish the requests in flight.
stop_pid nginx "$STATE/nginx/nginx.pid" QUIT "$STATE"
for file in "$STATE"/nodes/*/portal.pid; do
  [ -e "$file" ] && stop_pid "$(basename "$(dirname "$file")")" "$file" TERM "$STATE"
done
# redis-server shows only "redis-server 127.0.0.1:PORT" as its command line.
stop_pid redis-server "$STATE/redis/redis.pid" TERM "redis-server 127.0.0.1:$REDIS_PORT"
echo "== stopped (data kept in $STATE)"
