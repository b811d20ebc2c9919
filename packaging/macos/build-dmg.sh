#!/usr/bin/env bash
# Wrap dist/Quay.app (PyInstaller BUNDLE: Info.plist with the bundle id, mailto:/sftp:/ftp:/ftps: URL
# schemes, high-DPI, the .icns from packaging/make_icons.py) into dist/Quay-VERSION.dmg with an
# Applications link to drag it onto. Run on macOS (scripts/build-installer does).
# Not signed or notarized: Gatekeeper asks the user to confirm the first start (right-click > Open).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VERSION="${1:?version}"
APP="$ROOT/dist/Quay.app"
/usr/libexec/PlistBuddy -c "Print :CFBundleIdentifier" "$APP/Contents/Info.plist"
/usr/libexec/PlistBuddy -c "Print :CFBundleURLTypes" "$APP/Contents/Info.plist"
# PyInstaller signs ad hoc on Apple silicon; check the signature holds after the build.
codesign --verify --deep --strict "$APP" || codesign --force --deep --sign - "$APP"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "Quay $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$ROOT/dist/Quay-$VERSION.dmg"
# The image mounts and holds a runnable app.
MNT="$(mktemp -d)"
hdiutil attach -nobrowse -readonly -mountpoint "$MNT" "$ROOT/dist/Quay-$VERSION.dmg" >/dev/null
QT_QPA_PLATFORM=offscreen "$MNT/Quay.app/Contents/MacOS/quay" --version
hdiutil detach "$MNT" >/dev/null
echo "built $ROOT/dist/Quay-$VERSION.dmg"
