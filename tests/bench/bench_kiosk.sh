#!/bin/sh
# Kiosk benchmarks (issues 7 and 13), run by hand on an otherwise idle machine:
#   tests/bench/bench_kiosk.sh [BUILD_DIR] [SESSIONS] [BASELINE_BUILD_DIR]
# 1. cold start to first frame, 1,000 items (no --sim: the kiosk alone,
#    catalogue in the store), 7 runs each, alternating with the baseline
# 2. CPU time per frame on a list of 1,000 catalogue items (paging through it)
# 3. idle CPU over 60 s on the attract screen
# 4. switching elder mode on and off six times: the longest render-thread
#    step (events, installing the new glyph atlas, the frame), which is the
#    longest the screen can go without a new frame
# 5. resident memory after SESSIONS scripted resident sessions (default 20)
# With BASELINE_BUILD_DIR, steps 1 and 4 run the same with that build, side
# by side; BASELINE_ARGS adds kiosk options to the baseline's runs (with the
# same build as baseline: one build with and without them), and
# STEPS=1 stops after step 1. Under Xvfb the GL work is software (llvmpipe): "build" is the
# screens and ImGui alone, "frame" adds llvmpipe's submission; on the device
# a GPU does that.
set -eu
build=${1:-build}
sessions=${2:-20}
base=${3:-}
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/tests/bench/idle_cpu.sh"
work=$(mktemp -d /tmp/bench-kiosk-XXXXXX)
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
Xvfb :77 -screen 0 1920x1920x24 -nolisten tcp 2>/dev/null & xvfb=$!
export DISPLAY=:77
sleep 1

builds="new"
[ -n "$base" ] && builds="new baseline"
bin() { if [ "$1" = new ]; then realpath "$build/bianmin"; else realpath "$base/bianmin"; fi; }
args() { if [ "$1" = new ]; then echo ""; else echo "${BASELINE_ARGS:-}"; fi; }
b=$(bin new)

# A catalogue of 1,000 items: the sample's 79, repeated with new codes.
python3 - "$src/assets/catalog/ganzhou-620702.json" "$work/cat1000.json" <<'PY'
import json, sys, copy
c = json.load(open(sys.argv[1])); items = c["items"]; out = []
for i in range(1000):
    it = copy.deepcopy(items[i % len(items)]); it["code"] = "%s-%04d" % (it["code"], i); out.append(it)
c["items"] = out; c["version"] = "bench-1000"
json.dump(c, open(sys.argv[2], "w"), ensure_ascii=False)
PY
for r in $builds; do
  "$(bin $r)" --data-dir "$work/data-$r" --log-level warn catalog import "$work/cat1000.json" >/dev/null
done

echo "== 1. cold start to first frame, 1,000 items (7 runs each; median, range)"
for i in 1 2 3 4 5 6 7; do
  for r in $builds; do
    sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
    "$(bin $r)" --data-dir "$work/data-$r" --log-level warn kiosk --exit-after 1.5 --stats "$work/start-$r-$i.json" $(args $r)
  done
done
for r in $builds; do
  python3 - "$r" "$work"/start-"$r"-*.json <<'PY'
import json, sys
runs = [json.load(open(f)) for f in sys.argv[2:]]
ff = sorted(r["first_frame_ms"] for r in runs)
line = "  %-9s first frame median %.0f ms (%.0f-%.0f)" % (sys.argv[1], ff[len(ff) // 2], ff[0], ff[-1])
steps = [r.get("startup_ms") for r in runs if r.get("startup_ms")]
if steps:
    names = list(steps[0].keys())
    med = {n: sorted(s[n] for s in steps)[len(steps) // 2] for n in names}
    line += "; steps end at (median ms): " + ", ".join("%s %.0f" % (n, med[n]) for n in names)
print(line)
PY
done

[ "${STEPS:-}" = 1 ] && exit 0

echo "== 2. CPU per frame, list of 1,000 items (50 pages)"
{ echo "wait attract"; echo "tap attract.start"; echo "wait home"; echo "tap home.list.power"; echo "wait lists";
  i=0; while [ $i -lt 50 ]; do echo "tap lists.page.next"; i=$((i+1)); done; echo quit; } > "$work/list.txt"
$b --data-dir "$work/data-new" --log-level warn kiosk --script "$work/list.txt" --screenshot-dir "$work" --stats "$work/list.json"
python3 -c "
import json; s=json.load(open('$work/list.json'))
print('  frames %d; build (screens + ImGui) mean %.2f ms max %.2f ms; whole frame incl. llvmpipe mean %.2f ms max %.2f ms' % (s['frames'], s['build_cpu_ms_mean'], s['build_cpu_ms_max'], s['frame_cpu_ms_mean'], s['frame_cpu_ms_max']))"

echo "== 3. idle CPU over 60 s (attract screen)"
idle_cpu "" $b --data-dir "$work/data-new" --log-level warn kiosk --exit-after 75

echo "== 4. elder mode on and off, 6 switches (3 runs each)"
{ echo "wait attract"; echo "tap attract.start"; echo "wait home"; echo "sleep 1"
  i=0; while [ $i -lt 6 ]; do echo "tap home.elder"; echo "sleep 1"; i=$((i+1)); done; echo quit; } > "$work/elder.txt"
for i in 1 2 3; do
  for r in $builds; do
    "$(bin $r)" --data-dir "$work/data-$r" --log-level info kiosk --script "$work/elder.txt" --stats "$work/elder-$r-$i.json" $(args $r) \
      > "$work/elder-$r-$i.log" 2>&1
  done
done
for r in $builds; do
  python3 - "$r" "$work" <<'PY'
import glob, json, re, sys
r, work = sys.argv[1], sys.argv[2]
runs = [json.load(open(f)) for f in sorted(glob.glob("%s/elder-%s-*.json" % (work, r)))]
installs = []
for f in glob.glob("%s/elder-%s-*.log" % (work, r)):
    installs += [int(m) for m in re.findall(r'glyph atlas installed.*install_ms=(\d+)', open(f).read())]
step = [x.get("step_cpu_ms_max", float("nan")) for x in runs]
frame = [x["frame_cpu_ms_max"] for x in runs]
print("  %-9s longest render-thread step %s ms; longest frame %s ms; atlas installs %d, install_ms max %d" % (
    r, " / ".join("%.1f" % s for s in step), " / ".join("%.1f" % s for s in frame), len(installs), max(installs or [0])))
PY
done

echo "== 5. resident memory after $sessions scripted sessions (--sim)"
{ n=0; while [ $n -lt "$sessions" ]; do
    sed -e '/^screenshot/d' -e '/^network/d' -e '/^wait-delivered/d' -e '/^quit/d' -e '/^#/d' "$src/tests/ui/kiosk/scripts/journey.txt"
    echo "idcard remove"
    if [ $n -eq 0 ]; then echo "mark $work/first"; fi
    n=$((n+1)); done; echo quit; } > "$work/many.txt"
$b --data-dir "$work/sim" --log-level warn kiosk --sim --script "$work/many.txt" --screenshot-dir "$work" & k=$!
while [ ! -f "$work/first" ]; do sleep 1; done
echo "  after 1 session: $(grep VmRSS /proc/$k/status)"
rss=""; while kill -0 $k 2>/dev/null; do rss=$(grep -E 'VmRSS' /proc/$k/status 2>/dev/null || echo "$rss"); hwm=$(grep VmHWM /proc/$k/status 2>/dev/null || echo "${hwm:-}"); sleep 2; done
echo "  after $sessions sessions: $rss ($hwm)"
