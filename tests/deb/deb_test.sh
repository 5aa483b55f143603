#!/usr/bin/env bash
# The Debian package (make deb): built from this build's binary, its contents and control
# fields checked, its systemd units verified by systemd-analyze, then installed with dpkg
# into a throw-away root (its own admin dir; maintainer scripts run chrootless, so they
# must touch only that root) and purged again. A few seconds; never touches this system.
# Usage: tests/deb/deb_test.sh BIN
set -euo pipefail
bin=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok: $* ($SECONDS s)"; }

version=$(sed -n 's/^project(huizhan VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg --print-architecture)
deb=$("$src/scripts/build-deb.sh" "$bin" "$work")
[ "$deb" = "$work/huizhan_${version}_${arch}.deb" ] && [ -s "$deb" ] || { echo "FAIL: no $work/huizhan_${version}_${arch}.deb" >&2; exit 1; }
ok "built $(basename "$deb")"

# ---- control fields ----
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = huizhan ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), CMake says $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
depends=$(field Depends)
deps=$(tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/ .*//') # the package names, one a line
for p in libmicrohttpd12 libsqlite3-0 libjansson4 libsodium23 libpq5 libcairo2 libpango-1.0-0 libpangocairo-1.0-0 \
  libxlsxwriter4 libzip4 libexpat1 libcurl4 zlib1g libc6 fonts-noto-cjk; do
  grep -qx "$p" <<<"$deps" || fail "Depends lacks $p: $depends"
done
# Every library the binary itself links (NEEDED) belongs to a package named in Depends
# (one dpkg -S for all: each call reads the whole package database).
declare -A libpath
for lib in $(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }'); do
  path=$(ldd "$bin" | awk -v l="$lib" '$1 == l { print $3 }')
  [ -n "$path" ] || { fail "ldd does not resolve $lib"; continue; }
  libpath[$lib]=$(realpath "$path") # merged /usr: dpkg knows the file under /usr/lib or /lib
done
owners=$(dpkg -S "${libpath[@]}" "${libpath[@]#/usr}" 2>/dev/null || true)
for lib in "${!libpath[@]}"; do
  pkg=$(awk -v p="${libpath[$lib]}" -v q="${libpath[$lib]#/usr}" '$2 == p || $2 == q { sub(/:.*/, "", $1); print $1; exit }' <<<"$owners")
  [ -n "$pkg" ] || { fail "no package owns ${libpath[$lib]} ($lib)"; continue; }
  grep -qx "$pkg" <<<"$deps" || fail "$lib is in $pkg, not in Depends"
done
grep -qx /etc/huizhan/huizhan.conf <<<"$(dpkg-deb -I "$deb" conffiles)" || fail "conffiles lacks /etc/huizhan/huizhan.conf"
info=$(dpkg-deb -I "$deb")
for s in postinst prerm postrm; do
  grep -Eq "^ +[0-9]+ bytes, +[0-9]+ lines +\* +$s " <<<"$info" || fail "no executable $s"
done
ok "control: Version $version, Depends ($(echo "$depends" | tr ',' '\n' | wc -l) packages), conffiles, scripts"

# ---- contents: path, mode, owner ----
dpkg-deb -c "$deb" | awk '{ print $1, $2, $6 }' > "$work/contents"
while read -r mode owner path; do
  grep -qxF -- "$mode $owner $path" "$work/contents" || fail "contents lack $mode $owner $path: $(grep -F -- " $path" "$work/contents" || echo absent)"
done <<'LIST'
-rwxr-xr-x root/root ./usr/bin/huizhan
-rw-r----- root/root ./etc/huizhan/huizhan.conf
-rw-r--r-- root/root ./lib/systemd/system/huizhan.service
-rwxr-xr-x root/root ./usr/lib/huizhan/first-start
-rw-r--r-- root/root ./usr/share/man/man1/huizhan.1.gz
-rw-r--r-- root/root ./usr/share/doc/huizhan/operations.md
-rw-r--r-- root/root ./usr/share/doc/huizhan/copyright
LIST
ok "contents"

# ---- the unit: the hardening asked for, and systemd-analyze verify ----
dpkg-deb -x "$deb" "$work/x"
unit="$work/x/lib/systemd/system/huizhan.service"
for line in User=huizhan StateDirectory=huizhan ProtectSystem=strict NoNewPrivileges=true PrivateTmp=true \
  Restart=on-failure EnvironmentFile=/etc/huizhan/huizhan.conf 'ExecStart=/usr/bin/huizhan serve' CapabilityBoundingSet=; do
  grep -qx "$line" "$unit" || fail "huizhan.service lacks $line"
done
# verify checks that the commands exist: point them at the unpacked files.
mkdir "$work/units"
for u in huizhan.service; do
  sed -e "s#/usr/bin/huizhan#$work/x/usr/bin/huizhan#g; s#/usr/lib/huizhan/#$work/x/usr/lib/huizhan/#g" \
    -e "s#/etc/huizhan/#$work/x/etc/huizhan/#g" "$work/x/lib/systemd/system/$u" > "$work/units/$u"
done
if ! out=$(cd "$work/units" && systemd-analyze verify --man=no huizhan.service 2>&1); then
  fail "systemd-analyze verify: $out"
elif [ -n "$out" ]; then
  fail "systemd-analyze verify warns: $out" # an unknown or misspelt key is only a warning
fi
ok "systemd-analyze verify"

# ---- the man page, made from huizhan help ----
man_text=$(MANWIDTH=200 man -l "$work/x/usr/share/man/man1/huizhan.1.gz" 2>/dev/null)
for cmd in "huizhan serve" "huizhan user passwd" "huizhan security-policy" "HUIZHAN_LISTEN" "/etc/huizhan/huizhan.conf"; do
  grep -qF -- "$cmd" <<<"$man_text" || fail "man page lacks $cmd"
done
ok "man page"

# ---- installed into a throw-away root ----
root="$work/root"
admin="$work/admin"
mkdir -p "$root/etc" "$admin/updates" "$admin/info"
touch "$admin/status" "$admin/available"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
printf 'root:*:19000:0:99999:7:::\n' > "$root/etc/shadow"
printf 'root:*::\n' > "$root/etc/gshadow"
cp /etc/login.defs "$root/etc/"
passwd_before=$(md5sum /etc/passwd /etc/group)
dpkg() { command dpkg --root="$root" --admindir="$admin" --force-script-chrootless --force-depends --log=/dev/null "$@"; }
if ! out=$(dpkg -i "$deb" 2>&1); then fail "dpkg -i: $out"; fi
grep -q "huizhan user passwd --db /var/lib/huizhan/huizhan.db --login admin" <<<"$out" || fail "postinst printed no way to set the admin's password: $out"
[ "$(md5sum /etc/passwd /etc/group)" = "$passwd_before" ] || fail "the install changed this system's /etc/passwd or /etc/group"
status=$(command dpkg-query --admindir="$admin" -W -f '${Status} ${Version}' huizhan 2>&1 || true)
[ "$status" = "install ok installed $version" ] || fail "dpkg-query: $status"
for f in usr/bin/huizhan etc/huizhan/huizhan.conf lib/systemd/system/huizhan.service usr/lib/huizhan/first-start \
  usr/share/man/man1/huizhan.1.gz; do
  [ -e "$root/$f" ] || fail "not installed: /$f"
done
# enabled (deb-systemd-helper): the link names the unit's path inside the root
wants="$root/etc/systemd/system/multi-user.target.wants/huizhan.service"
[ "$(readlink "$wants")" = /lib/systemd/system/huizhan.service ] || fail "huizhan.service not enabled: $(ls -l "$wants" 2>&1)"
user=$(grep '^huizhan:' "$root/etc/passwd" || true)
[ -n "$user" ] || fail "postinst made no huizhan user in the root's /etc/passwd"
uid=$(cut -d: -f3 <<<"$user")
[ "$(cut -d: -f7 <<<"$user")" = /usr/sbin/nologin ] || fail "the huizhan user has a login shell: $user"
[ -n "$uid" ] && [ "$uid" -lt 1000 ] && [ "$uid" -gt 0 ] || fail "huizhan is not a system user: $user"
[ "$(stat -c '%u %a' "$root/var/lib/huizhan")" = "$uid 750" ] || fail "/var/lib/huizhan: $(stat -c '%u %a' "$root/var/lib/huizhan")"
cmp -s "$bin" "$root/usr/bin/huizhan" && fail "the installed binary is not stripped"
[ "$("$root/usr/bin/huizhan" version)" = "huizhan $version" ] || fail "the installed binary says $("$root/usr/bin/huizhan" version)"
ok "installed: files, user $uid, /var/lib/huizhan, service enabled"

# ---- the first start, as the unit runs it: settings from the conf file ----
state="$work/state"
mkdir "$state"
sed "s#/usr/bin/huizhan#$root/usr/bin/huizhan#" "$root/usr/lib/huizhan/first-start" > "$work/first-start"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(
  set -a
  . "$root/etc/huizhan/huizhan.conf"
  set +a
  HUIZHAN_DB="$state/huizhan.db" HUIZHAN_LISTEN="127.0.0.1:$port" HUIZHAN_BACKUP_DIR="$state/backups"
  export HUIZHAN_DB HUIZHAN_LISTEN HUIZHAN_BACKUP_DIR
  sh "$work/first-start" > "$work/first.log"
  sh "$work/first-start" >> "$work/first.log" # a second start leaves the database as it is
  exec "$root/usr/bin/huizhan" serve
) > "$work/serve.log" 2>&1 &
pid=$!
health=""
for _ in $(seq 50); do
  health=$(curl -s "http://127.0.0.1:$port/health" || true)
  [ -n "$health" ] && break
  sleep 0.1
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true
grep -q '"status": *"ok"' <<<"$health" || fail "no /health from the configured server: $health $(cat "$work/serve.log")"
[ "$(grep -c 'created the empty database' "$work/first.log")" = 1 ] || fail "first-start: $(cat "$work/first.log")"
grep -q "huizhan user passwd --db $state/huizhan.db --login admin" "$work/first.log" || fail "first-start names no way to set the password"
[ -d "$state/backups" ] || fail "first-start made no backup folder (HUIZHAN_BACKUP_DIR)"
[ "$(sqlite3 "$state/huizhan.db" "SELECT login, must_change_password FROM users")" = "admin|1" ] || fail "the new database's users: $(sqlite3 "$state/huizhan.db" 'SELECT * FROM users')"
ok "first start: empty database, settings from huizhan.conf, /health ok on port $port"

# ---- purge: the files go, the data stays ----
if ! out=$(dpkg --purge huizhan 2>&1); then fail "dpkg --purge: $out"; fi
[ ! -e "$root/usr/bin/huizhan" ] && [ ! -e "$root/etc/huizhan/huizhan.conf" ] || fail "purge left the program or its conffile"
[ -d "$root/var/lib/huizhan" ] || fail "purge removed /var/lib/huizhan"
ok "purged"

[ "$fails" = 0 ] || { echo "$fails check(s) failed" >&2; exit 1; }
echo "deb: all checks passed"
