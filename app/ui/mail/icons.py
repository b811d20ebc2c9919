"""Icons for the Mail tab: the desktop theme's (freedesktop names), else our bundled SVGs in resources/icons/."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from app.ui.resources import resource_path


@cache
def icon(name: str) -> QIcon:
    """``QIcon.fromTheme(name)`` with ``resources/icons/<name>.svg`` as the fallback (every platform shows one)."""
    fallback = resource_path(f"icons/{name}.svg")
    base = QIcon(str(fallback)) if fallback.exists() else QIcon()
    return QIcon.fromTheme(name, base)


SPECIAL_ICONS = {
    "\\inbox": "mail-folder-inbox",
    "\\sent": "mail-folder-sent",
    "\\drafts": "mail-folder-drafts",
    "\\trash": "user-trash",
    "\\junk": "mail-mark-junk",
    "\\archive": "mail-archive",
}


def folder_icon(special_use: str | None, name: str) -> QIcon:
    key = (special_use or "").lower() or ("\\inbox" if name.upper() == "INBOX" else "")
    return icon(SPECIAL_ICONS.get(key, "folder"))
