#!/usr/bin/env bash
# End-to-end cost of the library: wrk on loopback against the sample's busiest endpoint
# (GET /catalog/items/{id}, api-gateway role, compiled from samples/SampleShop) in three builds of the same
# app -- none | builtin | full (benchmarks/e2e/E2EShop, switch Bench:Telemetry) -- while a scraper pulls
# /metrics every second as Prometheus would. Builds alternate within each repetition (the order rotates);
# rps and P99 are given as ratios to the no-metrics build of the same repetition, then median/min/max.
#
#   bash benchmarks/e2e/run.sh                       # 5 repetitions x 3 builds x 10 s, no CPU work per request
#   REPS=7 DURATION=15 WORK_MS=2 bash benchmarks/e2e/run.sh
# Env: REPS (5), DURATION seconds per wrk run (10), CONNECTIONS (32), THREADS (1),
#      WORK_MS catalog CPU work per request (0 = worst case for the library; the sample's default is 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
reps="${REPS:-5}"; duration="${DURATION:-10}"; connections="${CONNECTIONS:-32}"; threads="${THREADS:-1}"; work="${WORK_MS:-0}"
command -v wrk >/dev/null || { echo "wrk missing: sudo apt-get install -y wrk" >&2; exit 1; }
out="$(mktemp -d /tmp/it-e2e.XXXXXX)"
app_pid=""; scraper_pid=""
cleanup() {
  [[ -n "$scraper_pid" ]] && kill "$scraper_pid" 2>/dev/null || true
  [[ -n "$app_pid" ]] && kill "$app_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

dotnet build benchmarks/e2e/E2EShop -c Release -nologo -v quiet >/dev/null
dll=benchmarks/e2e/E2EShop/bin/Release/net10.0/IncidentTelemetry.Benchmarks.E2EShop.dll
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
accept='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'

echo "# e2e $(date -u +%FT%TZ): $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# reps=$reps duration=${duration}s connections=$connections threads=$threads work_ms=$work load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
builds=(none builtin full)
for ((rep = 1; rep <= reps; rep++)); do
  for ((k = 0; k < 3; k++)); do
    mode="${builds[$(((rep + k) % 3))]}"
    dotnet "$dll" --urls "$base" --Bench:Telemetry="$mode" --Shop:CatalogWorkMilliseconds="$work" >"$out/app-$mode-$rep.log" 2>&1 &
    app_pid=$!
    for _ in $(seq 1 100); do curl -fs -o /dev/null "$base/" && break; sleep 0.2; done
    curl -fs -o /dev/null "$base/catalog/items/1"
    # The scraper runs in every build (the none build answers 404), so that the load is the same.
    ( while true; do curl -s -o /dev/null -H "Accept: $accept" "$base/metrics"; sleep 1; done ) &
    scraper_pid=$!
    wrk -t"$threads" -c"$connections" -d3s "$base/catalog/items/42" >/dev/null   # warm-up: JIT, pools
    wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$base/catalog/items/42" >"$out/wrk-$mode-$rep.txt"
    metrics_bytes="$(curl -s -H "Accept: $accept" "$base/metrics" | wc -c)"
    kill "$scraper_pid"; wait "$scraper_pid" 2>/dev/null || true; scraper_pid=""
    kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""
    rps="$(awk '/^Requests\/sec/ {print $2}' "$out/wrk-$mode-$rep.txt")"
    p99="$(awk '$1 == "99%" {print $2}' "$out/wrk-$mode-$rep.txt")"
    errors="$(grep -E 'Non-2xx|Socket errors' "$out/wrk-$mode-$rep.txt" | tr '\n' ' ' || true)"
    echo "$rep $mode $rps $p99 $metrics_bytes $(cut -d' ' -f1 /proc/loadavg) $errors" | tee -a "$out/results.txt"
  done
done

python3 - "$out/results.txt" <<'PY'
import re, statistics, sys
def seconds(v):
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", v)
    return float(m.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[m.group(2)]
runs = {}
for line in open(sys.argv[1]):
    rep, mode, rps, p99, size, load = line.split()[:6]
    runs.setdefault(int(rep), {})[mode] = (float(rps), seconds(p99), int(size), float(load))
def stats(xs):
    return f"{statistics.median(xs):.3f} ({min(xs):.3f}-{max(xs):.3f})"
print("\n| build | rps median (min-max) | P99 ms median (min-max) | rps / none: median (min-max) | P99 / none: median (min-max) | /metrics bytes | load 1m |")
print("|---|---:|---:|---:|---:|---:|---:|")
for mode in ("none", "builtin", "full"):
    rps = [r[mode][0] for r in runs.values()]
    p99 = [r[mode][1] * 1000 for r in runs.values()]
    rr = [r[mode][0] / r["none"][0] for r in runs.values()]
    pr = [r[mode][1] / r["none"][1] for r in runs.values()]
    size = max(r[mode][2] for r in runs.values())
    load = statistics.median(r[mode][3] for r in runs.values())
    print(f"| {mode} | {statistics.median(rps):.0f} ({min(rps):.0f}-{max(rps):.0f}) | {stats(p99)} | {stats(rr)} | {stats(pr)} | {size} | {load:.2f} |")
PY
echo "# raw: $out  load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
