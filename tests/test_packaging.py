"""The fast parts of packaging (the slow build is scripts/build-installer, never run by the suite):
desktop file and AppStream metadata validate, the trim rules keep what the app loads, the icons are
well-formed, the .deb dependency scan finds what is missing, the release workflow's steps are scripts."""

from __future__ import annotations

import importlib.util
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = ROOT / "resources" / "io.github.quay.Quay.desktop"
METAINFO = ROOT / "resources" / "io.github.quay.Quay.metainfo.xml"


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_file_validates_and_handles_the_links() -> None:
    r = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == "", r.stdout + r.stderr
    entry = dict(
        line.split("=", 1) for line in DESKTOP.read_text().split("\n[Desktop Action")[0].splitlines() if "=" in line
    )
    assert entry["Exec"] == "quay %U"
    handlers = set(filter(None, entry["MimeType"].split(";")))
    assert {f"x-scheme-handler/{s}" for s in ("mailto", "sftp", "ftp", "ftps")} <= handlers
    assert entry["Icon"] == "io.github.quay.Quay"


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_validates_and_its_screenshots_are_committed() -> None:
    r = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    import xml.etree.ElementTree as ET

    images = [i.text or "" for i in ET.parse(METAINFO).getroot().iter("image")]
    assert images
    for url in images:
        assert url.startswith("https://")
        committed = ROOT / "docs" / "screenshots" / url.rsplit("/", 1)[-1]
        assert committed.is_file(), f"{url} names no file in docs/screenshots"


def test_trim_rules_keep_what_the_app_loads() -> None:
    trim = _module(ROOT / "packaging" / "bundle_trim.py")
    keep = trim.keep
    kept = [
        "PySide6/Qt/lib/libQt6WebEngineCore.so.6",
        "PySide6/Qt/lib/libQt6Quick.so.6",  # linked by QtWebEngineCore
        "PySide6/Qt/lib/libQt6QuickWidgets.so.6",  # linked by QtWebEngineWidgets
        "PySide6/Qt/lib/libQt6WebChannel.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "PySide6/Qt/translations/qtwebengine_locales/en-US.pak",
        "PySide6/Qt/translations/qtwebengine_locales/vi.pak",
        "PySide6/Qt/translations/qtbase_vi.qm",
        "PySide6/Qt/resources/qtwebengine_resources.pak",
        "PySide6/Qt/resources/icudtl.dat",
        "PySide6/Qt/libexec/QtWebEngineProcess",
        "i18n/quay_vi.qm",
        "resources/quay.svg",
    ]
    dropped = [
        "PySide6/Qt/translations/qtwebengine_locales/de.pak",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/translations/qtbase_en.qm",
        "PySide6/Qt/resources/qtwebengine_devtools_resources.pak",
        "PySide6/Qt/plugins/platforms/libqwayland-egl.so",
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
        "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/Qt/lib/libQt6WaylandClient.so.6",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt6Pdf.dll",
        "PySide6/Qt/lib/QtQuick3D.framework/Versions/A/QtQuick3D",
    ]
    assert [d for d in kept if not keep(d)] == []
    assert [d for d in dropped if keep(d)] == []


def test_closure_drops_what_only_dropped_plugins_needed() -> None:
    trim = _module(ROOT / "packaging" / "bundle_trim.py")
    binaries = [
        ("PySide6/QtWidgets.abi3.so", "/b/QtWidgets.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/b/libQt6Widgets.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/b/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/b/libqxcb.so", "BINARY"),
        ("libxcb-cursor.so.0", "/b/libxcb-cursor.so.0", "BINARY"),
        ("libgtk-3.so.0", "/b/libgtk-3.so.0", "BINARY"),  # only the dropped GTK theme linked it
        ("libcairo.so.2", "/b/libcairo.so.2", "BINARY"),
        ("_cffi_backend.cpython-311-x86_64-linux-gnu.so", "/b/_cffi.so", "EXTENSION"),
    ]
    needs = {
        "/b/QtWidgets.abi3.so": [("libQt6Widgets.so.6", "")],
        "/b/libQt6Widgets.so.6": [("libQt6Gui.so.6", "")],
        "/b/libqxcb.so": [("libxcb-cursor.so.0", ""), ("libQt6Gui.so.6", "")],
        "/b/libgtk-3.so.0": [("libcairo.so.2", "")],
    }
    kept = {e[0] for e in trim.needed_closure(binaries, lambda path: needs.get(path, []))}
    assert kept == {e[0] for e in binaries} - {"libgtk-3.so.0", "libcairo.so.2"}


def test_spec_bundles_every_app_module_and_the_entry_supports_freezing() -> None:
    spec = (ROOT / "packaging" / "quay.spec").read_text()
    assert 'collect_submodules("app")' in spec
    assert "bundle_trim.trim(a.binaries)" in spec and "bundle_trim.trim(a.datas)" in spec
    assert "console=False" in spec  # windowed
    for scheme in ("mailto", "sftp", "ftp", "ftps"):
        assert f'"{scheme}"' in spec  # macOS URL schemes in Info.plist
    assert '"NSHighResolutionCapable": True' in spec
    entry = (ROOT / "packaging" / "quay_entry.py").read_text()
    assert entry.index("multiprocessing.freeze_support()") < entry.index("from app.__main__ import main")


def test_icons_are_well_formed_ico_and_icns() -> None:
    icons = _module(ROOT / "packaging" / "make_icons.py")
    png = {s: b"\x89PNG\r\n\x1a\n" + bytes([s % 256]) * s for s in (16, 32, 256)}
    ico = icons.ico(png)
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, 3)
    for i, size in enumerate(sorted(png)):
        w, h, _c, _r, _planes, _bpp, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * i : 22 + 16 * i])
        assert (w, h) == ((size, size) if size < 256 else (0, 0))
        assert ico[offset : offset + length] == png[size]
    all_sizes = {s: b"\x89PNG" + bytes([s % 251]) * 3 for _k, s in icons.ICNS_TYPES}
    icns = icons.icns(all_sizes)
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    pos, kinds = 8, []
    while pos < len(icns):
        kind, length = icns[pos : pos + 4], struct.unpack(">I", icns[pos + 4 : pos + 8])[0]
        kinds.append(kind)
        pos += length
    assert pos == len(icns) and kinds == [k for k, _s in icons.ICNS_TYPES]


def test_icons_render_from_the_svg(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "make_icons.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    from PySide6.QtGui import QImage

    for size in (16, 48, 512):
        img = QImage(str(tmp_path / "hicolor" / f"{size}x{size}" / "apps" / "io.github.quay.Quay.png"))
        assert (img.width(), img.height()) == (size, size)
        assert img.pixelColor(size // 2, size // 2).alpha() == 255  # drawn, not blank
    assert (tmp_path / "hicolor" / "scalable" / "apps" / "io.github.quay.Quay.svg").is_file()
    assert (tmp_path / "quay.ico").stat().st_size > 1000 and (tmp_path / "quay.icns").stat().st_size > 1000


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("ldd") is None, reason="ldd (Linux)")
def test_deb_dependency_scan_names_system_packages_and_missing_libraries(tmp_path: Path) -> None:
    scan = ROOT / "packaging" / "linux" / "deb_depends.py"
    ok = tmp_path / "ok"
    ok.mkdir()
    shutil.copy("/bin/true", ok / "quay")
    r = subprocess.run([sys.executable, str(scan), str(ok)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "libc6" in r.stdout.strip().split(", ")
    import PySide6

    broken = tmp_path / "broken"
    broken.mkdir()
    lib = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libQt6Svg.so.6*"))
    shutil.copy(lib, broken / "libQt6Svg.so.6")  # without the Qt libraries it links
    r = subprocess.run([sys.executable, str(scan), str(broken)], capture_output=True, text=True)
    assert r.returncode == 1
    assert "missing library libQt6Gui.so.6" in r.stderr


def test_release_workflow_builds_three_systems_through_scripts() -> None:
    import re

    flow = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    systems = re.findall(r"os: (ubuntu|windows|macos)-", flow)
    assert sorted(systems) == ["macos", "ubuntu", "windows"]
    build = flow[flow.index("  build:") : flow.index("  publish:")]
    runs = re.findall(r"^ {8}run: (.+)$", build, re.MULTILINE)
    assert runs == ["scripts/release-prepare", "python scripts/release-tests", "python scripts/build-installer"]
    for script in ("release-prepare", "release-tests", "build-installer"):
        assert (ROOT / "scripts" / script).is_file()
    for artefact in ("dist/*.deb", "dist/*.tar.gz", "dist/*.dmg", "dist/QuaySetup-*.exe"):
        assert artefact in flow


def test_inno_setup_script_covers_the_options() -> None:
    iss = (ROOT / "packaging" / "windows" / "quay.iss").read_text()
    assert "PrivilegesRequiredOverridesAllowed=dialog" in iss and "PrivilegesRequired=lowest" in iss
    assert 'Name: "desktopicon"' in iss and "Flags: unchecked" in iss
    for scheme in ("mailto", "sftp", "ftp", "ftps"):
        assert f'ValueName: "{scheme}"' in iss
    assert "DelTree(DataDir" in iss and "MB_DEFBUTTON2" in iss  # data kept unless the user says so


def test_portable_test_selection_leaves_out_linux_only_servers() -> None:
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "scripts.ci_portable_tests",
            "tests/servers",
            "tests/test_translations.py",
            "tests/ui/test_settings.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    ids = [line for line in r.stdout.splitlines() if "::" in line]
    assert ids and not any(i.startswith("tests/servers/") for i in ids)
    assert any(i.startswith("tests/test_translations.py") for i in ids)
    assert "deselected" in r.stdout
