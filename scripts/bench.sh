#!/usr/bin/env bash
# Runs every BenchmarkDotNet benchmark (hot paths and scrape), then the HTTP scrape sizes.
# Not part of the tests. Results: BenchmarkDotNet.Artifacts/results/*.md and the report on stdout.
#   bash scripts/bench.sh                 # short job (3 warm-ups, 3 iterations): about 5 minutes on 2 cores
#   BENCH_JOB=medium bash scripts/bench.sh
#   bash scripts/bench.sh --filter '*Scrape*'   # extra arguments go to BenchmarkDotNet
set -euo pipefail
cd "$(dirname "$0")/.."
job="${BENCH_JOB:-short}"
filter=(--filter '*')
if [[ " $* " == *" --filter "* ]]; then filter=(); fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build benchmarks/IncidentTelemetry.Benchmarks -c Release -nologo -v quiet
dll=benchmarks/IncidentTelemetry.Benchmarks/bin/Release/net10.0/IncidentTelemetry.Benchmarks.dll
dotnet "$dll" --inProcess --job "$job" "${filter[@]}" "$@"
echo "# HTTP scrape sizes, load: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$dll" http-scrape-sizes
echo "# done $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"
