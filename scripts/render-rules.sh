#!/usr/bin/env bash
# Re-renders the committed rule files in rules/ from the C# definitions (src/IncidentTelemetry.Rules).
# RenderedRulesTests fails when they differ from a fresh render.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project src/IncidentTelemetry.Tool -c Release -- rules render --format prometheus --out rules
dotnet run --project src/IncidentTelemetry.Tool -c Release -- rules render --format prometheus-operator --out rules/prometheus-operator
