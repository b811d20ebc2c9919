"""Per-user data, config and cache folders; a --data-dir override puts all of them in one place.

Every file Quay keeps is named here once (the properties below); nothing else types a file name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app import APP_NAME


@dataclass(frozen=True)
class AppPaths:
    """Where Quay keeps its files. All three are created on first use."""

    data: Path
    config: Path
    cache: Path

    @classmethod
    def for_user(cls) -> AppPaths:
        import platformdirs  # not needed with --data-dir: the CLI's start-up

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

    # --- data: caches and queues that must survive a restart -------------------------------

    @property
    def mail_db(self) -> Path:
        """The mail cache (headers, bodies, search index, offline operations)."""
        return self.data / "mail.sqlite3"

    @property
    def outbox_db(self) -> Path:
        """The send queue (its own file: a long sync never blocks sending)."""
        return self.data / "outbox.sqlite3"

    @property
    def pop3_state_db(self) -> Path:
        """POP3 UIDL bookkeeping (until it moves into the mail cache)."""
        return self.data / "pop3.sqlite3"

    @property
    def transfer_db(self) -> Path:
        """The persistent transfer queue."""
        return self.data / "transfers.sqlite3"

    # --- config: the user's records and decisions (never secrets) --------------------------

    @property
    def accounts_file(self) -> Path:
        """Mail accounts (IMAP, POP3, SMTP)."""
        return self.config / "accounts.json"

    @property
    def sites_file(self) -> Path:
        """File-transfer sites (FTP/FTPS, SFTP, TFTP)."""
        return self.config / "sites.json"

    @property
    def big_attachments_file(self) -> Path:
        """Which of the user's sites take big mail attachments, and their public web addresses."""
        return self.config / "big-attachments.json"

    @property
    def settings_file(self) -> Path:
        """The GUI's settings (INI, read and written by QSettings)."""
        return self.config / "quay.ini"

    @property
    def pins_file(self) -> Path:
        return self.config / "certificate-pins.json"

    @property
    def known_hosts_file(self) -> Path:
        """SSH host keys the user accepted in Quay (their own ~/.ssh/known_hosts is only read)."""
        return self.config / "known_hosts"

    # --- cache: things that can be rebuilt or thrown away -----------------------------------

    @property
    def logs_dir(self) -> Path:
        return self.cache / "logs"

    @property
    def protocol_log_file(self) -> Path:
        """Where the protocol log goes when the user turns it on (secrets redacted)."""
        return self.logs_dir / "protocol.log"

    @property
    def translations_dir(self) -> Path:
        """Compiled translation catalogues built at run time."""
        return self.cache / "i18n"
