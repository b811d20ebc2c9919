"""URL / Site -> session factory."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.transfer.connect import BadUrl, ConnectOptions, make_session, parse_url
from app.core.transfer.ftp import FtpSession
from app.core.transfer.hostkeys import HostKeyStore
from app.core.transfer.sftp import SftpSession
from app.core.transfer.sites import Site
from app.core.transfer.tftp import TftpSession


def test_schemes_pick_the_right_session() -> None:
    opts = ConnectOptions(host_keys=HostKeyStore(None, []))
    ftp = make_session("ftp://bob@127.0.0.1/dir", opts)
    assert isinstance(ftp, FtpSession) and ftp.security == "none" and ftp.port == 21
    ftps = make_session("ftps://bob@127.0.0.1:2121/", opts)
    assert isinstance(ftps, FtpSession) and ftps.security == "explicit" and ftps.port == 2121
    ftpsi = make_session("ftpsi://bob@127.0.0.1/", opts)
    assert isinstance(ftpsi, FtpSession) and ftpsi.security == "implicit" and ftpsi.port == 990
    sftp = make_session("sftp://bob@127.0.0.1:2222/x", opts)
    assert isinstance(sftp, SftpSession) and (sftp.host, sftp.port, sftp.user) == ("127.0.0.1", 2222, "bob")
    assert isinstance(make_session("tftp://127.0.0.1/f", opts), TftpSession)
    site = Site(name="s", protocol="ftps", host="127.0.0.1", port=2121, user="u", passive=False, encoding="cp1251")
    fs = make_session(site, opts)
    assert isinstance(fs, FtpSession) and fs.passive is False and fs.encoding == "cp1251"


def test_url_parsing() -> None:
    u = parse_url("sftp://us%40er:p%40ss@[::1]:2200/a%20b/c")
    assert (u.scheme, u.user, u.host, u.port, u.path, u.password) == ("sftp", "us@er", "::1", 2200, "/a b/c", "p@ss")
    assert "p@ss" not in repr(u) and "p@ss" not in u.display()
    for bad in ("http://x/", "ftp:///nohost", "ftp://h:99999/"):
        with pytest.raises(BadUrl):
            parse_url(bad)


@given(st.text(max_size=60))
def test_parse_url_fails_only_with_bad_url(text: str) -> None:
    try:
        parse_url(text)
    except BadUrl:
        pass
