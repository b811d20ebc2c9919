"""What the PyInstaller bundle keeps: the rules packaging/quay.spec applies, here so tests can check them.

Kept from Qt: Core, Gui, Widgets, Network, Svg, PrintSupport, DBus, WebEngineCore/Widgets and what
libQt6WebEngineCore links (Quick, Qml, QuickWidgets, WebChannel, Positioning, OpenGL). Dropped: Qt's
translations except Vietnamese (English is the source language), QtWebEngine's locales except
en-US and vi, its devtools resources, and the plugins the app never loads (Wayland, EGLFS, linuxfb,
VNC, the GTK theme, SQL drivers, sensors, geolocation, multimedia, the virtual keyboard...): on
Wayland desktops Qt runs through XWayland. Then, on Linux, :func:`needed_closure` drops the system
libraries only the dropped plugins linked (GTK, Cairo...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

#: Per plugin folder, the plugins kept (None: all of them). Folders not listed are dropped whole.
KEEP_PLUGINS: dict[str, set[str] | None] = {
    "platforms": {"qxcb", "qoffscreen", "qminimal", "qwindows", "qcocoa"},
    "platformthemes": {"qxdgdesktopportal"},  # the portal: native file dialogs and colour scheme
    # Compose and IBus: how people type Vietnamese on Linux.
    "platforminputcontexts": {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"},
    "xcbglintegrations": None,
    "imageformats": {"qsvg", "qico", "qjpeg", "qgif", "qwebp", "qicns"},
    "iconengines": {"qsvgicon"},
    "printsupport": None,
    "styles": None,  # the native Windows and macOS styles
    "tls": None,
}
KEEP_LOCALES = ("en-US.pak", "vi.pak")

#: Qt libraries nothing kept links (matched on any path part: libQt6Pdf.so.6, Qt6Pdf.dll, QtPdf.framework).
DROP_LIBS = re.compile(
    r"^(?:lib)?Qt6?(?:Wayland|WlShell|EglFS|EglFs|VirtualKeyboard|Quick3D|QuickControls2|QuickTemplates2|QuickDialogs2"
    r"|QuickLayouts|QuickShapes|QuickParticles|QuickEffects|QuickTimeline|QuickTest|QuickVectorImage|Pdf"
    r"|Multimedia|Sql|Sensors|Location|Charts|Graphs|DataVisualization|3D|Designer|Help|UiTools|Test|Bluetooth|Nfc"
    r"|SerialPort|SerialBus|SpatialAudio|TextToSpeech|RemoteObjects|Scxml|StateMachine|WebSockets|WebView|HttpServer"
    r"|NetworkAuth|Concurrent|Xml|ShaderTools|LabsPlatform|CanvasPainter)"
)
_PLUGIN = re.compile(r"(?:^|/)(?:plugins|PlugIns)/([^/]+)/(?:lib)?([^/.]+)")


def keep(dest: str) -> bool:
    """Whether the file that would land at ``dest`` (a path inside the bundle) stays."""
    d = dest.replace("\\", "/")
    name = d.rsplit("/", 1)[-1]
    if "qtwebengine_locales/" in d or ("/locales/" in d and name.endswith(".pak")):
        return name in KEEP_LOCALES
    if "/translations/" in d and name.endswith(".qm"):
        return name.endswith("_vi.qm")
    if name == "qtwebengine_devtools_resources.pak":
        return False
    m = _PLUGIN.search(d)
    if m:
        wanted = KEEP_PLUGINS.get(m.group(1), set())
        return wanted is None or m.group(2) in wanted
    return not any(DROP_LIBS.match(part) for part in d.split("/"))


def trim(toc: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The (dest, source, typecode) entries :func:`keep` keeps."""
    return [entry for entry in toc if keep(entry[0])]


def _is_library(dest: str, typecode: str) -> bool:
    d = dest.replace("\\", "/")
    name = d.rsplit("/", 1)[-1]
    if typecode == "EXTENSION" or ".cpython-" in name or ".abi3." in name or name.startswith("libpython"):
        return False
    return ("/" not in d or "/Qt/lib/" in d) and (".so" in name or name.endswith(".dylib"))


def needed_closure(
    binaries: list[tuple[str, str, str]], imports: Callable[[str], Iterable[tuple[str, str]]]
) -> list[tuple[str, str, str]]:
    """Drop the shared libraries nothing kept needs any more.

    Roots are the executables, Python extension modules and plugins; a library stays if a root (or
    a library that stays) names it in its dynamic section (``imports(path)`` -> (name, path) pairs:
    PyInstaller's ``bindepend.get_imports``). Libraries loaded with dlopen by a library are not
    seen: the build's ``ldd`` check and the frozen self-test catch what this would break.
    """
    by_name: dict[str, list[tuple[str, str, str]]] = {}
    for entry in binaries:
        by_name.setdefault(entry[0].replace("\\", "/").rsplit("/", 1)[-1], []).append(entry)
    kept = {e[0] for e in binaries if not _is_library(e[0], e[2])}
    todo = [e for e in binaries if e[0] in kept]
    while todo:
        entry = todo.pop()
        try:
            needed = list(imports(entry[1]))
        except Exception:  # not an object file PyInstaller can read: keeps nothing more
            continue
        for name, _path in needed:
            for dep in by_name.get(name.replace("\\", "/").rsplit("/", 1)[-1], []):
                if dep[0] not in kept:
                    kept.add(dep[0])
                    todo.append(dep)
    return [e for e in binaries if e[0] in kept]
