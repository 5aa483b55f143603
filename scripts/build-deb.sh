#!/usr/bin/env bash
# Builds huizhan_VERSION_amd64.deb with dpkg-deb (make deb; docs/operations.md).
# Usage: scripts/build-deb.sh BIN OUTDIR   (BIN: the built huizhan; VERSION: CMake's project version)
# The Depends line is computed by dpkg-shlibdeps from the binary's libraries.
set -euo pipefail
bin=$(realpath "$1")
out=$(realpath "$2")
src=$(cd "$(dirname "$0")/.." && pwd)
pkg="$src/packaging/deb"
version=$(sed -n 's/^project(huizhan VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ -n "$version" ] || { echo "build-deb: no version in CMakeLists.txt" >&2; exit 1; }
[ "$("$bin" version)" = "huizhan $version" ] || { echo "build-deb: $bin is not version $version (rebuild)" >&2; exit 1; }
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/root"

install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/lib/huizhan" "$root/lib/systemd/system" "$root/etc/huizhan" \
  "$root/usr/share/man/man1" "$root/usr/share/doc/huizhan"
install -m 0755 "$bin" "$root/usr/bin/huizhan"
strip --strip-unneeded "$root/usr/bin/huizhan"
install -m 0755 "$pkg/first-start" "$root/usr/lib/huizhan/"
install -m 0644 "$pkg/huizhan.service" "$root/lib/systemd/system/"
install -m 0640 "$pkg/huizhan.conf" "$root/etc/huizhan/huizhan.conf"
python3 "$src/scripts/manpage.py" "$bin" | gzip -9n > "$root/usr/share/man/man1/huizhan.1.gz"
install -m 0644 "$src/docs/operations.md" "$src/docs/security.md" "$src/docs/scaling.md" "$root/usr/share/doc/huizhan/"
cat > "$root/usr/share/doc/huizhan/copyright" <<'COPY'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: huizhan
Files: *
Copyright: the huizhan authors
License: proprietary
 Built for the city's investment-attraction campaign; see the project's repository.
COPY
install -m 0755 "$pkg/postinst" "$pkg/prerm" "$pkg/postrm" "$root/DEBIAN/"
echo /etc/huizhan/huizhan.conf > "$root/DEBIAN/conffiles"

# Depends: the packages of the libraries the binary links (dpkg-shlibdeps wants a
# debian/control beside it), plus what the maintainer scripts and the PDFs use.
mkdir -p "$stage/src/debian"
printf 'Source: huizhan\n\nPackage: huizhan\nArchitecture: any\n' > "$stage/src/debian/control"
shlibs=$(cd "$stage/src" && dpkg-shlibdeps -O -e"$root/usr/bin/huizhan" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CTRL
Package: huizhan
Version: $version
Architecture: $arch
Maintainer: huizhan maintainers <huizhan@localhost>
Installed-Size: $size
Depends: $shlibs, fonts-noto-cjk, passwd
Recommends: sqlite3
Suggests: nginx, postgresql-client
Section: web
Priority: optional
Homepage: https://localhost/huizhan
Description: investment-attraction campaign command platform (招商引资百日会战)
 huizhan runs a city's hundred-day investment-attraction campaign: units, projects and
 their stages, follow-ups, funds, targets, rankings, bulletins and the audit log, in one
 program serving a JSON API and a web UI, with an embedded SQLite database (or
 PostgreSQL). This package installs it as a hardened systemd service.
CTRL
deb="$out/huizhan_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "$deb"
