#!/usr/bin/env bash
# Installs the system tools the tests use for real (SoftHSM2 stands in for the eID, xmlsec1
# verifies our XML signatures independently, xmllint validates against the official XSDs,
# Chromium runs the console's end-to-end test, cc builds the test PIN-pad reader in C).
# Idempotent: does nothing when every tool is already present.
set -euo pipefail
need=()
command -v softhsm2-util >/dev/null 2>&1 || need+=(softhsm2)
command -v xmlsec1 >/dev/null 2>&1 || need+=(xmlsec1)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v pkcs11-tool >/dev/null 2>&1 || need+=(opensc)
# The pharmacist console's browser test drives Debian's Chromium through playwright-core.
[ -x /usr/bin/chromium ] || need+=(chromium)
# tests/support/pinpad.ts compiles a PKCS#11 module (libc headers: libc6-dev).
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing system packages: ${need[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
