#!/bin/sh
# Kiosk resident memory over time (issue 7: "resident memory after an hour of
# scripted sessions"):
#   tests/bench/bench_kiosk_memory.sh [BUILD_DIR] [MINUTES]   (default 60)
# Runs `bianmin kiosk --sim` under its own Xvfb with a script of back-to-back
# resident journeys (ID card, form with the input method, two materials,
# submit, printed receipt, rating, card removed), and prints once a minute how
# many sessions have finished and the kiosk's VmRSS. Stops the kiosk after
# MINUTES. A leak shows as RSS growing with the session count; the first
# sessions grow it while caches (glyph atlas, input method) fill.
set -eu
build=${1:-build}
minutes=${2:-60}
b=$(realpath "$build/bianmin")
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/bench-kiosk-mem-XXXXXX)
k=""
cleanup() { [ -n "$k" ] && kill "$k" 2>/dev/null; kill "$xvfb" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
Xvfb :78 -screen 0 1920x1920x24 -nolisten tcp 2>/dev/null & xvfb=$!
export DISPLAY=:78
sleep 1

# More sessions than an hour can hold; each leaves a mark file when it ends.
{ n=0; while [ $n -lt 2000 ]; do
    sed -e '/^screenshot/d' -e '/^network/d' -e '/^wait-delivered/d' -e '/^quit/d' -e '/^#/d' \
      "$src/tests/ui/kiosk/scripts/journey.txt"
    echo "idcard remove"
    echo "mark $work/done.$n"
    n=$((n+1)); done; echo quit; } > "$work/many.txt"

"$b" --data-dir "$work/sim" --log-level warn kiosk --sim --script "$work/many.txt" --screenshot-dir "$work" &
k=$!
echo "minute  sessions  VmRSS        VmHWM"
m=0
while [ $m -le "$minutes" ]; do
  kill -0 "$k" 2>/dev/null || { echo "kiosk exited early"; exit 1; }
  done_n=$(find "$work" -maxdepth 1 -name 'done.*' | wc -l)
  rss=$(awk '/VmRSS/ {print $2 " kB"}' /proc/$k/status)
  hwm=$(awk '/VmHWM/ {print $2 " kB"}' /proc/$k/status)
  printf '%6d  %8d  %-11s  %s\n' "$m" "$done_n" "$rss" "$hwm"
  [ $m -eq "$minutes" ] && break
  sleep 60
  m=$((m+1))
done
