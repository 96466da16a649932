#!/bin/sh
# Updates forestguard (mvp) after new code is in /opt/forestguard: installs the files again, then
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

# dashboard: 1 replica (restarting it interrupts the service briefly)
systemctl restart forestguard-dashboard@8501.service
wait_healthy http://127.0.0.1:8501/healthz 240

echo "update.sh: forestguard (mvp) is up to date"
