"""PySide6 user interface. Only this package imports Qt."""

from app.ui.qt_compat import pin_singletons

pin_singletons()  # before any signal is emitted: see app/ui/qt_compat.py
