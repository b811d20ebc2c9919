"""Light, dark or the system's colours, through Qt's colour scheme.

``QStyleHints.setColorScheme`` (Qt 6.8+) asks the platform for light or dark; where the platform
cannot honour the request (the offscreen and some X11 setups report no scheme), Fusion with a
palette of that scheme stands in, so the choice always shows. Widgets only use palette roles,
never colours of their own, so everything follows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")
_SCHEME = {"system": Qt.ColorScheme.Unknown, "light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
_original_style: str | None = None


def _palette(dark: bool) -> QPalette:
    """Fusion's standard palette for the light case; a matching dark one (same roles) for the dark case."""
    if not dark:
        from PySide6.QtWidgets import QStyleFactory

        style = QStyleFactory.create("Fusion")
        return style.standardPalette() if style is not None else QPalette()
    p = QPalette()
    window, base, text, mid = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230), QColor(70, 70, 74)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Window, window)
        p.setColor(group, QPalette.ColorRole.WindowText, text)
        p.setColor(group, QPalette.ColorRole.Base, base)
        p.setColor(group, QPalette.ColorRole.AlternateBase, QColor(38, 38, 41))
        p.setColor(group, QPalette.ColorRole.ToolTipBase, window)
        p.setColor(group, QPalette.ColorRole.ToolTipText, text)
        p.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(150, 150, 150))
        p.setColor(group, QPalette.ColorRole.Text, text)
        p.setColor(group, QPalette.ColorRole.Button, window)
        p.setColor(group, QPalette.ColorRole.ButtonText, text)
        p.setColor(group, QPalette.ColorRole.BrightText, QColor(255, 90, 90))
        p.setColor(group, QPalette.ColorRole.Light, QColor(80, 80, 84))
        p.setColor(group, QPalette.ColorRole.Midlight, QColor(60, 60, 64))
        p.setColor(group, QPalette.ColorRole.Mid, mid)
        p.setColor(group, QPalette.ColorRole.Dark, QColor(20, 20, 22))
        p.setColor(group, QPalette.ColorRole.Shadow, QColor(0, 0, 0))
        p.setColor(group, QPalette.ColorRole.Highlight, QColor(42, 110, 200))
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
        p.setColor(group, QPalette.ColorRole.Link, QColor(110, 170, 255))
        p.setColor(group, QPalette.ColorRole.LinkVisited, QColor(180, 140, 255))
    disabled = QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(disabled, role, QColor(128, 128, 128))
    p.setColor(disabled, QPalette.ColorRole.Base, window)
    p.setColor(disabled, QPalette.ColorRole.Window, window)
    p.setColor(disabled, QPalette.ColorRole.Button, window)
    return p


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette in use is a dark one (window darker than its text)."""
    p = palette or QGuiApplication.palette()
    return p.color(QPalette.ColorRole.Window).lightness() < p.color(QPalette.ColorRole.WindowText).lightness()


def apply_theme(app: QApplication, theme: str) -> None:
    """Switch to ``theme`` ("system", "light" or "dark") now; widgets repaint with the new palette."""
    global _original_style
    if _original_style is None:
        _original_style = app.style().name()
    wanted = _SCHEME.get(theme, Qt.ColorScheme.Unknown)
    hints = app.styleHints()
    hints.setColorScheme(wanted)
    if wanted == Qt.ColorScheme.Unknown:
        if app.style().name().lower() != _original_style.lower():
            app.setStyle(_original_style)
        app.setPalette(QPalette())  # a default palette: back to what the platform gives
        return
    if hints.colorScheme() == wanted:  # the platform honoured it
        return
    app.setStyle("Fusion")
    app.setPalette(_palette(wanted == Qt.ColorScheme.Dark))
