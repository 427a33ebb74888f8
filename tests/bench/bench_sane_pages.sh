#!/bin/sh
# Pages per minute and CPU seconds per page of `bianmin scan page --sane`:
# SANE's own test backend feeding its ADF at 300 dpi A4 (colour: the
# "Color pattern" picture, 26 MB a page; grey: the grid, 8.7 MB), each
# page through the camera's page pipeline to the 300 kB budget, pages
# written as files. The test backend costs little (it fills memory), so
# this is the terminal's share of a real scanner's time; `scanimage` on the
# same pages is measured too, for the backend's own part.
#
#   tests/bench/bench_sane_pages.sh [BUILD_DIR] [PAGES]     (defaults: build, 10)
#
# PAGES at most 10 (the test backend's feeder). Prints one line per mode.
set -eu
build=${1:-build}
pages=${2:-10}
bianmin=$build/bianmin
[ -x "$bianmin" ] || { echo "no $bianmin: build it first (ninja -C $build bianmin)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo test > "$tmp/dll.conf"
cat > "$tmp/test.conf" <<'CONF'
number_of_devices 1
mode Gray
depth 8
resolution 300.0
test-picture "Color pattern"
read-limit false
read-delay false
read-status-code "Default"
geometry_min 0.0
geometry_max 300.0
geometry_quant 1.0
tl_x 0.0
tl_y 0.0
br_x 210.0
br_y 297.0
CONF
: > "$tmp/bianmin.toml"
export SANE_CONFIG_DIR=$tmp

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in colour grey; do
  picture="Color pattern"
  [ "$mode" = grey ] && picture=Grid
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" \
    "$bianmin" --config="$tmp/bianmin.toml" --log-level=off scan page --sane test:0 --adf --pages "$pages" \
    --dpi 300 --mode "$mode" --sane-option "test-picture=$picture" --out "$tmp/page.jpg" --json > "$tmp/out.json"
  read -r wall user sys rss_kb < "$tmp/time"
  python3 - "$tmp/out.json" "$mode" "$wall" "$user" "$sys" "$rss_kb" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
mode, wall, user, sys_, rss = sys.argv[2], *map(float, sys.argv[3:7])
n = j["page_count"]
sizes = [p["bytes"] for p in j["pages"]]
over = sum(p["bytes"] > p["budget_bytes"] for p in j["pages"])
print(f"bianmin {mode:6}: {n} pages in {wall:.2f} s = {60 * n / wall:.1f} pages/min; "
      f"CPU {(user + sys_) / n:.2f} s/page (user {user / n:.2f} + sys {sys_ / n:.2f}); "
      f"mean page {sum(sizes) / n / 1000:.0f} kB, {over} over budget; "
      f"{j['pages'][0]['width']}x{j['pages'][0]['height']} px at {j['pages'][0]['dpi']} dpi; peak RSS {rss / 1024:.0f} MB")
PY
  # The backend alone: the same pages to /dev/null with scanimage.
  sanemode=Color
  [ "$mode" = grey ] && sanemode=Gray
  /usr/bin/time -f '%e %U %S' -o "$tmp/time" sh -c "i=0; while [ \$i -lt $pages ]; do
      scanimage --format=pnm -d test:0 --mode $sanemode --resolution 300 -x 210 -y 297 --test-picture '$picture' > /dev/null; i=\$((i+1)); done"
  read -r wall user sys < "$tmp/time"
  python3 -c "import sys; w,u,s,n=map(float,sys.argv[1:5]); print(f'scanimage {sys.argv[5]:6}: {n:.0f} pages in {w:.2f} s, CPU {(u+s)/n:.2f} s/page (the backend and scanimage alone)')" \
    "$wall" "$user" "$sys" "$pages" "$mode"
done
