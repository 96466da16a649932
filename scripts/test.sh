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
  chromium python3 openssl
  # The end-to-end deploy tests boot Debian hosts: debootstrap builds their base, systemd-nspawn runs
  # them, nftables and iproute2 make their network, ssh reaches them.
  systemd-container debootstrap nftables iproute2 openssh-client
)

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if command -v apt-get >/dev/null 2>&1; then
  echo "--- apt packages: ${PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo_ apt-get update -qq
  sudo_ apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
  # kubectl renders the generated kustomize overlays; Debian's own package when none is on the PATH.
  command -v kubectl >/dev/null || sudo_ apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
fi

echo "--- npm ci (pinned by package-lock.json)"
npm ci --no-audit --no-fund

echo "--- lint and types"
npm run lint
npm run typecheck

echo "--- tests"
npm test
