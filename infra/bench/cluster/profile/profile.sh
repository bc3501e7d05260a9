#!/usr/bin/env bash
# Profiles the cluster benchmark's timed three-node phase with perf (docs/perf.md, "Compiled once"):
#   infra/bench/cluster/profile/profile.sh OUT [bench arguments...]
# e.g. infra/bench/cluster/profile/profile.sh cluster-profile --stations 3000 --viewers 0 --warmup 1500
# Writes OUT.txt (the benchmark's output), OUT.data (perf) and prints the nodes' samples by area (areas.py).
# Needs perf (linux-perf) and root or perf_event_paranoid <= 1; run it under the CPU lock like the benchmark.
set -euo pipefail
out=$1; shift
root=$(cd "$(dirname "$0")/../../../.." && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# Names for JIT-compiled code in /tmp/perf-PID.map; without write-xor-execute the code is in anonymous memory perf maps.
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet "$root/infra/bench/cluster/bin/Release/net10.0/Portal.Bench.Cluster.dll" "$@" > "$out.txt" 2>&1 &
bench=$!
# The timed three-node phase starts right after the three-node warm-up prints its CPU line (the first with redis-server).
until grep -q "CPU s in the timed phase: redis-server" "$out.txt" 2>/dev/null; do
  kill -0 $bench 2>/dev/null || { cat "$out.txt"; exit 1; }
  sleep 0.05
done
perf record -a -g -F 999 -o "$out.data" -- sleep "${PROFILE_SECONDS:-2}" > /dev/null 2>&1
wait $bench
tail -4 "$out.txt"
perf script -i "$out.data" -F comm,pid,tid,ip,sym,dso 2>/dev/null > "$out.script"
python3 "$here/areas.py" "$out.script"
