#!/usr/bin/env bash
# CPU of the demo's ballot-box camera picture against a room camera's (docs/counting.md, docs/perf.md).
# Encodes SECONDS of video (default 120) with each camera's own filter script as the gateway wrote it, without -re,
# exactly as the gateway encodes a demo camera, and prints user+system CPU seconds and their ratio.
# Usage: infra/bench/ballot-scene.sh DATA_DIR/video/cam-1-0001-a DATA_DIR/video/cam-1-0001-b [SECONDS]
# (run the demo for a minute first so both folders hold a filter.txt).
set -euo pipefail
box=$1; room=$2; seconds=${3:-120}
cpu() {
  local script=$1 out
  out=$( { /usr/bin/time -f '%U %S' ffmpeg -hide_banner -loglevel error -y -t "$seconds" -f lavfi -i testsrc2=size=640x360:rate=10 \
      -filter_complex_script "$script" -map '[thumb]' -f null - -map '[hls]' -c:v libx264 -preset ultrafast -tune zerolatency \
      -pix_fmt yuv420p -g 10 -keyint_min 10 -sc_threshold 0 -crf 30 -maxrate 500k -bufsize 1000k -f mpegts /dev/null; } 2>&1 | tail -1)
  awk '{ printf "%.2f", $1 + $2 }' <<<"$out"
}
drops=$(( $(grep -o 'between' "$box/filter.txt" | wc -l) / 2 ))
r=$(cpu "$room/filter.txt"); b=$(cpu "$box/filter.txt")
echo "room camera: ${r} s CPU for ${seconds} s of video"
echo "ballot-box camera (${drops} drops scheduled): ${b} s CPU for ${seconds} s of video"
awk -v r="$r" -v b="$b" 'BEGIN { printf "ratio ballot-box / room: %.2f\n", b / r }'
