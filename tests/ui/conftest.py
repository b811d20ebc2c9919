"""GUI test fixtures: a fresh data dir per test and the main window built like the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.core.paths import AppPaths
from app.ui.i18n import Translations
from app.ui.main_window import MainWindow
from app.ui.settings import Settings


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    paths = AppPaths.in_dir(tmp_path / "profile")
    paths.ensure()
    return paths


@pytest.fixture
def translations(qapp: QApplication, app_paths: AppPaths) -> Iterator[Translations]:
    tr = Translations(qapp, app_paths.cache / "i18n")
    yield tr
    tr.apply("en")


@pytest.fixture
def main_window(qtbot, app_paths: AppPaths, translations: Translations) -> MainWindow:  # type: ignore[no-untyped-def]
    settings = Settings(app_paths)
    window = MainWindow(settings, "en")

    def change(code: str) -> None:
        settings.language = code
        translations.apply(code if code != "system" else "en")

    window.language_requested.connect(change)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
