"""User settings (never secrets) in an INI file in the config folder."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings

from app.core.paths import AppPaths


class Settings:
    """Typed access to the handful of settings the UI keeps."""

    def __init__(self, paths: AppPaths) -> None:
        self.paths = paths
        self.qsettings = QSettings(str(paths.config / "quay.ini"), QSettings.Format.IniFormat)

    def value(self, key: str, default: Any = None) -> Any:
        return self.qsettings.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self.qsettings.setValue(key, value)
        self.qsettings.sync()

    @property
    def language(self) -> str:
        return str(self.value("ui/language", "system"))

    @language.setter
    def language(self, code: str) -> None:
        self.set_value("ui/language", code)
