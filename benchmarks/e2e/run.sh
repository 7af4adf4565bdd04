#!/usr/bin/env bash
# End-to-end cost of the library: wrk on loopback against the sample's busiest endpoint
# (GET /catalog/items/{id}, api-gateway role, compiled from samples/SampleShop) in three builds of the same
# app -- none | builtin | full (benchmarks/e2e/E2EShop, switch Bench:Telemetry) -- while a scraper pulls
# /metrics from each every second as Prometheus would.
#
# Paired rounds: the three builds run side by side (one process each, on their own ports) and wrk hits them in
# turn with short bursts, the order rotating every round, so that the three measurements of a round share the
# machine's state of those few seconds. Each round's rps, P99 and CPU per request are divided by the none build's
# of the same round; the tables give the median and range of those ratios. The whole set is started PROCESSES
# times with fresh processes, so that one unlucky process (JIT, heap layout) cannot decide the result.
# CPU per request is the service process's own user+system time (from /proc/<pid>/stat) during the burst, scraper
# included, divided by the requests wrk completed: unlike rps it does not depend on how the two cores were shared
# with wrk, so it is the steadier measure of what the library costs.
#
#   bash benchmarks/e2e/run.sh                 # 2 process sets x 10 rounds x 3 builds x 3 s, no CPU work per request
#   ROUNDS=20 BURST=5 WORK_MS=2 bash benchmarks/e2e/run.sh
# Env: PROCESSES (2), ROUNDS per process set (10), BURST seconds per wrk run (3), CONNECTIONS (32), THREADS (1),
#      WORK_MS catalog CPU work per request (0 = worst case for the library; the sample's default is 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
sets="${PROCESSES:-2}"; rounds="${ROUNDS:-10}"; burst="${BURST:-3}"
connections="${CONNECTIONS:-32}"; threads="${THREADS:-1}"; work="${WORK_MS:-0}"
out="$(mktemp -d /tmp/it-e2e.XXXXXX)"
builds=(none builtin full)
declare -A pid port
scraper_pid=""
stop_all() {
  [[ -n "$scraper_pid" ]] && kill "$scraper_pid" 2>/dev/null || true
  scraper_pid=""
  for b in "${builds[@]}"; do [[ -n "${pid[$b]:-}" ]] && kill "${pid[$b]}" 2>/dev/null || true; pid[$b]=""; done
  wait 2>/dev/null || true
}
trap stop_all EXIT
clk_tck="$(getconf CLK_TCK)"
# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat; the name field has no spaces here).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
source benchmarks/e2e/common.sh

echo "# e2e $(date -u +%FT%TZ): $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# process_sets=$sets rounds=$rounds burst=${burst}s connections=$connections threads=$threads work_ms=$work load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "# set round build rps p99 metrics_bytes load1 cpu_us_per_request"
for ((set = 1; set <= sets; set++)); do
  for b in "${builds[@]}"; do
    port[$b]="$(free_port)"
    start_build "$b" "${port[$b]}" "$work" "$out/app-$b-$set.log"
    pid[$b]=$!
  done
  for b in "${builds[@]}"; do wait_ready "${port[$b]}"; done
  # One scraper for all three (the none build answers 404), so that every build sees the same scrape traffic.
  ( while true; do for b in "${builds[@]}"; do curl -s -o /dev/null -H "Accept: $accept" "http://127.0.0.1:${port[$b]}/metrics"; done; sleep 1; done ) &
  scraper_pid=$!
  for b in "${builds[@]}"; do wrk -t"$threads" -c"$connections" -d5s "http://127.0.0.1:${port[$b]}/catalog/items/42" >/dev/null; done  # warm-up: JIT, tiering, pools
  for ((round = 1; round <= rounds; round++)); do
    for ((k = 0; k < 3; k++)); do
      b="${builds[$(((round + set + k) % 3))]}"
      before="$(cpu_ticks "${pid[$b]}")"
      wrk -t"$threads" -c"$connections" -d"${burst}s" --latency "http://127.0.0.1:${port[$b]}/catalog/items/42" >"$out/wrk-$set-$round-$b.txt"
      after="$(cpu_ticks "${pid[$b]}")"
      f="$out/wrk-$set-$round-$b.txt"
      rps="$(awk '/^Requests\/sec/ {print $2}' "$f")"
      p99="$(awk '$1 == "99%" {print $2}' "$f")"
      requests="$(awk '/requests in/ {print $1}' "$f")"
      cpu_us="$(python3 -c "print(f'{($after - $before) / $clk_tck * 1e6 / $requests:.2f}')")"
      size="$(curl -s -H "Accept: $accept" "http://127.0.0.1:${port[$b]}/metrics" | wc -c)"
      errors="$(grep -E 'Non-2xx|Socket errors' "$f" | tr '\n' ' ' || true)"
      echo "$set $round $b $rps $p99 $size $(cut -d' ' -f1 /proc/loadavg) $cpu_us $errors" | tee -a "$out/results.txt"
    done
  done
  stop_all
done

python3 - "$out/results.txt" <<'PY'
import re, statistics, sys
def seconds(v):
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", v)
    return float(m.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[m.group(2)]
rounds = {}
for line in open(sys.argv[1]):
    s, r, b, rps, p99, size, load, cpu = line.split()[:8]
    rounds.setdefault((int(s), int(r)), {})[b] = (float(rps), seconds(p99) * 1000, int(size), float(load), float(cpu))
def stats(xs, fmt):
    return f"{statistics.median(xs):{fmt}} ({min(xs):{fmt}}-{max(xs):{fmt}})"
print(f"\n{len(rounds)} paired rounds.\n")
print("| build | rps median (min-max) | P99 ms median (min-max) | CPU µs per request median (min-max) | rps / none | P99 / none | CPU per request / none | /metrics bytes | load 1m |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for b in ("none", "builtin", "full"):
    col = lambda i: [x[b][i] for x in rounds.values()]
    ratio = lambda i: [x[b][i] / x["none"][i] for x in rounds.values()]
    print(f"| {b} | {stats(col(0), '.0f')} | {stats(col(1), '.2f')} | {stats(col(4), '.2f')} | {stats(ratio(0), '.3f')} | "
          f"{stats(ratio(1), '.3f')} | {stats(ratio(4), '.3f')} | {max(col(2))} | {statistics.median(col(3)):.2f} |")
full_vs_builtin = [x["full"][4] / x["builtin"][4] for x in rounds.values()]
print(f"\nfull / builtin, CPU per request: {stats(full_vs_builtin, '.3f')}")
PY
echo "# raw: $out  load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
