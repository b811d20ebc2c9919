"""PySide6 user interface. Only this package imports Qt."""

from app.ui.pyside_workarounds import make_bools_immortal

make_bools_immortal()  # before any signal is emitted: see app/ui/pyside_workarounds.py
