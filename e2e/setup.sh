#!/usr/bin/env bash
# What the end-to-end suite needs from Debian's packages, installed when missing: HAProxy (the load
# balancer in front of each service's two replicas), Chromium (the browser of the social login) and the
# AWS CLI (reads the bucket storage-service wrote). Run by the build before the suite (pre-integration-test).
set -euo pipefail

need=()
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
[ -x /usr/bin/chromium ] || [ -n "${LATCH_CHROMIUM:-}" ] || need+=(chromium)
command -v aws >/dev/null 2>&1 || need+=(awscli)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "e2e needs ${need[*]}: install them (apt-get install ${need[*]}) or run as root" >&2
    exit 1
  fi
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  echo "e2e: installing ${need[*]} from Debian's packages"
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# one line per tool, in the build log
haproxy -v 2>/dev/null | head -n 1 || true
aws --version 2>&1 | head -n 1 || true
