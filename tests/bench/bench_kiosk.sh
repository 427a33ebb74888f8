#!/bin/sh
# Kiosk benchmarks (issue 7), run by hand on an otherwise idle machine:
#   tests/bench/bench_kiosk.sh [BUILD_DIR] [SESSIONS]
# 1. cold start to first frame (no --sim: the kiosk alone, catalogue in the store)
# 2. CPU time per frame on a list of 1,000 catalogue items (paging through it)
# 3. idle CPU over 60 s on the attract screen
# 4. resident memory after SESSIONS scripted resident sessions (default 20;
#    an hour is about 120)
# Under Xvfb the GL work is software (llvmpipe): "build" is the screens and
# ImGui alone, "frame" adds llvmpipe's rasterising; on the device a GPU does that.
set -eu
build=${1:-build}
sessions=${2:-20}
b=$(realpath "$build/bianmin")
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/bench-kiosk-XXXXXX)
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
Xvfb :77 -screen 0 1920x1920x24 -nolisten tcp 2>/dev/null & xvfb=$!
export DISPLAY=:77
sleep 1

# A catalogue of 1,000 items: the sample's 79, repeated with new codes.
python3 - "$src/assets/catalog/ganzhou-620702.json" "$work/cat1000.json" <<'PY'
import json, sys, copy
c = json.load(open(sys.argv[1])); items = c["items"]; out = []
for i in range(1000):
    it = copy.deepcopy(items[i % len(items)]); it["code"] = "%s-%04d" % (it["code"], i); out.append(it)
c["items"] = out; c["version"] = "bench-1000"
json.dump(c, open(sys.argv[2], "w"), ensure_ascii=False)
PY
d="$work/data"
$b --data-dir "$d" --log-level warn catalog import "$work/cat1000.json" >/dev/null

echo "== 1. cold start to first frame (5 runs)"
for i in 1 2 3 4 5; do
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  $b --data-dir "$d" --log-level warn kiosk --exit-after 1.5 --stats "$work/start$i.json"
  python3 -c "import json;print('  first frame %.0f ms' % json.load(open('$work/start$i.json'))['first_frame_ms'])"
done

echo "== 2. CPU per frame, list of 1,000 items (50 pages)"
{ echo "wait attract"; echo "tap attract.start"; echo "wait home"; echo "tap home.list.power"; echo "wait lists";
  i=0; while [ $i -lt 50 ]; do echo "tap lists.page.next"; i=$((i+1)); done; echo quit; } > "$work/list.txt"
$b --data-dir "$d" --log-level warn kiosk --script "$work/list.txt" --screenshot-dir "$work" --stats "$work/list.json"
python3 -c "
import json; s=json.load(open('$work/list.json'))
print('  frames %d; build (screens + ImGui) mean %.2f ms max %.2f ms; whole frame incl. llvmpipe mean %.2f ms max %.2f ms' % (s['frames'], s['build_cpu_ms_mean'], s['build_cpu_ms_max'], s['frame_cpu_ms_mean'], s['frame_cpu_ms_max']))"

echo "== 3. idle CPU over 60 s (attract screen)"
$b --data-dir "$d" --log-level warn kiosk --exit-after 75 & k=$!
sleep 10
t0=$(awk '{print $14+$15}' /proc/$k/stat)
sleep 60
t1=$(awk '{print $14+$15}' /proc/$k/stat)
wait $k
python3 -c "import os;hz=os.sysconf('SC_CLK_TCK');cpu=($t1-$t0)/hz;print('  %.2f s CPU in 60 s = %.2f %% of one core' % (cpu, cpu/60*100))"

echo "== 4. resident memory after $sessions scripted sessions (--sim)"
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
