# Shared by run.sh and profile.sh (sourced from the repository root): builds the e2e app and starts it.
command -v wrk >/dev/null || { echo "wrk missing: sudo apt-get install -y wrk" >&2; exit 1; }
dotnet build benchmarks/e2e/E2EShop -c Release -nologo -v quiet >/dev/null
e2e_dll=benchmarks/e2e/E2EShop/bin/Release/net10.0/IncidentTelemetry.Benchmarks.E2EShop.dll
# What Prometheus sends: OpenMetrics first.
accept='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_build BUILD PORT WORK_MS LOG: starts one build in the background (its pid in $!); wait_ready PORT afterwards.
start_build() { dotnet "$e2e_dll" --urls "http://127.0.0.1:$2" --Bench:Telemetry="$1" --Shop:CatalogWorkMilliseconds="$3" >"$4" 2>&1 & }

# wait_ready PORT: waits (up to 20 s) until the app answers, then requests one catalog item.
wait_ready() {
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$1/" && break; sleep 0.2; done
  curl -fs -o /dev/null "http://127.0.0.1:$1/catalog/items/1"
}
