"""Protocol log: every command and reply, with credentials redacted.

Sessions call :meth:`ProtoLog.sent` / :meth:`ProtoLog.received`. Redaction is
by command shape (IMAP ``LOGIN``/``AUTHENTICATE`` and the SASL lines after it,
POP3 ``PASS``/``APOP``/``AUTH``, SMTP ``AUTH``, FTP ``PASS``/``ACCT``) and,
as a second line of defence, by literally replacing every secret registered
with :meth:`ProtoLog.add_secret`.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import TextIO

REDACTED = "<redacted>"

# Compiled on first use (``re``'s own cache): most runs never log, and start-up time matters.
_IMAP_LOGIN = rb"^(\S+\s+LOGIN\s+)(.*)$"
_IMAP_AUTH = rb"^(\S+\s+AUTHENTICATE\s+\S+)(\s+.*)?$"
_LINE_CMD_SECRET = rb"^((?:PASS|ACCT|APOP\s+\S+)\s+)(.*)$"
_AUTH_CMD = rb"^(AUTH\s+\S+)(\s+.*)?$"
_FLAGS = re.I | re.S


class ProtoLog:
    """Thread-safe protocol log writer; a disabled log costs one attribute check per line."""

    def __init__(self, path: Path | None = None, *, stream: TextIO | None = None, enabled: bool = True) -> None:
        self._lock = threading.Lock()
        self._secrets: set[bytes] = set()
        self._fh: TextIO | None = stream
        self._own = False
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
            self._own = True
        self.enabled = enabled and self._fh is not None
        self._sasl_pending: set[str] = set()  # sessions inside a SASL exchange

    def add_secret(self, secret: str | bytes | None) -> None:
        if not secret or not self.enabled:  # a disabled log writes nothing, so it keeps no secrets either
            return
        b = secret.encode("utf-8") if isinstance(secret, str) else secret
        with self._lock:
            self._secrets.add(b)
            # SASL PLAIN carries it base64-encoded; catch the common encodings too.
            import base64  # only when a secret is registered

            self._secrets.add(base64.b64encode(b))

    def sent(self, session: str, data: bytes) -> None:
        if self.enabled:
            self._write(session, "C:", self._redact_command(session, data))

    def received(self, session: str, data: bytes) -> None:
        if self.enabled:
            if data.startswith(b"+") and data[1:2] in (b" ", b"\r", b"\n", b""):
                pass  # continuation request from server: keep; the client's answer is redacted
            self._write(session, "S:", self._scrub(data))

    def begin_sasl(self, session: str) -> None:
        with self._lock:
            self._sasl_pending.add(session)

    def end_sasl(self, session: str) -> None:
        with self._lock:
            self._sasl_pending.discard(session)

    def _redact_command(self, session: str, data: bytes) -> bytes:
        with self._lock:
            in_sasl = session in self._sasl_pending
        if in_sasl:
            return REDACTED.encode() + b"\r\n"
        line = data
        m = re.match(_IMAP_LOGIN, line, _FLAGS)
        if m:
            return m.group(1) + REDACTED.encode() + b"\r\n"
        m = re.match(_IMAP_AUTH, line, _FLAGS)
        if m:
            return m.group(1) + (b" " + REDACTED.encode() if m.group(2) else b"") + b"\r\n"
        m = re.match(_LINE_CMD_SECRET, line, _FLAGS)
        if m:
            return m.group(1) + REDACTED.encode() + b"\r\n"
        m = re.match(_AUTH_CMD, line, _FLAGS)
        if m:
            return m.group(1) + (b" " + REDACTED.encode() if m.group(2) else b"") + b"\r\n"
        return self._scrub(line)

    def _scrub(self, data: bytes) -> bytes:
        with self._lock:
            secrets = list(self._secrets)
        for s in secrets:
            if s and s in data:
                data = data.replace(s, REDACTED.encode())
        return data

    def _write(self, session: str, direction: str, data: bytes) -> None:
        text = data.decode("utf-8", "replace").rstrip("\r\n")
        if len(text) > 4000:
            text = text[:4000] + f"... ({len(data)} bytes)"
        stamp = time.strftime("%H:%M:%S")
        with self._lock:
            if self._fh is None:
                return
            for ln in text.split("\n"):
                self._fh.write(f"{stamp} {session} {direction} {ln.rstrip(chr(13))}\n")
            self._fh.flush()

    def close(self) -> None:
        with self._lock:
            if self._fh is not None and self._own:
                self._fh.close()
            self._fh = None
            self.enabled = False


NULL_LOG = ProtoLog(enabled=False)
