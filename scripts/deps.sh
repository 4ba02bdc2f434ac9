#!/usr/bin/env bash
# Installs every Debian and npm package jiefen needs to build, run and test.
# Idempotent: packages already present are not touched, so a second run is quick.
#   scripts/deps.sh         what build, run and test need
#   scripts/deps.sh bench   also what `make bench` measures against (Debian's nginx as the
#                           ceiling for serving a response); nothing else is installed
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(
  build-essential pkg-config clang-format clang cppcheck clang-tidy
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libcmocka-dev
  libzip-dev libexpat1-dev libxlsxwriter-dev libopencc-dev libopencc-data libqrencode-dev libcurl4-openssl-dev
  postgresql-15
  nodejs npm
  chromium fonts-noto-cjk
  wrk bc sqlite3
)
[ "${1:-}" = bench ] && debs+=(nginx)

missing=()
for p in "${debs[@]}"; do
  # nodejs may come from elsewhere (e.g. NodeSource); accept any working node/npm.
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The bench step wants only its Debian packages: `npm ci` empties node_modules first, and in
# a worktree whose node_modules is a link to another checkout's that wipes the other's.
[ "${1:-}" = bench ] && exit 0

# npm packages (front end libraries and the browser driver), pinned by package-lock.json.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The front end loads its libraries as ES modules from web/vendor (git-ignored), copied
# from node_modules so that nothing third-party is committed to the repository.
scripts/vendor.sh
