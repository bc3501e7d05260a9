#!/usr/bin/env bash
# Writes the edge's nginx.conf into STATE_DIR from infra/cluster/nginx.conf.template (start.sh and the edge tests use it).
#   render-nginx.sh STATE_DIR LISTEN "WEB host:port ..." "VIDEO host:port ..." ["VIDEO_BACKUP host:port ..."]
# Start it with: nginx -p STATE_DIR -c STATE_DIR/nginx.conf -e STATE_DIR/error.log
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 STATE_DIR LISTEN WEB_SERVERS VIDEO_SERVERS [VIDEO_BACKUPS]" >&2; exit 2; }
dir=$1 listen=$2
servers() { local line="" s; for s in $1; do line+="        server $s$2;"$'\n'; done; printf '%s' "$line"; }
mkdir -p "$dir/tmp" "$dir/cache"
# nginx started as root runs its workers as another user; they must be able to write the cache and temp dirs.
if [ "$(id -u)" = 0 ]; then user_line="user $(id -un) $(id -gn);"; else user_line=""; fi
WEB_SERVERS=$(servers "$3" " max_fails=1 fail_timeout=2s") \
VIDEO_SERVERS="$(servers "$4" " max_fails=1 fail_timeout=2s")$(servers "${5:-}" " backup")" \
USER_LINE=$user_line STATE_DIR=$(cd "$dir" && pwd) LISTEN=$listen WORKERS=${EDGE_WORKERS:-auto} \
  python3 - "$(dirname "$0")/nginx.conf.template" "$dir/nginx.conf" <<'PY'
import os, sys
text = open(sys.argv[1]).read()
for key, env in [("WEB_SERVERS", "WEB_SERVERS"), ("VIDEO_SERVERS", "VIDEO_SERVERS"), ("USER_LINE", "USER_LINE"),
                 ("STATE", "STATE_DIR"), ("LISTEN", "LISTEN"), ("WORKERS", "WORKERS")]:
    text = text.replace("@" + key + "@", os.environ[env].rstrip("\n"))
open(sys.argv[2], "w").write(text)
PY
