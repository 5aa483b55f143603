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

# ---- huizhan.conf: listen address, database, proxy, TLS, backups; each one huizhan reads ----
for v in HUIZHAN_LISTEN HUIZHAN_DB HUIZHAN_TRUST_PROXY HUIZHAN_TLS_CERT HUIZHAN_TLS_KEY HUIZHAN_BACKUP_DIR HUIZHAN_BACKUP_KEEP; do
  grep -q "^$v=" "$work/x/etc/huizhan/huizhan.conf" || fail "huizhan.conf does not set $v"
  grep -qF -- "$v" <<<"$man_text" || fail "the man page (huizhan help) does not name $v, which huizhan.conf sets"
done
ok "huizhan.conf"

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

# ---- the service started as systemd starts it (no systemd as PID 1 here) ----
# From the installed unit: its EnvironmentFile (the installed huizhan.conf, read here as
# systemd reads it, as root), then ExecStartPre and ExecStart run as its User and Group
# (numeric ids from the root's /etc/passwd), with no new privileges, its UMask, in its
# WorkingDirectory, with systemd's clean environment, against its StateDirectory (the one
# postinst made, owned by the user, 0750, as systemd makes it). The unit's absolute paths
# are the throw-away root's; only the listen port is the test's. Their output is what the
# journal would show.
iunit="$root/lib/systemd/system/huizhan.service"
unit_value() { sed -n "s/^$1=//p" "$iunit"; }
for key in User Group UMask WorkingDirectory StateDirectory EnvironmentFile ExecStartPre ExecStart; do
  [ "$(unit_value "$key" | wc -l)" = 1 ] || fail "huizhan.service: not one $key= line"
done
svc_user=$(unit_value User)
svc_group=$(unit_value Group)
svc_state=/var/lib/$(unit_value StateDirectory)
svc_pre=$(unit_value ExecStartPre)
svc_start=$(unit_value ExecStart)
[ "$(unit_value WorkingDirectory)" = "$svc_state" ] || fail "WorkingDirectory $(unit_value WorkingDirectory) is not the StateDirectory $svc_state"
for cmd in "$svc_pre" "$svc_start"; do
  case "$cmd" in /*) ;; *) fail "an Exec line with a prefix or no absolute path (the test runs it as the user): $cmd" ;; esac
done
svc_uid=$(awk -F: -v u="$svc_user" '$1 == u { print $3 }' "$root/etc/passwd")
svc_gid=$(awk -F: -v g="$svc_group" '$1 == g { print $3 }' "$root/etc/group")
[ -n "$svc_uid" ] && [ -n "$svc_gid" ] || fail "User=$svc_user Group=$svc_group are not in the root's passwd/group"
chmod 755 "$work" "$root" # the user passes through the test's folders to the root's files
svc_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# systemd's environment for the service, then the EnvironmentFile's VAR=value lines (no
# quoting in ours; comments and blank lines skipped); a path in the state folder is the root's.
svc_env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "USER=$svc_user"
  "LOGNAME=$svc_user" HOME=/ SHELL=/usr/sbin/nologin "STATE_DIRECTORY=$root$svc_state")
while IFS= read -r line; do
  case "$line" in '' | '#'* | ';'*) continue ;; esac
  name=${line%%=*} value=${line#*=}
  case "$value" in "$svc_state"*) value=$root$value ;; esac
  [ "$name" = HUIZHAN_LISTEN ] && value=127.0.0.1:$svc_port
  svc_env+=("$name=$value")
done < "$root$(unit_value EnvironmentFile | sed 's/^-//')"
grep -qx "HUIZHAN_DB=$root$svc_state/huizhan.db" <(printf '%s\n' "${svc_env[@]}") || fail "huizhan.conf's HUIZHAN_DB is not in the state folder: ${svc_env[*]}"
# An Exec line as the service, into svc_cmd: its program from the root (a script of ours
# calls the root's huizhan), its words as they are, as the user; svc_run runs it there.
svc_prepare() {
  local words prog
  read -r -a words <<<"$1"
  prog=$root${words[0]}
  if [ "$(head -c2 "$prog")" = '#!' ]; then
    sed "s#/usr/bin/huizhan#$root/usr/bin/huizhan#g" "$prog" > "$work/svc-$(basename "$prog")"
    chmod 755 "$work/svc-$(basename "$prog")"
    prog=$work/svc-$(basename "$prog")
  fi
  svc_cmd=(setpriv --reuid="$svc_uid" --regid="$svc_gid" --clear-groups --no-new-privs env -i "${svc_env[@]}" "$prog" "${words[@]:1}")
}
svc_run() {
  svc_prepare "$1"
  (cd "$root$svc_state" && umask "$(unit_value UMask)" && exec "${svc_cmd[@]}")
}
journal="$work/journal.log"
svc_run "$svc_pre" >> "$journal" 2>&1 || fail "ExecStartPre $svc_pre failed: $(cat "$journal")"
svc_prepare "$svc_start"
(cd "$root$svc_state" && umask "$(unit_value UMask)" && exec "${svc_cmd[@]}") >> "$journal" 2>&1 &
pid=$!
health=""
for _ in $(seq 100); do
  health=$(curl -s "http://127.0.0.1:$svc_port/health" || true)
  [ -n "$health" ] && break
  sleep 0.05
done
grep -q '"status": *"ok"' <<<"$health" || fail "no /health from the service: $health $(cat "$journal")"
db=$root$svc_state/huizhan.db
# The database is new and empty: the schema, one admin who has no password anyone knows
# (it must be set, then changed at the first login), and no data.
[ "$(sqlite3 "$db" "SELECT login, role, must_change_password FROM users")" = "admin|admin|1" ] || fail "the new database's users: $(sqlite3 "$db" 'SELECT * FROM users')"
rows=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM campaigns) + (SELECT count(*) FROM units) + (SELECT count(*) FROM projects) + (SELECT count(*) FROM sessions)")
[ "$rows" = 0 ] || fail "the new database holds data: $rows rows of campaigns, units, projects, sessions"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check of the new database"
# Made by the service's user, with the unit's UMask (0027), the audit key readable by it alone.
[ "$(stat -c '%u %a' "$db")" = "$svc_uid 640" ] || fail "huizhan.db: $(stat -c '%u %a' "$db")"
[ "$(stat -c '%u %a' "$db.audit-key")" = "$svc_uid 600" ] || fail "the audit key: $(stat -c '%u %a' "$db.audit-key" 2>&1)"
[ "$(stat -c '%u' "$root$svc_state/backups")" = "$svc_uid" ] || fail "no backup folder of the service's user (HUIZHAN_BACKUP_DIR)"
# The journal says how to make the admin usable: that very command, run as the service's user
# (sudo -u huizhan …), sets a password that then logs in, to be changed at once.
[ "$(grep -c 'created the empty database' "$journal")" = 1 ] || fail "the journal: $(cat "$journal")"
howto=$(sed -n "s#^huizhan: *sudo -u $svc_user huizhan ##p" "$journal")
[ "$howto" = "user passwd --db $db --login admin" ] || fail "the journal names no way to set the admin's password: $(cat "$journal")"
read -r -a howto_words <<<"$howto"
svc_run "/usr/bin/huizhan ${howto_words[*]}" <<<'Service-Start-2026!' >> "$work/passwd.log" 2>&1 || fail "the printed command failed: $(cat "$work/passwd.log")"
login=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"login":"admin","password":"Service-Start-2026!"}' "http://127.0.0.1:$svc_port/api/v1/session")
grep -q '"must_change_password": *"first_login"' <<<"$login" || fail "the admin cannot log in with the password just set: $login"
# A restart (ExecStartPre again) leaves the database as it is.
hash=$(sqlite3 "$db" "SELECT password_hash FROM users")
kill -TERM "$pid"
wait "$pid" && code=0 || code=$?
[ "$code" = 0 ] || fail "SIGTERM (the unit's KillSignal): the service exited $code: $(cat "$journal")"
svc_run "$svc_pre" >> "$journal" 2>&1 || fail "ExecStartPre at a restart: $(cat "$journal")"
[ "$(grep -c 'created the empty database' "$journal")" = 1 ] || fail "a restart made the database again: $(cat "$journal")"
[ "$(sqlite3 "$db" "SELECT password_hash FROM users")" = "$hash" ] || fail "a restart changed the admin's password"
ok "service started as its unit says (user $svc_uid, $svc_state): /health, an empty database, the journal's command makes the admin"

# ---- purge: the files go, the data stays ----
if ! out=$(dpkg --purge huizhan 2>&1); then fail "dpkg --purge: $out"; fi
[ ! -e "$root/usr/bin/huizhan" ] && [ ! -e "$root/etc/huizhan/huizhan.conf" ] || fail "purge left the program or its conffile"
[ -d "$root/var/lib/huizhan" ] || fail "purge removed /var/lib/huizhan"
ok "purged"

[ "$fails" = 0 ] || { echo "$fails check(s) failed" >&2; exit 1; }
echo "deb: all checks passed"
