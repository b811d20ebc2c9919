"""Translations: Quay's own ``i18n/quay_<lang>.qm`` plus Qt's ``qtbase_<lang>.qm`` when Qt ships one.

Qt ships no ``qtbase_vi.qm``, so the strings Qt's own widgets show most (the standard dialog
buttons, the text fields' context menu, a message box's details button) are listed in
:data:`QT_STRINGS` under Qt's own contexts and translated in our catalogue: the translator
finds them by (context, source) whichever catalogue they are in. Where a ``qtbase`` catalogue
exists it is installed last and so wins.

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

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

SUPPORTED = {"en": "English", "vi": "Tiếng Việt"}
SOURCE_LANGUAGE = "en"
_LOCALES = {"en": QLocale.Language.English, "vi": QLocale.Language.Vietnamese}

#: Qt's own strings that Qt has no Vietnamese for, translated in quay_vi.ts (see the module docstring).
QT_STRINGS = (
    # QPlatformTheme::defaultStandardButtonText: QDialogButtonBox and QMessageBox buttons.
    QT_TRANSLATE_NOOP("QPlatformTheme", "OK"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Open"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&Yes"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Yes to &All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&No"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "N&o to All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Abort"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Retry"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Ignore"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Close"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Cancel"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Discard"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Help"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Apply"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Reset"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Restore Defaults"),
    # QMessageBox's details button.
    QT_TRANSLATE_NOOP("QMessageBox", "Show Details..."),
    QT_TRANSLATE_NOOP("QMessageBox", "Hide Details..."),
    # The context menu of every line edit and text view.
    QT_TRANSLATE_NOOP("QLineEdit", "&Undo"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Redo"),
    QT_TRANSLATE_NOOP("QLineEdit", "Cu&t"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Copy"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Paste"),
    QT_TRANSLATE_NOOP("QLineEdit", "Delete"),
    QT_TRANSLATE_NOOP("QLineEdit", "Select All"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "&Undo"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "&Redo"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "Cu&t"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "&Copy"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "Copy &Link Location"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "&Paste"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "Delete"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "Select All"),
)


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


def qt_translations_dir() -> Path:
    """Where Qt's own catalogues are (inside the bundle when frozen)."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def locale_for(lang: str) -> QLocale:
    """Dates, numbers and sizes for ``lang``: the system's own locale when it speaks that language."""
    system = QLocale.system()
    wanted = _LOCALES.get(lang, QLocale.Language.English)
    if system.language() == wanted:
        return system
    return QLocale(wanted, QLocale.Country.Vietnam if lang == "vi" else QLocale.Country.UnitedStates)


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
        QLocale.setDefault(locale_for(lang))
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
        qt_tr = QTranslator(self._app)
        if qt_tr.load(f"qtbase_{lang}", str(qt_translations_dir())):
            self._app.installTranslator(qt_tr)
            self._installed.append(qt_tr)
        return ok


def _language_change_event():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent

    return QEvent(QEvent.Type.LanguageChange)
