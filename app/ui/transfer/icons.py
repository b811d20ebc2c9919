"""Icons for the Files tab: the desktop theme's icon when it has one, else our bundled SVG (freedesktop names)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from app.ui.resources import resource_path

_CACHE: dict[str, QIcon] = {}


def icon(name: str) -> QIcon:
    """``QIcon.fromTheme(name)`` with ``resources/icons/<name>.svg`` as the fallback."""
    found = _CACHE.get(name)
    if found is None:
        path = resource_path(f"icons/{name}.svg")
        fallback = QIcon(str(path)) if path.is_file() else QIcon()
        found = QIcon.fromTheme(name, fallback)
        _CACHE[name] = found
    return found
