#!/usr/bin/env bash
# Wrap dist/Quay.app (PyInstaller BUNDLE) into dist/Quay-VERSION.dmg. Run on macOS.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VERSION="${1:?version}"
hdiutil create -volname Quay -srcfolder "$ROOT/dist/Quay.app" -ov -format UDZO "$ROOT/dist/Quay-$VERSION.dmg"
