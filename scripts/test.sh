#!/usr/bin/env bash
# The README's test command, and what CI runs (.ci/run calls it): installs the Debian packages the tests
# drive, installs the npm dependencies from the lockfile, then lint, types and the whole test suite.
# Run it as root or with sudo available; on a machine without apt-get the packages must already be there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Real tools the tests drive: generated files are checked by them, local resources are them.
PACKAGES=(
  nginx shellcheck systemd redis-server
  postgresql-15 postgresql-15-postgis-3
  chromium fonts-dejavu-core python3 openssl
  openssh-server openssh-client iproute2 nftables
  # The S3 conformance suite (ceph/s3-tests) runs on Debian's python3 with these.
  python3-boto3 python3-pytest python3-pytest-timeout python3-isodate python3-munch python3-requests
  python3-httplib2 python3-tz
  # The end-to-end deploy tests boot Debian hosts: debootstrap builds their base, systemd-nspawn runs
  # them, nftables and iproute2 make their network, ssh reaches them.
  systemd-container debootstrap
  # Generated monitoring files checked by their own tools: rsyslogd -N1 (the vm target's rules for the
  # CloudWatch agent) and promtool, shipped by prometheus (the k8s PrometheusRule).
  rsyslog prometheus
)

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if command -v apt-get >/dev/null 2>&1; then
  echo "--- apt packages: ${PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo_ apt-get update -qq
  sudo_ apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
  # Only promtool is wanted: a Prometheus server the package starts under systemd would scrape and
  # listen on :9090 for nothing.
  if [ -d /run/systemd/system ]; then sudo_ systemctl disable --now prometheus.service >/dev/null 2>&1 || true; fi
  # kubectl renders the generated kustomize overlays; Debian's own package when none is on the PATH.
  command -v kubectl >/dev/null || sudo_ apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
fi

echo "--- npm ci (pinned by package-lock.json)"
npm ci --no-audit --no-fund

echo "--- lint and types"
npm run lint
npm run typecheck

# The peers' own suites against Cairn's S3 and DynamoDB endpoints, when ../shared/conformance is there;
# fails under the floors committed in scripts/conformance/run.ts. Before the unit tests, so that their
# summary is the last word of the run.
if [ -d ../shared/conformance ]; then
  echo "--- conformance (../shared/conformance)"
  start=$(date +%s)
  npm run --silent conformance
  echo "conformance took $(( $(date +%s) - start )) s"
fi

echo "--- tests"
npm test
