"""Every error in words: one table (title, explanation, next step), filled from structured fields, in Vietnamese too."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.core import errors as E
from app.core.mail import smtp
from app.core.secrets import KeyringUnavailable
from app.core.tls import BadFingerprint
from app.core.transfer.base import NotSupported
from app.core.transfer.jobs import SourceMissing, TransferConflict, VerificationFailed
from app.ui.errors import _TABLE, describe, describe_stored, translated
from app.ui.i18n import Translations

ROOT = Path(__file__).resolve().parents[2]

_CERT = E.CertificateInfo("mail.example", 993, "CN=mail", "CN=Evil CA", "2026-01-01", "2027-01-01", "ab" * 32, False)
_KEY = E.HostKeyInfo("files.example", 2222, "ssh-rsa", "SHA256:newnewnew")

SAMPLES: list[E.QuayError] = [
    E.AuthError("refused", host="mail.example", port=993),
    E.MissingPassword("none", protocol="imap", user="an", host="mail.example", port=993),
    E.PlaintextAuthRefused("clear", protocol="ftp", host="ftp.example", port=21),
    E.NetworkError("reset", host="h", port=1),
    E.TlsError("handshake", reason="protocol version", host="h", port=990),
    E.TlsError("untrusted", certificate=_CERT, reason="self-signed certificate"),
    E.StartTlsUnavailable("stripped", host="h", port=143),
    E.ServerError("no", reply="NO [OVERQUOTA] quota exceeded", host="h", port=143),
    E.ProtocolError("garbage", reply="* BAD"),
    E.LocalIOError("disk full", path="/x/y"),
    E.UnsafePathError("escape", path="../../etc/passwd"),
    E.BadUrl("bad", url="ftp://u:***@h"),
    E.UnknownSecurity("?", value="quantum"),
    E.BadRecord("?", record="Work", field="port"),
    E.Cancelled("stop"),
    E.Bug("oops"),
    E.UnknownHostKey(_KEY),
    E.HostKeyChanged(_KEY, "SHA256:oldoldold", known_type="ssh-ed25519"),
    E.HostKeyRevoked(_KEY, "known_hosts"),
    KeyringUnavailable("locked"),
    BadFingerprint("short"),
    NotSupported("tftp: mkdir"),
    smtp.MessageTooLarge(10_000_000, 1_000_000),
    smtp.SmtpTemporaryError("later", reply="451 try later", code=451),
    smtp.MessageRejected("no", reply="554 spam", code=554),
    smtp.NonAsciiAddressUnsupported("utf8"),
    smtp.RecipientsRefused({"x@y": smtp.RecipientFailure("x@y", 550, "no such user")}),
    smtp.DeliveryUnknown("broke"),
    VerificationFailed("/www/a.zip: the server's sha256 differs"),
    SourceMissing("/www/a.zip is a folder on the server"),
    TransferConflict("exists"),
]


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__name__)
def test_every_error_reads_well(error: E.QuayError) -> None:
    text = describe(error)
    assert text.title and text.explanation
    for part in (text.title, text.explanation, text.next_step):
        assert "{" not in part and "?" not in part, part  # every placeholder found its fact
    assert text.detail == str(error)
    assert text.kind != "QuayError" or type(error) is E.QuayError


def test_facts_come_from_fields_not_from_the_message() -> None:
    t = describe(E.HostKeyChanged(_KEY, "SHA256:oldoldold", known_type="ssh-ed25519"))
    assert t.title == "SERVER KEY CHANGED: connection refused"
    assert "files.example:2222" in t.explanation and "SHA256:newnewnew" in t.explanation
    assert "ssh-ed25519 key SHA256:oldoldold" in t.explanation
    cert = describe(E.TlsError("untrusted", certificate=_CERT, reason="self-signed certificate"))
    assert cert.kind == "UntrustedCertificate" and "AB:AB:AB" in cert.explanation and "CN=Evil CA" in cert.explanation
    assert describe(E.ServerError("x", reply="NO quota")).explanation == "the server answered: NO quota"
    assert describe(ValueError("internal")).kind == "Bug"


def test_table_keys_name_real_error_types() -> None:
    names = {type(e).__name__ for e in SAMPLES} | {"QuayError", "UntrustedCertificate"}
    assert set(_TABLE) <= names


def test_stored_errors_are_described_by_their_kind() -> None:
    """A failed transfer job keeps its error's class name and message; the kind alone picks the words."""
    net = describe_stored("TooManyConnections", "421 too many", {"host": "ftp.example:21"})
    assert (
        net.kind == "NetworkError" and net.explanation == "The connection to ftp.example:21 failed or was interrupted."
    )
    assert describe_stored("RemoteNoSpace", "552 quota").explanation == "the server answered: 552 quota"
    assert describe_stored("KeyPassphraseNeeded", "x").kind == "AuthError"
    assert describe_stored("VerificationFailed", "differs").title == "Copy did not match"
    newer = describe_stored("FromANewerQuay", "whatever")
    assert newer.kind == "QuayError" and newer.detail == "whatever"
    assert describe_stored(None, None).kind == "QuayError"


def test_importing_the_table_loads_no_qt() -> None:
    code = "import sys, app.ui.errors, app.clicmd.common\nprint([m for m in sys.modules if m.startswith('PySide6')])"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert r.stdout.strip() == "[]"


def test_vietnamese(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tr = Translations(qapp, tmp_path)
    try:
        tr.apply("vi")
        t = translated(E.PlaintextAuthRefused("clear", protocol="ftp", host="ftp.example", port=21))
        assert t.title == "Chưa gửi mật khẩu"
        assert "ftp.example:21" in t.explanation and "mã hoá" in t.explanation
        assert translated(E.NetworkError("x")).explanation.startswith("Kết nối tới máy chủ")
    finally:
        tr.apply("en")
    assert translated(E.NetworkError("x")).title == "Cannot reach the server"


def test_vietnamese_keeps_every_placeholder() -> None:
    ts = ET.parse(ROOT / "i18n" / "quay_vi.ts").getroot()
    for ctx in ts.iter("context"):
        if ctx.findtext("name") != "Errors":
            continue
        for msg in ctx.iter("message"):
            src, out = msg.findtext("source") or "", msg.findtext("translation") or ""
            assert sorted(re.findall(r"\{\w+\}", src)) == sorted(re.findall(r"\{\w+\}", out)), src
