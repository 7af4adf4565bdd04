#!/usr/bin/env bash
# Installs the real components the tests start on loopback ports: Prometheus and promtool,
# Alertmanager's amtool, Redis with Sentinel, redis_exporter, PostgreSQL, wrk and VictoriaMetrics with vmalert
# (Debian packages), and
# chromium, headless, to open the drills' report page and take its screenshot.
# Safe to run again: it installs only what is missing.
set -euo pipefail

need=()
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v prometheus-redis-exporter >/dev/null 2>&1 || need+=(prometheus-redis-exporter)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-sentinel >/dev/null 2>&1 || need+=(redis-sentinel)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v victoria-metrics >/dev/null 2>&1 || need+=(victoria-metrics)
command -v vmalert >/dev/null 2>&1 || need+=(victoria-metrics)
command -v chromium >/dev/null 2>&1 || need+=(chromium)

if [ ${#need[@]} -eq 0 ]; then
  echo "test tools: all present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

echo "test tools: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian's packages start nothing here (no init system), and the tests start their own instances;
# make sure no packaged instance holds the default ports either.
for svc in prometheus prometheus-alertmanager prometheus-redis-exporter redis-server redis-sentinel postgresql victoria-metrics; do
  $sudo service "$svc" stop >/dev/null 2>&1 || true
done
echo "test tools: installed"
