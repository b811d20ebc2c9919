#!/usr/bin/env bash
# Wrap the PyInstaller one-folder bundle (dist/quay) into a .deb and a tarball.
#   packaging/linux/build-deb.sh VERSION
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VERSION="${1:?version}"
ARCH="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
DIST="$ROOT/dist"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT

mkdir -p "$STAGE/opt/quay" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/metainfo" "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/DEBIAN"
cp -a "$DIST/quay/." "$STAGE/opt/quay/"
ln -s /opt/quay/quay "$STAGE/usr/bin/quay"
cp "$ROOT/resources/io.github.quay.Quay.desktop" "$STAGE/usr/share/applications/"
cp "$ROOT/resources/io.github.quay.Quay.metainfo.xml" "$STAGE/usr/share/metainfo/"
cp "$ROOT/resources/quay.svg" "$STAGE/usr/share/icons/hicolor/scalable/apps/io.github.quay.Quay.svg"
cat >"$STAGE/DEBIAN/control" <<CONTROL
Package: quay
Version: $VERSION
Section: net
Priority: optional
Architecture: $ARCH
Maintainer: The Quay developers <dev@quay.invalid>
Depends: libegl1, libxkbcommon0, libfontconfig1, libdbus-1-3
Recommends: gnome-keyring | kwalletmanager
Description: fast, safe mail and file-transfer client
 Quay reads mail over IMAP and POP3, sends over SMTP and transfers files
 over FTP, FTPS, SFTP and TFTP.
CONTROL
dpkg-deb --root-owner-group --build "$STAGE" "$DIST/quay_${VERSION}_${ARCH}.deb"
tar -C "$DIST" -czf "$DIST/quay-${VERSION}-linux-$(uname -m).tar.gz" quay
echo "built $DIST/quay_${VERSION}_${ARCH}.deb and the tarball"
