"""Services: every kind of session from a saved record through one call, passwords from the real keyring.

Against the real servers (Dovecot, aiosmtpd, pyftpdlib, OpenSSH, tftpd-hpa) and gnome-keyring.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest

from app.core.accounts import Account, ServerRecord
from app.core.errors import AuthError, BadRecord, BadUrl, MissingPassword, PlaintextAuthRefused, QuayError
from app.core.mail.imap.session import ImapSession
from app.core.mail.mime import Compose, compose_bytes
from app.core.mail.pop3 import Pop3Session
from app.core.mail.smtp import SmtpSender
from app.core.paths import AppPaths
from app.core.secrets import SERVICE, SecretStore
from app.core.services import ConnectOptions, Services
from app.core.transfer.ftp import FtpSession
from app.core.transfer.queue import ConflictPolicy
from app.core.transfer.sftp import SftpSession
from app.core.transfer.sites import Site
from app.core.transfer.tftp import TftpSession
from app.core.urls import Security
from app.ui.errors import describe
from tests.servers.common import TlsMaterial
from tests.servers.dovecot import DovecotServer
from tests.servers.ftp import FtpServer, FtpUser
from tests.servers.keyring_service import KeyringService
from tests.servers.smtp import SmtpServer
from tests.servers.sshd import SshdServer
from tests.servers.tftp import TftpServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def services(tmp_path: Path, tls_material: TlsMaterial, sshd_server: SshdServer) -> Iterator[Services]:
    with Services(
        AppPaths.in_dir(tmp_path / "profile"),
        secrets=SecretStore(),
        cafile=str(tls_material.ca_pem),
        user_known_hosts=[sshd_server.known_hosts_path],
        ssh_config=Path(os.devnull),
        protocol_log=True,
    ) as s:
        s.paths.ensure()
        yield s


def _never_connect(addr: tuple[str, int], timeout: float) -> socket.socket:
    raise AssertionError(f"no connection may be made to {addr}")


@dataclass
class Servers:
    dovecot: DovecotServer
    smtp: SmtpServer
    ftp: FtpServer
    ftp_user: FtpUser
    sshd: SshdServer
    tftp: TftpServer
    mail_user: tuple[str, str]


@pytest.fixture
def servers(
    dovecot: DovecotServer,
    smtp_clean: SmtpServer,
    ftp_server: FtpServer,
    ftp_user: FtpUser,
    sshd_server: SshdServer,
    tftp_server: TftpServer,
    mail_user: tuple[str, str],
) -> Servers:
    return Servers(dovecot, smtp_clean, ftp_server, ftp_user, sshd_server, tftp_server, mail_user)


def _records(s: Servers) -> dict[str, tuple[ServerRecord, str | None]]:
    """One saved record of every kind, and the password the keyring will hold for it."""
    user, pw = s.mail_user
    dv, ftp = s.dovecot, s.ftp
    return {
        "imap": (Account("imap", dv.host, dv.imaps_port, user, Security.TLS), pw),
        "imap-starttls": (Account("imap", dv.host, dv.imap_port, user, Security.STARTTLS), pw),
        "pop3": (Account("pop3", dv.host, dv.pop3s_port, user, Security.TLS), pw),
        "smtp": (Account("smtp", s.smtp.host, s.smtp.submission_port, user, Security.STARTTLS), pw),
        "ftp": (
            Site("plain", "ftp", ftp.host, ftp.port, s.ftp_user.name, security=Security.NONE, allow_plaintext=True),
            s.ftp_user.password,
        ),
        "ftps-explicit": (
            Site("explicit", "ftp", ftp.host, ftp.ftps_port, s.ftp_user.name, security=Security.STARTTLS),
            s.ftp_user.password,
        ),
        "ftps-implicit": (
            Site("implicit", "ftp", ftp.host, ftp.ftps_implicit_port, s.ftp_user.name, security=Security.TLS),
            s.ftp_user.password,
        ),
        "sftp": (Site("sftp", "sftp", s.sshd.host, s.sshd.port, s.sshd.password_user), s.sshd.password),
        "tftp": (Site("tftp", "tftp", s.tftp.host, s.tftp.port), None),
    }


KINDS = ["imap", "imap-starttls", "pop3", "smtp", "ftp", "ftps-explicit", "ftps-implicit", "sftp", "tftp"]


@pytest.mark.parametrize("which", KINDS)
def test_every_kind_of_session_through_one_call(
    which: str, services: Services, servers: Servers, keyring_service: KeyringService, tmp_path: Path
) -> None:
    record, password = _records(servers)[which]
    if isinstance(record, Account):
        services.save_account(record, password)
    else:
        assert isinstance(record, Site)
        services.save_site(record, password)
    if password is not None:  # in the real keyring, and nowhere in Quay's files
        assert keyring.get_password(SERVICE, record.secret_key) == password
    # A fresh Services (as after a restart) finds the record in its file and the password in the keyring.
    fresh = Services(
        services.paths,
        cafile=services.cafile,
        user_known_hosts=[servers.sshd.known_hosts_path],
        ssh_config=Path(os.devnull),
        protocol_log=True,
    )
    saved: Account | Site | None = (
        fresh.accounts.get(record.id) if isinstance(record, Account) else fresh.sites.get(record.id)  # type: ignore[attr-defined]
    )
    assert saved is not None and saved == record

    session = fresh.open_session(saved)
    try:
        if which.startswith("imap"):
            assert isinstance(session, ImapSession) and "IMAP4REV1" in session.capabilities
            assert session.sock is not None
        elif which == "pop3":
            assert isinstance(session, Pop3Session)
            assert session.stat()[0] >= 0
            session.quit()
        elif which == "smtp":
            assert isinstance(session, SmtpSender)
            me = servers.dovecot.address(servers.mail_user[0])
            raw = compose_bytes(Compose(from_addr=me, to=[me], subject="services", text="x\n"))
            assert session.send(me, [me], raw).accepted == [me]
            assert len(servers.smtp.received) == 1
        elif which.startswith("ftp"):
            assert isinstance(session, FtpSession)
            session.upload(io.BytesIO(b"hello"), f"/{which}.txt")
            assert (servers.ftp_user.home / f"{which}.txt").read_bytes() == b"hello"
            assert which == "ftp" or session.protocol == "ftps"
        elif which == "sftp":
            assert isinstance(session, SftpSession)
            assert session.stat(session.home()) is not None
        else:
            assert isinstance(session, TftpSession)
            name = f"svc-{time.monotonic_ns()}.bin"
            session.upload(io.BytesIO(b"tftp data"), name)
            out = io.BytesIO()
            session.download(name, out)
            assert out.getvalue() == b"tftp data"
    finally:
        if isinstance(session, ImapSession):
            session.logout()
        elif not isinstance(session, SmtpSender | Pop3Session):
            session.close()
        fresh.close()
    if password is not None:
        log = services.paths.protocol_log_file.read_text("utf-8")
        assert password not in log
        for f in services.paths.config.rglob("*"):
            assert password.encode() not in f.read_bytes(), f


def test_transfer_queue_gets_its_sessions_from_the_services(
    services: Services, servers: Servers, keyring_service: KeyringService, tmp_path: Path
) -> None:
    record, password = _records(servers)["ftps-explicit"]
    assert isinstance(record, Site)
    services.save_site(record, password)
    (servers.ftp_user.home / "q.bin").write_bytes(b"q" * 70_000)
    q = services.transfer_queue(record, policy=ConflictPolicy.OVERWRITE)
    try:
        assert q.workers == record.max_connections
        q.add_download("/q.bin", tmp_path / "q.bin")
        summary = q.run()
    finally:
        q.close()
    assert summary.ok and (tmp_path / "q.bin").read_bytes() == b"q" * 70_000


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("imap", lambda d, u: Account("imap", d.host, d.imap_port, u, Security.NONE)),
        ("pop3", lambda d, u: Account("pop3", d.host, d.pop3_port, u, Security.NONE)),
        ("smtp", lambda d, u: Account("smtp", d.host, 25, u, Security.NONE)),
        ("ftp", lambda d, u: Site("f", "ftp", d.host, 21, u, security=Security.NONE)),
    ],
)
def test_plaintext_needs_consent_and_is_refused_before_connecting(
    kind: str, make: object, services: Services, dovecot: DovecotServer
) -> None:
    """Issue 9 item 4: a password over an unencrypted connection only with the user's explicit consent."""
    record = make(dovecot, "someone")  # type: ignore[operator]
    asked: list[ServerRecord] = []
    services.ask_password = lambda r: asked.append(r) or "pw"
    with pytest.raises(PlaintextAuthRefused) as ei:
        services.open_session(record, ConnectOptions(password="pw", connect=_never_connect))
    assert asked == []  # refused before any password was looked up or asked for
    e = ei.value
    assert (e.host, e.port, e.operation, e.protocol) == (record.host, record.port, "login", kind)
    assert "in the clear" in str(e) and "pw" not in str(e).replace("password", "")
    text = describe(e)
    assert text.title == "Password not sent" and record.host in text.explanation


def test_anonymous_ftp_needs_no_consent_and_consent_unlocks_plain_ftp(
    services: Services, ftp_server: FtpServer, ftp_user: FtpUser, keyring_service: KeyringService
) -> None:
    anon = services.record_for_url(f"ftp://{ftp_server.host}:{ftp_server.port}/")
    assert isinstance(anon, Site) and anon.anonymous
    with contextlib.closing(services.open_session(anon)) as s:
        assert "readme.txt" in {e.name for e in s.listdir("/")}
    url = f"ftp://{ftp_user.name}:{ftp_user.password}@{ftp_server.host}:{ftp_server.port}/"
    with pytest.raises(PlaintextAuthRefused):
        services.open_session(services.record_for_url(url))
    allowed = services.record_for_url(url + "?allow_plaintext")
    with contextlib.closing(services.open_session(allowed)) as s:
        assert s.listdir("/") == []
    # the URL's password was used for this session only: not in the keyring
    assert keyring.get_password(SERVICE, allowed.secret_key) is None


def test_missing_password_names_the_account_and_the_prompt_is_asked_once(
    services: Services, servers: Servers, no_keyring: object
) -> None:
    record, password = _records(servers)["ftps-explicit"]
    assert isinstance(record, Site)
    with pytest.raises(MissingPassword) as ei:
        services.session_factory(record)
    e = ei.value
    assert (e.user, e.host, e.port, e.protocol, e.keyring_available) == (
        record.user, record.host, record.port, "ftp", False
    )  # fmt: skip
    assert describe(e).title == "Password needed"
    asked: list[ServerRecord] = []
    services.ask_password = lambda r: asked.append(r) or password
    factory = services.session_factory(record)
    with factory() as one, factory() as two:
        assert one.listdir("/") is not None and two.listdir("/") is not None
    services.session_factory(record)  # remembered for the session
    assert asked == [record]


def test_errors_carry_the_record_and_translate(
    services: Services, dovecot: DovecotServer, mail_user: tuple[str, str]
) -> None:
    user, _pw = mail_user
    account = Account("imap", dovecot.host, dovecot.imaps_port, user)
    with pytest.raises(AuthError) as ei:
        services.open_session(account, ConnectOptions(password="wrong"))
    e = ei.value
    assert (e.host, e.port, e.operation) == (dovecot.host, dovecot.imaps_port, "connect")
    text = describe(e)
    assert text.title == "Sign-in refused" and f"{dovecot.host}:{dovecot.imaps_port}" in text.explanation
    assert "wrong" not in text.detail.replace("wrong user name", "")


def test_untrusted_certificate_then_trusted(
    tmp_path: Path, dovecot: DovecotServer, mail_user: tuple[str, str], tls_material: TlsMaterial
) -> None:
    user, pw = mail_user
    account = Account("imap", dovecot.host, dovecot.imaps_port, user)
    with Services(AppPaths.in_dir(tmp_path / "p")) as services:  # no extra CA: the test CA is unknown
        with pytest.raises(QuayError) as ei:
            services.open_session(account, ConnectOptions(password=pw))
        text = describe(ei.value)
        assert text.kind == "UntrustedCertificate" and tls_material.fingerprint_sha256() in text.explanation
        services.trust_certificate(account.host, account.port, tls_material.fingerprint_sha256())
        session = services.open_session(account, ConnectOptions(password=pw))
        assert isinstance(session, ImapSession)
        session.logout()


def test_record_for_url_and_wrong_kinds(services: Services) -> None:
    a = services.record_for_url("imap://bob%40corp@h?starttls", kinds=("imap",))
    assert isinstance(a, Account) and (a.username, a.security, a.port) == ("bob@corp", Security.STARTTLS, 143)
    s = services.record_for_url("sftp://u:s3cr3t-pw@h:2222/x")
    assert isinstance(s, Site) and s.auth == "auto" and "s3cr3t-pw" not in repr(s) + s.name + s.to_url()
    assert services.secrets.get(s.secret_key, use_keyring=False) == "s3cr3t-pw"
    with pytest.raises(BadUrl) as ei:
        services.record_for_url("sftp://u:s3cr3t-pw@h/x", kinds=("imap",))
    assert "s3cr3t-pw" not in str(ei.value)
    with pytest.raises(BadRecord):
        services.record_for_url("imap://h")  # IMAP needs a user name
    with pytest.raises(BadRecord):
        services.imap_session(services.record_for_url("pop3s://u@h"))  # type: ignore[arg-type]


def test_app_paths_name_every_file_once(tmp_path: Path) -> None:
    p = AppPaths.in_dir(tmp_path)
    files = [
        p.mail_db, p.outbox_db, p.pop3_state_db, p.transfer_db, p.accounts_file, p.sites_file,
        p.settings_file, p.pins_file, p.known_hosts_file, p.protocol_log_file,
    ]  # fmt: skip
    assert len(set(files)) == len(files)
    assert all(f.is_relative_to(tmp_path) for f in files)


# Outside app/core, nothing builds a session, touches the keyring or names a data file: they call Services.
_FORBIDDEN = re.compile(
    r"\b(ImapSession|Pop3Session|SmtpSender|FtpSession|SftpSession|TftpSession|TransferQueue|SecretStore|PinStore"
    r"|HostKeyStore|AccountBook|SiteStore|Outbox|Pop3State)\(|Store\.open\(|\bimport keyring\b"
    r"|\bkeyring\.[a-z_]+\(|\.sqlite3\b|accounts\.json|sites\.json|certificate-pins|[\"'/]known_hosts[\"']|quay\.ini"
)
#: Known exception, reported to its owner: the GUI settings should use ``AppPaths.settings_file``.
_ALLOWED = {("app/ui/settings.py", "quay.ini")}


def test_only_the_core_builds_sessions_and_names_files() -> None:
    offenders = []
    sources = [p for p in (ROOT / "app").rglob("*.py") if "core" not in p.relative_to(ROOT / "app").parts[:1]]
    sources.append(ROOT / "scripts" / "demo.py")
    for path in sources:
        rel = path.relative_to(ROOT).as_posix()
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            for m in _FORBIDDEN.finditer(code):
                if (rel, m.group(0)) not in _ALLOWED and '"""' not in line and "``" not in line:
                    offenders.append(f"{rel}:{n}: {m.group(0)}")
    assert offenders == []
