#!/usr/bin/env bash
# The one command that runs every test, from a fresh clone on a clean machine:
# installs the real components the tests need, restores, builds with warnings as errors, tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-tools.sh
dotnet restore IncidentTelemetry.sln
dotnet build IncidentTelemetry.sln --no-restore -c Release

log=$(mktemp)
set +e
dotnet test IncidentTelemetry.sln --no-build -c Release --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for every test project together: "N passed, N failed".
# (The runner prints "Passed: N" per project, and "Failed: N" only when something failed.)
passed=$( (grep -Eo '^ +Passed: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
failed=$( (grep -Eo '^ +Failed: +[0-9]+' "$log" || true) | awk '{s+=$2} END {print s+0}')
# The failures again at the very end, where a truncated CI log still shows them.
if [ "${failed:-0}" != "0" ]; then
    echo "failed tests:"
    grep -E -A4 '^ +Failed [A-Za-z_]' "$log" || true
fi
rm -f "$log"
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
