#!/bin/sh
# Updates harena (local) after new code is in /opt/harena: installs the files again, then
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

# user-service: 1 replica (restarting it interrupts the service briefly)
systemctl restart harena-user-service@8001.service
wait_healthy http://127.0.0.1:8001/health 80

# search-service: 1 replica (restarting it interrupts the service briefly)
systemctl restart harena-search-service@8002.service
wait_healthy http://127.0.0.1:8002/health 80

# conversation-service: 1 replica (restarting it interrupts the service briefly)
systemctl restart harena-conversation-service@8003.service
wait_healthy http://127.0.0.1:8003/health 80

echo "update.sh: harena (local) is up to date"
