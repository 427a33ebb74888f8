#!/bin/sh
# Voice guidance's cost to the kiosk (issue 14), run by hand on an otherwise
# idle machine:  tests/bench/bench_voice.sh [BUILD_DIR]
# 1. idle CPU over 60 s on the attract screen, voice.mode=off and =always
# 2. the scripted resident journey (tests/ui/kiosk/scripts/journey.txt),
#    voice off and on (SDL's disk audio driver stands in for a sound card):
#    render-thread CPU per frame, mean and max, 3 runs each, alternating
# 3. synthesis time per prompt (eSpeak NG, on the speaker's thread)
set -eu
build=${1:-build}
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/tests/bench/idle_cpu.sh"
b=$(realpath "$build/bianmin")
work=$(mktemp -d /tmp/bench-voice-XXXXXX)
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
Xvfb :78 -screen 0 1920x1920x24 -nolisten tcp 2>/dev/null & xvfb=$!
export DISPLAY=:78 SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE="$work/audio.raw"
sleep 1
$b --data-dir "$work/data" catalog import "$src/assets/catalog/ganzhou-620702.json" > /dev/null

echo "== 1. idle CPU over 60 s (attract screen)"
for mode in off always; do
  idle_cpu "voice.mode=$mode " $b --data-dir "$work/data" --log-level warn --set voice.mode=$mode kiosk --exit-after 75
done

echo "== 2. the resident journey, render-thread CPU per frame (3 runs each)"
grep -v '^screenshot' "$src/tests/ui/kiosk/scripts/journey.txt" > "$work/journey.txt"
for i in 1 2 3; do
  for mode in off always; do
    rm -rf "$work/j"
    $b --data-dir "$work/j" --log-level info --set voice.mode=$mode kiosk --sim --script "$work/journey.txt" \
      --stats "$work/journey-$mode-$i.json" > "$work/journey-$mode-$i.log" 2>&1
  done
done
for mode in off always; do
  python3 - "$mode" "$work" <<'PY'
import glob, json, sys
mode, work = sys.argv[1], sys.argv[2]
runs = [json.load(open(f)) for f in sorted(glob.glob("%s/journey-%s-*.json" % (work, mode)))]
print("  voice %-6s frames %s; build mean %s ms, max %s ms; whole frame mean %s ms" % (
    mode, "/".join(str(r["frames"]) for r in runs),
    "/".join("%.2f" % r["build_cpu_ms_mean"] for r in runs), "/".join("%.1f" % r["build_cpu_ms_max"] for r in runs),
    "/".join("%.2f" % r["frame_cpu_ms_mean"] for r in runs)))
PY
done
grep -h "comp=voice msg=prompt" "$work"/journey-always-1.log | sed 's/.*prompt=\([a-z_]*\).*/\1/' | tr '\n' ' ' | sed 's/^/  prompts: /'; echo

echo "== 3. synthesis per prompt (zh-CN), from the speaker's debug log"
$b --data-dir "$work/j2" --log-level debug --set voice.mode=always kiosk --sim --script "$work/journey.txt" 2>&1 \
  | grep "comp=voice msg=playing" | python3 -c "
import re, sys
ms = [int(m) for m in re.findall(r'synth_ms=(\d+)', sys.stdin.read())]
print('  %d prompts: synthesis mean %.1f ms, max %d ms (the speaker thread; the render thread never waits)' % (len(ms), sum(ms)/max(1,len(ms)), max(ms or [0])))"
