# Sourced by the kiosk benchmarks: idle_cpu LABEL COMMAND… runs COMMAND (a
# kiosk started with --exit-after 75) in the background, lets it settle for
# 10 s, and prints the CPU time it used over the next 60 s.
idle_cpu() {
  label=$1; shift
  "$@" & k=$!
  sleep 10
  t0=$(awk '{print $14+$15}' /proc/$k/stat)
  sleep 60
  t1=$(awk '{print $14+$15}' /proc/$k/stat)
  wait $k
  python3 -c "import os;hz=os.sysconf('SC_CLK_TCK');cpu=($t1-$t0)/hz;print('  %s%.2f s CPU in 60 s = %.2f %% of one core' % ('$label', cpu, cpu/60*100))"
}
