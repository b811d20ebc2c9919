"""The only module that touches the OS keyring.

Secrets are stored under the service name ``Quay`` with a key naming the
account (``imap:alice@mail.example:993``). Nothing else in Quay stores a
password: not SQLite, not settings, not logs. Where no keyring backend is
usable, :class:`KeyringUnavailable` says so and callers ask the user for the
password for this session only (kept in memory by :class:`SessionSecrets`).
"""

from __future__ import annotations

import threading

from app.core.errors import QuayError

SERVICE = "Quay"


class KeyringUnavailable(QuayError, RuntimeError):
    """No working keyring backend: passwords cannot be saved, only asked for each session."""


def _backend_usable() -> bool:
    import keyring
    from keyring.backends import fail

    kr = keyring.get_keyring()
    if isinstance(kr, fail.Keyring):
        return False
    # A chainer with nothing usable behind it is just as useless.
    backends = getattr(kr, "backends", None)
    return backends is None or bool(backends)


def backend_name() -> str:
    """Which keyring backend this system gives us (module and class); reads and writes no secret."""
    import keyring

    kr = keyring.get_keyring()
    return f"{type(kr).__module__}.{type(kr).__name__}"


def secret_key(kind: str, user: str, host: str, port: int) -> str:
    """The keyring 'username' under which one account's secret lives."""
    return f"{kind}:{user}@{host}:{port}"


class SecretStore:
    """Get/set/delete secrets in the keyring, with an in-memory session fallback."""

    def __init__(self) -> None:
        self._session: dict[str, str] = {}
        self._lock = threading.Lock()

    def available(self) -> bool:
        try:
            return _backend_usable()
        except Exception:
            return False

    def get(self, key: str, *, use_keyring: bool = True) -> str | None:
        """The secret for ``key``: this session's memory first, then (unless ``use_keyring=False``) the keyring.

        :class:`KeyringUnavailable` when a keyring exists but could not be read (locked, refused).
        """
        with self._lock:
            if key in self._session:
                return self._session[key]
        if not use_keyring or not self.available():
            return None
        import keyring

        try:
            return keyring.get_password(SERVICE, key)
        except Exception as e:
            raise KeyringUnavailable(f"The system keyring could not be read: {type(e).__name__}") from None

    def set(self, key: str, secret: str, *, remember: bool = True) -> None:
        """Store ``secret``; with ``remember=False`` (or no keyring) only for this session."""
        if not remember:
            with self._lock:
                self._session[key] = secret
            return
        if not self.available():
            raise KeyringUnavailable(
                "No system keyring is available, so the password cannot be saved. "
                "It will be asked for each session instead."
            )
        import keyring

        try:
            keyring.set_password(SERVICE, key, secret)
        except Exception as e:
            raise KeyringUnavailable(f"The system keyring refused to store the password: {type(e).__name__}") from None

    def remember_for_session(self, key: str, secret: str) -> None:
        """Keep ``secret`` in memory until the process ends (asked-for passwords, passwords from a URL)."""
        with self._lock:
            self._session[key] = secret

    def forget_for_session(self, key: str) -> None:
        """Drop the in-memory copy (after the server refused it, say); the keyring is left alone."""
        with self._lock:
            self._session.pop(key, None)

    def delete(self, key: str) -> None:
        with self._lock:
            self._session.pop(key, None)
        if not self.available():
            return
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(SERVICE, key)
        except PasswordDeleteError:
            pass  # there was none
        except Exception as e:
            raise KeyringUnavailable(f"The system keyring refused to delete the password: {type(e).__name__}") from None
