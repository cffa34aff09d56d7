#!/usr/bin/env bash
# Installs what the build and the tests need from Debian, once: the C headers (ncursesw, SQLite),
# tmux for end-to-end tests, curl for the benchmark floor, and libcurl's link name for the release
# build (it links the Swift runtime and Foundation statically, and FoundationNetworking asks for
# -lcurl). Idempotent and quiet when all is there.
set -euo pipefail
need=()
for pkg in libncurses-dev libsqlite3-dev libcurl4-openssl-dev tmux curl pkg-config time; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "glmwb: installing ${need[*]} (apt)…" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
