#!/usr/bin/env bash
# Installs the Debian packages huizhan needs to build, test and run, if any is missing.
# Everything comes from Debian 12's own archive: nothing else is downloaded. Chromium and
# fonts-noto-cjk are for the browser tests (tests/browser/), which drive /usr/bin/chromium;
# the web UI's npm packages are installed by the build (npm ci, cmake/web.cmake).
# postgresql-15 is for the PostgreSQL pass of the tests (tests/pg/cluster.sh runs its own
# throw-away cluster from /usr/lib/postgresql/15/bin); libpq-dev is the client library.
# dpkg-dev (dpkg-shlibdeps), systemd (systemd-analyze verify), man-db and curl are for
# `make deb` and its test (tests/deb/deb_test.sh).
# `install-deps.sh fuzz` also installs clang and its libFuzzer runtime (make fuzz), and
# `install-deps.sh valgrind` valgrind (make valgrind); make test needs neither.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libsodium-dev zlib1g-dev
  libcmocka-dev
  libxlsxwriter-dev libzip-dev libexpat1-dev python3-openpyxl
  chromium fonts-noto-cjk
  libcairo2-dev libpango1.0-dev poppler-utils
  libcurl4-openssl-dev
  postgresql-15 libpq-dev
  dpkg-dev systemd man-db curl binutils
)
for extra in "$@"; do
  case "$extra" in
    fuzz) packages+=(clang libclang-rt-14-dev) ;; # libclang_rt.fuzzer-x86_64.a is in libclang-rt-14-dev
    valgrind) packages+=(valgrind curl) ;;
    *) echo "install-deps.sh: unknown extra '$extra' (fuzz, valgrind)"; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "huizhan: installing missing packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
