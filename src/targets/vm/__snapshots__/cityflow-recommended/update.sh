#!/bin/sh
# Updates cityflow (recommended) after new code is in /opt/cityflow: installs the files again, then
# restarts each service one replica at a time, waiting for the replica's health check before the next.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
sh "$HERE/install.sh"

# wait_healthy URL SECONDS: polls until the replica answers, or fails the update.
wait_healthy() {
  waited=0
  until curl -fsS -o /dev/null --max-time 5 "$1"; do
    waited=$((waited + 1))
    if [ "$waited" -ge "$2" ]; then echo "update.sh: $1 is not healthy after $2 s; stopping the update" >&2; exit 1; fi
    sleep 1
  done
}

# api: 1 replica (restarting it interrupts the service briefly)
systemctl restart cityflow-api@5001.service
wait_healthy http://127.0.0.1:5001/health 80

# dashboard: 1 replica (restarting it interrupts the service briefly)
systemctl restart cityflow-dashboard@8501.service
wait_healthy http://127.0.0.1:8501/healthz 80

echo "update.sh: cityflow (recommended) is up to date"
