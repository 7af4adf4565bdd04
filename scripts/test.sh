#!/usr/bin/env bash
# The one command that runs every test, from a fresh clone on a clean machine:
# installs the real components the tests need, restores, builds with warnings as errors, tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-tools.sh
dotnet restore IncidentTelemetry.sln
dotnet build IncidentTelemetry.sln --no-restore -c Release

log=$(mktemp)
status=0
set +e
# First every test project but the drills, in parallel; then the incident drills on their own, so that
# their timing (open-loop load, alerts judged against a quiet baseline) does not share the machine.
dotnet test IncidentTelemetry.sln --no-build -c Release --logger "console;verbosity=normal" \
    --filter "FullyQualifiedName!~IncidentTelemetry.Drills.Tests" 2>&1 | tee "$log"
status=$((status | PIPESTATUS[0]))
dotnet test tests/IncidentTelemetry.Drills.Tests/IncidentTelemetry.Drills.Tests.csproj --no-build -c Release \
    --logger "console;verbosity=normal" 2>&1 | tee -a "$log"
status=$((status | PIPESTATUS[0]))
set -e

# One closing line for every test project together: "N passed, N failed".
# (The runner prints "Passed: N" per project, and "Failed: N" only when something failed.)
passed=$( (grep -Eo '^ +Passed: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
failed=$( (grep -Eo '^ +Failed: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
# A test host that crashed or a project that could not run prints this instead of a count: say so, since its
# tests are in neither number.
aborted=$( (grep -Ec 'Test Run Aborted' "$log" || true) | head -n 1)
# The failures again at the very end, where a truncated CI log still shows them.
if [ "${failed:-0}" != "0" ]; then
    echo "failed tests:"
    grep -E -A4 '^ +Failed [A-Za-z_]' "$log" || true
fi
if [ "${aborted:-0}" != "0" ]; then
    echo "aborted test runs: ${aborted} (their tests are not counted below)"
    grep -E -B2 -A6 'Test Run Aborted' "$log" || true
fi
rm -f "$log"
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
