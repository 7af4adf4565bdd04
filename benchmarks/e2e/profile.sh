#!/usr/bin/env bash
# Where the CPU goes in one build of the e2e app under wrk load, with a scraper pulling /metrics every second:
# dotnet-trace's CPU sampler (Microsoft-DotNETCore-SampleProfiler) for DURATION seconds, then the share of on-CPU
# samples of managed code spent in each metrics-related part (inclusive: a sample counts for every part on its stack),
# and that time divided by the requests served while sampling. The sampler takes each thread's stack about once a
# millisecond, so the milliseconds are estimates from sample counts; parts under a few tens of ms are noise.
#
#   bash benchmarks/e2e/profile.sh full        # or none | builtin
# Env: DURATION (10), CONNECTIONS (32), WORK_MS (0). Installs dotnet-trace into benchmarks/.tools when missing.
# Keeps the trace (nettrace + speedscope JSON, openable at https://www.speedscope.app) and prints its path.
# Time in native code (system calls, the GC's own threads) is not attributed to a frame by this sampler; the
# summary says how much of the samples that was.
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-full}"; duration="${DURATION:-10}"; connections="${CONNECTIONS:-32}"; work="${WORK_MS:-0}"
source benchmarks/e2e/common.sh
tools="$PWD/benchmarks/.tools"
if [[ ! -x "$tools/dotnet-trace" ]]; then
  dotnet tool install --tool-path "$tools" dotnet-trace >/dev/null
fi
out="$(mktemp -d /tmp/it-profile.XXXXXX)"
port="$(free_port)"
base="http://127.0.0.1:$port"
app_pid=""; scraper_pid=""; wrk_pid=""
cleanup() {
  for p in "$wrk_pid" "$scraper_pid" "$app_pid"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

start_build "$build" "$port" "$work" "$out/app.log"
app_pid=$!
wait_ready "$port"
( while true; do curl -s -o /dev/null -H "Accept: $accept" "$base/metrics"; sleep 1; done ) &
scraper_pid=$!
wrk -t1 -c"$connections" -d5s "$base/catalog/items/42" >/dev/null   # warm-up: JIT, tiering, pools
wrk -t1 -c"$connections" -d"$((duration + 4))s" "$base/catalog/items/42" >"$out/wrk.txt" &
wrk_pid=$!
sleep 1
"$tools/dotnet-trace" collect -p "$app_pid" --profile dotnet-sampled-thread-time --duration "00:00:00:$(printf '%02d' "$duration")" \
  --format speedscope -o "$out/$build.nettrace" >"$out/trace.log" 2>&1
wait "$wrk_pid"; wrk_pid=""
rps="$(awk '/^Requests\/sec/ {print $2}' "$out/wrk.txt")"
echo "# profile $(date -u +%FT%TZ) build=$build duration=${duration}s connections=$connections work_ms=$work: $rps requests/s, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out/$build.speedscope.json" "$rps" "$duration" <<'PY'
import collections, json, re, sys
data = json.load(open(sys.argv[1]))
requests = float(sys.argv[2]) * float(sys.argv[3])  # requests served while the sampler ran (wrk's rate x duration)
frames = [f["name"] for f in data["shared"]["frames"]]
parts = [
    ("ASP.NET Core request metrics (HostingMetrics, tags feature)", r"^Microsoft\.AspNetCore\.Hosting!.*(HostingMetrics|RecordRequestStartMetrics|HttpMetricsTagsFeature)"),
    ("System.Diagnostics.Metrics (instrument -> listener)", r"^System\.Diagnostics\.DiagnosticSource!System\.Diagnostics\.Metrics\."),
    ("OpenTelemetry SDK: recording a measurement", r"^OpenTelemetry!OpenTelemetry\.Metrics\.(AggregatorStore|MetricPoint|MeterProviderSdk\.Measurement|Metric\.Update)"),
    ("OpenTelemetry SDK: collecting for a scrape", r"^OpenTelemetry!OpenTelemetry\.Metrics\.(BaseExportingMetricReader|MetricReader|Metric\.Snapshot|AggregatorStore\.Snapshot)"),
    ("IncidentTelemetry: /metrics endpoint (guard, management port)", r"^IncidentTelemetry!IncidentTelemetry\.Prometheus\."),
    ("IncidentTelemetry: anything else", r"^IncidentTelemetry!IncidentTelemetry\.(?!Prometheus\.)"),
    ("Kestrel request processing (everything of a request)", r"HttpProtocol\+<ProcessRequests>"),
]
compiled = [(name, re.compile(rx)) for name, rx in parts]
counts = collections.Counter(); on_cpu = 0.0; native = 0.0
for profile in data["profiles"]:
    stack = []; last = None
    for ev in profile["events"]:
        if last is not None and stack:
            w = ev["at"] - last
            leaf = frames[stack[-1]]
            if leaf == "CPU_TIME":
                on_cpu += w
                names = [frames[i] for i in stack]
                for name, rx in compiled:
                    if any(rx.search(n) for n in names):
                        counts[name] += w
            elif leaf == "UNMANAGED_CODE_TIME":
                native += w
        last = ev["at"]
        if ev["type"] == "O": stack.append(ev["frame"])
        else: stack.pop()
print(f"on-CPU managed samples: {on_cpu:.0f} ms (native or waiting: {native:.0f} ms, not attributed)")
print("| part | share of on-CPU managed samples | sampled ms | µs per request |")
print("|---|---:|---:|---:|")
for name, _ in parts:
    print(f"| {name} | {100 * counts[name] / on_cpu:.2f} % | {counts[name]:.0f} | {1000 * counts[name] / requests:.3f} |")
PY
echo "# trace: $out/$build.speedscope.json"
