"""Vietnamese is complete and shows: every tr() string is in i18n/quay_vi.ts and translated, the .ts files
are what scripts/update-translations makes from today's code, and no visible widget of the main window,
the settings dialog or any dialog registered in app/ui/dialogs/registry.py shows English in Vietnamese."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedWidget,
    QTabBar,
    QWidget,
    QWizard,
)

from tests.ui import conftest as _gui

# The GUI fixtures (a fresh profile, the translators, the main window), shared with tests/ui.
app_paths, translations, main_window = _gui.app_paths, _gui.translations, _gui.main_window

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "i18n" / "quay_vi.ts"
TS_EN = ROOT / "i18n" / "quay_en.ts"


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            out[(name, msg.findtext("source") or "")] = msg
    return out


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} not found"
    return found


def _sources() -> list[str]:
    # The same list and options as scripts/update-translations.
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app" / "ui").rglob("*.py"))


def test_vietnamese_has_no_unfinished_entries() -> None:
    msgs = _messages(TS)
    assert msgs, "quay_vi.ts is empty"
    unfinished = []
    for (ctx, src), m in msgs.items():
        t = m.find("translation")
        assert t is not None
        forms = [f.text or "" for f in t.iter("numerusform")] if m.get("numerus") == "yes" else [t.text or ""]
        if t.get("type") in ("unfinished", "vanished", "obsolete") or not all(f.strip() for f in forms):
            unfinished.append(f"{ctx}: {src}")
    assert unfinished == [], "translate these in i18n/quay_vi.ts"


def test_placeholders_and_accelerators_survive_translation() -> None:
    for (_ctx, src), m in _messages(TS).items():
        t = m.find("translation")
        assert t is not None
        forms = [f.text or "" for f in t.iter("numerusform")] or [t.text or ""]
        for tr in forms:
            assert sorted(re.findall(r"%\d", src)) == sorted(re.findall(r"%\d", tr)), src
            if "%n" in src:
                assert "%n" in tr, f"plural count lost in {src!r}"
            if "&" in src.replace("&&", ""):
                assert "&" in tr.replace("&&", ""), f"accelerator lost in {src!r}"


@pytest.mark.parametrize("ts", [TS, TS_EN], ids=["vi", "en"])
def test_ts_files_are_up_to_date_with_the_code(tmp_path: Path, ts: Path) -> None:
    """What scripts/update-translations would write is what is committed (nothing missing, nothing stale)."""
    fresh = tmp_path / ts.name
    shutil.copy(ts, fresh)
    extra = ["-pluralonly"] if ts == TS_EN else []
    subprocess.run(
        [_tool("pyside6-lupdate"), "-locations", "none", "-no-obsolete", *extra, *_sources(), "-ts", str(fresh)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    missing = sorted(set(_messages(fresh)) - set(_messages(ts)))
    stale = sorted(set(_messages(ts)) - set(_messages(fresh)))
    assert (missing, stale) == ([], []), "run scripts/update-translations, then translate"
    assert fresh.read_bytes() == ts.read_bytes(), "run scripts/update-translations"


def test_catalogue_compiles(tmp_path: Path) -> None:
    out = tmp_path / "quay_vi.qm"
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(out)], check=True)
    assert out.stat().st_size > 100


# -- what the user sees ------------------------------------------------------------------

#: Words that appear in English sentences and never in Vietnamese ones.
_ENGLISH_WORDS = re.compile(
    r"\b(the|and|your|with|from|this|that|when|will|for|not|are|is|to|of|in|on|an|a)\b", re.IGNORECASE
)


def _english_sources() -> set[str]:
    """Source strings whose Vietnamese differs: seeing one of these means a string was not translated."""
    out = set()
    for (_ctx, src), m in _messages(TS).items():
        if (m.findtext("translation") or "") != src:
            out.add(_plain(src))
    return {s for s in out if s}


def _plain(text: str) -> str:
    text = re.sub(r"&(?!&)", "", text).replace("&&", "&")
    return text.strip().rstrip(":…").strip()


def _texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a user can read on ``widget`` and its visible children, menus included."""
    widgets = [widget, *widget.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisible():
            continue
        where = f"{type(w).__name__}({w.objectName()})"
        if w.isWindow():
            yield where + ".windowTitle", w.windowTitle()
        yield where + ".toolTip", w.toolTip()
        yield where + ".accessibleName", w.accessibleName()
        if isinstance(w, QLabel):
            yield where, re.sub(r"<[^>]+>", " ", w.text())
        elif isinstance(w, QAbstractButton):
            yield where, w.text()
        elif isinstance(w, QGroupBox):
            yield where, w.title()
        elif isinstance(w, QLineEdit):
            yield where + ".placeholder", w.placeholderText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{where}[{i}]", w.itemText(i)
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                yield f"{where}[{i}]", w.tabText(i)
        elif isinstance(w, QAbstractSpinBox):
            yield where, w.text()
        if isinstance(w, QHeaderView) and w.model() is not None:
            for i in range(w.count()):
                yield f"{where}.header[{i}]", str(w.model().headerData(i, w.orientation()) or "")
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            for row in range(min(model.rowCount(QModelIndex()), 200)):
                yield f"{where}[{row}]", str(model.index(row, 0).data() or "")
        for action in w.actions():
            yield from _action_texts(action, where)


def _action_texts(action, where: str) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    if not action.isVisible():
        return
    yield f"{where}>{action.objectName() or 'action'}", action.text()
    yield f"{where}>{action.objectName() or 'action'}.statusTip", action.statusTip()
    menu = action.menu()
    if isinstance(menu, QMenu):
        yield f"{where}>{menu.objectName() or 'menu'}.title", menu.title()
        for sub in menu.actions():
            yield from _action_texts(sub, f"{where}>{menu.title()}")


def english_on_screen(widget: QWidget) -> list[str]:
    """Every visible text on ``widget`` that is English (a known untranslated source, or English words)."""
    sources = _english_sources()
    found = []
    for where, text in _texts(widget):
        plain = _plain(text)
        if not plain:
            continue
        # Search operators (from:, is:unread) are syntax the user types, the same in every language.
        words = _ENGLISH_WORDS.findall(re.sub(r"\b[a-z]+:[a-z]*", "", plain))
        if plain in sources or len(words) >= 2:
            found.append(f"{where}: {text!r}")
    return sorted(set(found))


def _every_page(widget: QWidget) -> Iterator[None]:
    """Show each page of every stacked widget (tabs, settings pages) and wizard in turn."""
    yield None
    if isinstance(widget, QWizard):
        for page_id in widget.pageIds():
            widget.setStartId(page_id)
            widget.restart()
            yield None
    for stack in widget.findChildren(QStackedWidget):
        for i in range(stack.count()):
            if stack.isVisible():
                stack.setCurrentIndex(i)
                yield None


@pytest.fixture
def vietnamese(qapp: QApplication, translations) -> Iterator[None]:  # type: ignore[no-untyped-def]
    assert translations.apply("vi")
    yield
    translations.apply("en")


def test_main_window_switched_live_to_vietnamese_shows_no_english(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    assert main_window.windowTitle() == "Quay — mail and files"
    assert english_on_screen(main_window), "the check must see the English window"
    main_window.language_requested.emit("vi")
    qtbot.waitUntil(lambda: main_window.windowTitle() != "Quay — mail and files")
    for _ in _every_page(main_window):
        assert english_on_screen(main_window) == []


def test_settings_dialog_in_vietnamese_shows_no_english(qtbot, main_window, vietnamese) -> None:  # type: ignore[no-untyped-def]
    from app.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(main_window.settings, main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    pages = 0
    for _ in _every_page(dialog):
        pages += 1
        assert english_on_screen(dialog) == []
    assert pages >= 7  # the first view plus each of the six pages


def _showcase_names() -> list[str]:
    from app.ui.dialogs.registry import showcase_dialogs

    return list(showcase_dialogs())


@pytest.mark.parametrize("name", _showcase_names())
def test_registered_dialogs_in_vietnamese_show_no_english(qtbot, main_window, vietnamese, name: str) -> None:  # type: ignore[no-untyped-def]
    """The wizard, composer, site manager... join through app.ui.dialogs.registry.showcase_dialog."""
    from app.ui.dialogs.registry import showcase_dialogs

    widget = showcase_dialogs()[name](main_window)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    for _ in _every_page(widget):
        assert english_on_screen(widget) == []


def test_the_check_catches_english() -> None:
    """The walker is not blind: an untranslated label and Qt's English buttons are reported."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("Where Quay keeps your data"))
    layout.addWidget(QLabel("Something new that nobody marked for translation yet"))
    layout.addWidget(QLabel("IMAP, SMTP, FTP"))
    layout.addWidget(QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel))
    dialog.show()
    found = english_on_screen(dialog)
    dialog.close()
    assert any("keeps your data" in f for f in found)
    assert any("nobody marked" in f for f in found)
    assert any("'Cancel'" in f for f in found)
    assert not any("IMAP" in f for f in found)
