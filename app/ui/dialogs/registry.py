"""Dialogs that tests and ``--screenshot --dialog NAME`` can open on their own.

A dialog joins with a decorated factory that builds it, filled in with something
representative, for a given main window::

    from app.ui.dialogs.registry import showcase_dialog

    @showcase_dialog("composer")
    def _composer_showcase(window: MainWindow) -> QWidget:
        return ComposerWindow(window.settings, parent=window)

Every dialog listed here is walked by ``tests/test_translations.py`` in Vietnamese (no
English may show) and can be pictured with ``python -m app --screenshot FILE --dialog NAME``.
:func:`showcase_dialogs` imports every module under ``app.ui`` first, so a factory anywhere
there is found without being listed elsewhere.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

Factory = Callable[["MainWindow"], QWidget]
_FACTORIES: dict[str, Factory] = {}


def showcase_dialog(name: str) -> Callable[[Factory], Factory]:
    """Register ``factory(window) -> QWidget`` under ``name`` (lower-case, no spaces)."""

    def register(factory: Factory) -> Factory:
        if name in _FACTORIES and _FACTORIES[name] is not factory:
            raise ValueError(f"a showcase dialog named {name!r} is already registered")
        _FACTORIES[name] = factory
        return factory

    return register


def showcase_dialogs() -> dict[str, Factory]:
    """Every registered factory by name, after importing all of ``app.ui`` so each module has had its say."""
    import app.ui

    for info in pkgutil.walk_packages(app.ui.__path__, prefix="app.ui."):
        importlib.import_module(info.name)
    return dict(sorted(_FACTORIES.items()))
