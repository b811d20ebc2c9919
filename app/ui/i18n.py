"""Translations: Quay's own ``i18n/quay_<lang>.qm`` plus Qt's ``qtbase_<lang>.qm`` when Qt ships one.

The .qm files are built from the committed .ts files (``scripts/update-translations``
or the installer build). When a .qm is missing or older than its .ts (a fresh
checkout), it is compiled into the cache folder with ``pyside6-lrelease``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

SUPPORTED = {"en": "English", "vi": "Tiếng Việt"}
SOURCE_LANGUAGE = "en"


def source_i18n_dir() -> Path:
    """Where the .ts files live: beside the frozen app, or at the top of the source tree."""
    env = os.environ.get("QUAY_I18N_DIR")
    if env:
        return Path(env)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "i18n"
    return Path(__file__).resolve().parents[2] / "i18n"


def _lrelease() -> str | None:
    exe = Path(sys.executable).with_name("pyside6-lrelease")
    if exe.exists():
        return str(exe)
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if found:
        return found
    try:
        import PySide6

        cand = Path(PySide6.__file__).parent / "lrelease"
        return str(cand) if cand.exists() else None
    except ImportError:
        return None


def qm_path(lang: str, cache_dir: Path | None = None) -> Path | None:
    """The compiled catalogue for ``lang``, building it from the .ts when needed."""
    src = source_i18n_dir()
    qm = src / f"quay_{lang}.qm"
    ts = src / f"quay_{lang}.ts"
    if qm.exists() and (not ts.exists() or qm.stat().st_mtime >= ts.stat().st_mtime):
        return qm
    if not ts.exists():
        return qm if qm.exists() else None
    out_dir = cache_dir or src
    out = out_dir / f"quay_{lang}.qm"
    if out.exists() and out.stat().st_mtime >= ts.stat().st_mtime:
        return out
    tool = _lrelease()
    if tool is None:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([tool, "-silent", str(ts), "-qm", str(out)], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return out if out.exists() else None


def system_language() -> str:
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in SUPPORTED:
            return code
    return SOURCE_LANGUAGE


def resolve_language(setting: str | None) -> str:
    """``setting`` is "system" / "" / None (follow the OS) or a supported code."""
    if setting and setting in SUPPORTED:
        return setting
    return system_language()


class Translations:
    """Installs and swaps the translators of one application."""

    def __init__(self, app: QCoreApplication, cache_dir: Path | None = None) -> None:
        self._app = app
        self._cache = cache_dir
        self._installed: list[QTranslator] = []
        self.language = SOURCE_LANGUAGE

    def apply(self, lang: str) -> bool:
        """Switch the UI to ``lang``; widgets retranslate on the LanguageChange event. True if loaded."""
        for tr in self._installed:
            self._app.removeTranslator(tr)
        self._installed.clear()
        self.language = lang
        if lang == SOURCE_LANGUAGE:
            QCoreApplication.sendEvent(self._app, _language_change_event())
            return True
        ok = False
        path = qm_path(lang, self._cache)
        if path is not None:
            tr = QTranslator(self._app)
            if tr.load(str(path)):
                self._app.installTranslator(tr)
                self._installed.append(tr)
                ok = True
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_tr = QTranslator(self._app)
        if qt_tr.load(f"qtbase_{lang}", qt_dir):
            self._app.installTranslator(qt_tr)
            self._installed.append(qt_tr)
        return ok


def _language_change_event():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent

    return QEvent(QEvent.Type.LanguageChange)
