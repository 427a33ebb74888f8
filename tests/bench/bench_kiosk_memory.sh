#!/bin/sh
# Kiosk resident memory over time (issues 7 and 13: "resident memory over an
# hour of scripted sessions, with the CJK atlas"):
#   tests/bench/bench_kiosk_memory.sh [BUILD_DIR] [MINUTES] [BASELINE_BUILD_DIR]
# Runs `bianmin kiosk --sim` under its own Xvfb with a script of back-to-back
# resident journeys (ID card, form with the input method, two materials,
# submit, printed receipt, rating, card removed), and prints every 15 s how
# many sessions have finished, VmRSS and VmHWM (the peak so far), then the
# steady figures: median and maximum VmRSS after the first minute.
# With BASELINE_BUILD_DIR the same runs side by side with that build (another
# Xvfb, the same script), so both see the same machine. BASELINE_ARGS adds
# kiosk options to the baseline only: `BASELINE_ARGS=--keep-compiler-pages
# tests/bench/bench_kiosk_memory.sh build 10 build` compares one build with
# and without giving the GL compiler's pages back.
# The document camera is a JPEG made once by `bianmin sim camera`, as a UVC
# camera delivers MJPEG; the in-process synthetic scene (`sim:synth:`, the
# default of `kiosk --sim`) would add its 40 MB of drawing to the peak.
# Under Xvfb the GL is Mesa's llvmpipe: the last column is the part of VmRSS
# that is llvmpipe's own code (libLLVM, the DRI driver), which a terminal's
# GPU driver does not carry in this form.
set -eu
build=${1:-build}
minutes=${2:-60}
base=${3:-}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/bench-kiosk-mem-XXXXXX)
pids=""
xvfbs=""
cleanup() { for p in $pids $xvfbs; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

"$(realpath "$build/bianmin")" --data-dir "$work/cam" sim camera --scene form,seed=7 --out "$work/camera.jpg" >/dev/null

start() {  # NAME BUILD DISPLAY [KIOSK OPTIONS]
  Xvfb ":$3" -screen 0 1920x1920x24 -nolisten tcp 2>/dev/null & xvfbs="$xvfbs $!"
  sleep 1
  mkdir -p "$work/$1"
  # More sessions than an hour can hold; each leaves a mark file when it ends.
  { n=0; while [ $n -lt 2000 ]; do
      sed -e '/^screenshot/d' -e '/^network/d' -e '/^wait-delivered/d' -e '/^quit/d' -e '/^#/d' \
        "$src/tests/ui/kiosk/scripts/journey.txt"
      echo "idcard remove"
      echo "mark $work/$1/done.$n"
      n=$((n+1)); done; echo quit; } > "$work/$1/many.txt"
  DISPLAY=":$3" "$(realpath "$2/bianmin")" --data-dir "$work/$1/sim" --log-level warn kiosk --sim \
    --camera "sim:$work/camera.jpg" --script "$work/$1/many.txt" --screenshot-dir "$work/$1" ${4:-} >"$work/$1/log" 2>&1 &
  pids="$pids $!"
  echo $! > "$work/$1/pid"
}

sample() {  # NAME SECONDS → appends "seconds sessions rss hwm llvmpipe" (kB) to NAME/samples
  k=$(cat "$work/$1/pid")
  kill -0 "$k" 2>/dev/null || { echo "$1: kiosk exited early"; tail -5 "$work/$1/log"; exit 1; }
  done_n=$(find "$work/$1" -maxdepth 1 -name 'done.*' | wc -l)
  rss=$(awk '/VmRSS/ {print $2}' /proc/$k/status)
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$k/status)
  gl=$(awk '/^[0-9a-f]+-[0-9a-f]+ / {keep = ($6 ~ /libLLVM|dri\/|libz3/)} /^Rss:/ && keep {s += $2} END {print s+0}' /proc/$k/smaps)
  echo "$2 $done_n $rss $hwm $gl" >> "$work/$1/samples"
}

runs="new"
start new "$build" 78
if [ -n "$base" ]; then runs="new baseline"; start baseline "$base" 79 "${BASELINE_ARGS:-}"; fi

printf '%-9s %7s %9s %12s %12s %12s\n' run seconds sessions "VmRSS kB" "VmHWM kB" "llvmpipe kB"
s=0
while [ $s -le $((minutes * 60)) ]; do
  for r in $runs; do
    sample "$r" "$s"
    if [ $((s % 60)) -eq 0 ]; then
      tail -1 "$work/$r/samples" | awk -v r="$r" '{printf "%-9s %7d %9d %12d %12d %12d\n", r, $1, $2, $3, $4, $5}'
    fi
  done
  [ $s -eq $((minutes * 60)) ] && break
  sleep 15
  s=$((s + 15))
done

echo "steady (after the first minute): median and maximum VmRSS, peak VmHWM, sessions"
for r in $runs; do
  awk '$1 >= 60 {print $3}' "$work/$r/samples" | sort -n > "$work/$r/rss"
  n=$(wc -l < "$work/$r/rss")
  median=$(sed -n "$(( (n + 1) / 2 ))p" "$work/$r/rss")
  max=$(tail -1 "$work/$r/rss")
  tail -1 "$work/$r/samples" | awk -v r="$r" -v med="$median" -v max="$max" \
    '{printf "%-9s median %.1f MB, max %.1f MB, peak %.1f MB, %d sessions; llvmpipe code %.1f MB of it\n", r, med/1024, max/1024, $4/1024, $2, $5/1024}'
done
