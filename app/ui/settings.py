"""User settings (never secrets): a JSON file in the config folder, every known key validated.

``SCHEMA`` lists the settings the settings dialog edits, each with its type, default and
limits; :meth:`Settings.get` always returns a valid value of that type. Other keys (window
geometry, column state: anything a view remembers) are free-form through :meth:`Settings.value`
and :meth:`Settings.set_value`; bytes and ``QByteArray`` survive the round trip.

A file that cannot be read as JSON is moved aside (``settings.json.corrupt``), the settings
start again from their defaults and :attr:`Settings.problem` says so, for the application to
tell the user once; a single bad value falls back to its default and is named there too.
Nothing else in the profile (accounts, sites, caches) is touched.

Signals:
    changed(str): a key's value changed (after it was written).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, Signal

from app.core.fileio import atomic_write
from app.core.paths import AppPaths
from app.core.transfer.queue import ConflictPolicy

SETTINGS_FILE = "settings.json"
_VERSION = 1


class SettingError(ValueError):
    """A value a setting cannot take. ``key`` names the setting."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


_SENDER = re.compile(r"^(?:[^\s@<>,;]+@)?@?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z0-9-]{2,}$")


def valid_sender(entry: str) -> bool:
    """An allowed-sender entry: ``name@example.org``, or a whole domain as ``example.org`` / ``@example.org``."""
    return bool(_SENDER.match(entry.strip())) and entry.count("@") <= 1


def _absolute_or_empty(value: str) -> bool:
    return value == "" or Path(value).expanduser().is_absolute()


@dataclass(frozen=True)
class Option:
    """One known setting: its type, default and limits (``choices`` or ``minimum``/``maximum``)."""

    key: str
    default: Any
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    #: Extra check for strings or list items; False means refused.
    check: Callable[[str], bool] | None = field(default=None, compare=False)

    def validate(self, value: Any) -> Any:
        """``value`` converted to this option's type, or :class:`SettingError`."""
        kind = type(self.default)
        if kind is bool:
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false"):  # an old INI file
                return value.lower() == "true"
            raise SettingError(self.key, f"expected true or false, got {value!r}")
        if kind is int:
            if isinstance(value, bool):
                raise SettingError(self.key, f"expected a whole number, got {value!r}")
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise SettingError(self.key, f"expected a whole number, got {value!r}") from None
            if isinstance(value, float) and value != number:
                raise SettingError(self.key, f"expected a whole number, got {value!r}")
            if self.minimum is not None and number < self.minimum:
                raise SettingError(self.key, f"{number} is below the minimum {self.minimum}")
            if self.maximum is not None and number > self.maximum:
                raise SettingError(self.key, f"{number} is above the maximum {self.maximum}")
            return number
        if kind is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise SettingError(self.key, "expected a list of texts")
            items = [v.strip() for v in value if v.strip()]
            bad = [v for v in items if self.check is not None and not self.check(v)]
            if bad:
                raise SettingError(self.key, f"not valid: {', '.join(bad)}")
            return list(dict.fromkeys(items))
        if not isinstance(value, str):
            raise SettingError(self.key, f"expected a text, got {value!r}")
        if self.choices and value not in self.choices:
            raise SettingError(self.key, f"{value!r} is not one of {', '.join(self.choices)}")
        if self.check is not None and not self.check(value):
            raise SettingError(self.key, f"{value!r} is not valid here")
        return value


def _options(*options: Option) -> dict[str, Option]:
    return {o.key: o for o in options}


#: Every setting the settings dialog edits. Other modules read them with ``settings.get(key)``.
SCHEMA: dict[str, Option] = _options(
    Option("ui/language", "system", choices=("system", "en", "vi")),
    Option("ui/theme", "system", choices=("system", "light", "dark")),
    Option("startup/minimized_to_tray", False),
    Option("startup/check_mail", True),
    Option("notifications/new_mail", True),
    Option("notifications/transfers_done", True),
    Option("notifications/errors", True),
    Option("mail/mark_read", True),
    Option("mail/mark_read_delay_s", 2, minimum=0, maximum=120),
    Option("mail/remote_content", "senders", choices=("block", "senders", "always")),
    Option("mail/allowed_senders", [], check=valid_sender),
    Option("mail/compose_format", "html", choices=("html", "plain")),
    Option("mail/check_interval_min", 10, minimum=0, maximum=1440),
    Option("mail/big_attachment_mb", 25, minimum=1, maximum=10240),
    Option("mail/big_attachment_site", ""),
    Option("files/local_folder", "", check=_absolute_or_empty),
    Option("files/parallel", 2, minimum=1, maximum=10),
    Option("files/conflict", ConflictPolicy.ASK.value, choices=tuple(p.value for p in ConflictPolicy)),
    Option("files/speed_limit_kib", 0, minimum=0, maximum=10_000_000),
    Option("files/preserve_times", True),
    Option("files/show_hidden", False),
    Option("privacy/protocol_logs", False),
    Option("privacy/protocol_log_dir", "", check=_absolute_or_empty),
)


def _encode(value: Any) -> Any:
    if isinstance(value, QByteArray):
        value = bytes(value.data())
    if isinstance(value, bytes | bytearray):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$bytes"}:
        try:
            return QByteArray(base64.b64decode(value["$bytes"], validate=True))
        except (ValueError, TypeError):
            return None
    return value


@dataclass
class LoadProblem:
    """What went wrong reading the file: ``corrupt`` (unreadable, moved to ``backup``) or bad ``keys``."""

    corrupt: bool = False
    backup: Path | None = None
    keys: list[str] = field(default_factory=list)
    detail: str = ""


class Settings(QObject):
    """The user's settings for one profile (see the module docstring)."""

    changed = Signal(str)

    def __init__(self, paths: AppPaths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.path = paths.config / SETTINGS_FILE
        self.problem: LoadProblem | None = None
        self._values: dict[str, Any] = {}
        self._load()

    # -- reading -------------------------------------------------------------
    def _load(self) -> None:
        raw: Any = None
        if self.path.exists():
            try:
                raw = json.loads(self.path.read_bytes().decode("utf-8"))
                if not isinstance(raw, dict) or not isinstance(raw.get("values", {}), dict):
                    raise ValueError("the top level is not a settings object")
            except (OSError, UnicodeDecodeError, ValueError) as e:
                self._set_aside(str(e))
                return
            values = dict(raw.get("values", {}))
        else:
            values = self._legacy_ini()
        bad = []
        for key, value in values.items():
            option = SCHEMA.get(key)
            if option is None:
                self._values[key] = value
                continue
            try:
                self._values[key] = option.validate(value)
            except SettingError:
                bad.append(key)
        if bad:
            self.problem = LoadProblem(keys=sorted(bad))

    def _set_aside(self, detail: str) -> None:
        backup = self.path.with_name(SETTINGS_FILE + ".corrupt")
        try:
            self.path.replace(backup)
        except OSError:
            backup = None  # type: ignore[assignment]
        self.problem = LoadProblem(corrupt=True, backup=backup, detail=detail)

    def _legacy_ini(self) -> dict[str, Any]:
        """Keys of the INI file earlier versions kept (``quay.ini``), read once."""
        ini = self.paths.config / "quay.ini"
        if not ini.exists():
            return {}
        from PySide6.QtCore import QSettings

        q = QSettings(str(ini), QSettings.Format.IniFormat)
        return {k: q.value(k) for k in q.allKeys()}

    def get(self, key: str) -> Any:
        """The valid value of a :data:`SCHEMA` setting (its default when unset). KeyError for unknown keys."""
        option = SCHEMA[key]
        value = self._values.get(key, option.default)
        return list(value) if isinstance(value, list) else value

    def value(self, key: str, default: Any = None) -> Any:
        """Any key: a :data:`SCHEMA` setting through :meth:`get`, else what was stored (or ``default``)."""
        if key in SCHEMA:
            return self.get(key)
        if key not in self._values:
            return default
        decoded = _decode(self._values[key])
        return default if decoded is None else decoded

    def as_dict(self) -> dict[str, Any]:
        """Every :data:`SCHEMA` setting with its current value."""
        return {key: self.get(key) for key in SCHEMA}

    # -- writing -------------------------------------------------------------
    def set(self, key: str, value: Any) -> None:
        """Validate and store one :data:`SCHEMA` setting (:class:`SettingError` if refused)."""
        self.update({key: value})

    def update(self, values: Mapping[str, Any]) -> None:
        """Validate every value first, then store them all in one write (all or nothing)."""
        checked = {key: SCHEMA[key].validate(v) if key in SCHEMA else _encode(v) for key, v in values.items()}
        changed = [k for k, v in checked.items() if self._values.get(k, _missing) != v]
        if not changed:
            return
        self._values.update(checked)
        self._save()
        for key in changed:
            self.changed.emit(key)

    def set_value(self, key: str, value: Any) -> None:
        """Store any value (a :data:`SCHEMA` key is validated)."""
        self.update({key: value})

    def _save(self) -> None:
        data = json.dumps({"version": _VERSION, "values": self._values}, ensure_ascii=False, indent=1, sort_keys=True)
        atomic_write(self.path, data + "\n", what="the settings file")  # LocalIOError: the caller says so

    def reset(self, keys: Iterable[str]) -> None:
        """Back to the defaults for ``keys``."""
        self.update({k: SCHEMA[k].default for k in keys})

    # -- convenience ---------------------------------------------------------
    @property
    def language(self) -> str:
        return str(self.get("ui/language"))

    @language.setter
    def language(self, code: str) -> None:
        self.set("ui/language", code)

    def problem_text(self) -> str:
        """The load problem in the user's language ("" when there was none)."""
        p = self.problem
        if p is None:
            return ""
        if p.corrupt:
            text = self.tr(
                "Your settings file could not be read, so Quay started with the default settings. "
                "Your accounts, sites and messages are not affected."
            )
            if p.backup is not None:
                text += "\n\n" + self.tr("The unreadable file was kept as %1.").replace("%1", str(p.backup))
            return text
        return self.tr("Some settings had values Quay cannot use and were reset to their defaults: %1").replace(
            "%1", ", ".join(p.keys)
        )


_missing = object()
