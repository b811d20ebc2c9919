#!/usr/bin/env bash
# Wrap the PyInstaller one-folder bundle (dist/quay) into a .deb and a .tar.gz.
#   packaging/linux/build-deb.sh VERSION ICONS_DIR DEPENDS
# The .deb: the bundle under /opt/quay, /usr/bin/quay -> /opt/quay/quay, the desktop file (mailto:,
# sftp:, ftp:, ftps: handler), hicolor icons 16-512 px and scalable, AppStream metainfo. No maintainer
# scripts: dpkg's triggers refresh the desktop database and the icon cache.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VERSION="${1:?version}"
ICONS="${2:?icons dir (packaging/make_icons.py output)}"
DEPENDS="${3:?Depends line (packaging/linux/deb_depends.py output)}"
ARCH="$(dpkg --print-architecture)"
DIST="$ROOT/dist"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT

install -d "$STAGE/opt/quay" "$STAGE/usr/bin" "$STAGE/usr/share/applications" "$STAGE/usr/share/metainfo" \
  "$STAGE/usr/share/icons" "$STAGE/usr/share/doc/quay" "$STAGE/DEBIAN"
cp -a "$DIST/quay/." "$STAGE/opt/quay/"
ln -s /opt/quay/quay "$STAGE/usr/bin/quay"
install -m 0644 "$ROOT/resources/io.github.quay.Quay.desktop" "$STAGE/usr/share/applications/"
install -m 0644 "$ROOT/resources/io.github.quay.Quay.metainfo.xml" "$STAGE/usr/share/metainfo/"
cp -r "$ICONS/hicolor" "$STAGE/usr/share/icons/"
cat >"$STAGE/usr/share/doc/quay/copyright" <<'COPYRIGHT'
Quay: a desktop mail and file-transfer client.
License: GPL-3.0-or-later (see /usr/share/common-licenses/GPL-3).
The bundle under /opt/quay includes Python, Qt (LGPL-3.0) and QtWebEngine (LGPL-3.0, with Chromium's
licences) and the Python packages listed in its dist-info folders, each under its own licence.
COPYRIGHT
find "$STAGE" -type d -exec chmod 0755 {} +
INSTALLED_SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat >"$STAGE/DEBIAN/control" <<CONTROL
Package: quay
Version: $VERSION
Section: net
Priority: optional
Architecture: $ARCH
Installed-Size: $INSTALLED_SIZE
Maintainer: The Quay developers <dev@quay.invalid>
Depends: $DEPENDS
Recommends: gnome-keyring | kwalletmanager | keepassxc
Homepage: https://quay.invalid/
Description: fast, safe mail and file-transfer client
 Quay reads mail over IMAP and POP3, sends over SMTP and transfers files
 over FTP, FTPS, SFTP and TFTP, in one window with a Mail tab and a Files
 tab. It opens mailto:, sftp:, ftp: and ftps: links.
CONTROL
DEB="$DIST/quay_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
TARBALL="$DIST/quay-${VERSION}-linux-$(uname -m).tar.gz"
tar -C "$DIST" --owner=0 --group=0 -czf "$TARBALL" quay
echo "built $DEB"
echo "built $TARBALL"
