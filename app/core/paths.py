"""Per-user data, config and cache folders; a --data-dir override puts all of them in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_NAME


@dataclass(frozen=True)
class AppPaths:
    """Where Quay keeps its files. All three are created on first use."""

    data: Path
    config: Path
    cache: Path

    @classmethod
    def for_user(cls) -> AppPaths:
        return cls(
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @classmethod
    def in_dir(cls, root: str | os.PathLike[str]) -> AppPaths:
        r = Path(root).expanduser().resolve()
        return cls(r / "data", r / "config", r / "cache")

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None) -> AppPaths:
        """``--data-dir`` wins, then ``QUAY_DATA_DIR``, then the platform defaults."""
        chosen = data_dir or os.environ.get("QUAY_DATA_DIR")
        paths = cls.in_dir(chosen) if chosen else cls.for_user()
        paths.ensure()
        return paths

    def ensure(self) -> None:
        for p in (self.data, self.config, self.cache):
            p.mkdir(parents=True, exist_ok=True, mode=0o700)

    @property
    def mail_db(self) -> Path:
        return self.data / "mail.sqlite3"

    @property
    def transfer_db(self) -> Path:
        return self.data / "transfers.sqlite3"

    @property
    def accounts_file(self) -> Path:
        return self.config / "accounts.json"

    @property
    def pins_file(self) -> Path:
        return self.config / "certificate-pins.json"

    @property
    def known_hosts_file(self) -> Path:
        return self.config / "known_hosts"
