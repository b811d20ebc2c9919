"""Settings discovery without the internet: bundled data, HTTPS autoconfig, SRV, MX, probing (real servers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.mail.autoconfig import (
    AutoconfigError,
    Discovery,
    HttpsFetcher,
    Prober,
    ServerSettings,
    dns_resolve,
    expand_username,
    from_bundled,
    parse_autoconfig,
    split_address,
)
from tests.core.mail.autoconfig_servers import HttpsAutoconfigServer, autoconfig_xml, dns_server
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer

ZONE_BASE = """
$ORIGIN example.test.
$TTL 60
@        IN SOA ns.example.test. admin.example.test. 1 60 60 60 60
"""


def test_bundled_gmail_needs_no_network() -> None:
    s = from_bundled("Someone@GMail.com")
    assert s is not None and s.source == "bundled" and s.oauth2
    assert s.incoming[0] == ServerSettings("imap", "imap.gmail.com", 993, "tls", "Someone@GMail.com")
    assert s.outgoing[0].host == "smtp.gmail.com"
    # Discovery answers from the table at once, before any network source is even started.
    r = Discovery(fetch=lambda url: pytest.fail("no fetch for a bundled domain")).run("a@yahoo.com.vn")
    assert r.settings is not None and r.settings.provider == "Yahoo Mail" and r.tried == {"bundled": "found"}


def test_icloud_user_name_is_the_local_part() -> None:
    s = from_bundled("nam@icloud.com")
    assert s is not None and s.incoming[0].username == "nam"


@pytest.mark.parametrize("bad", ["", "no-at", "@example.test", "a@", "a@localhost", "a b@x.vn"])
def test_split_address_refuses_non_addresses(bad: str) -> None:
    with pytest.raises(ValueError):
        split_address(bad)


def test_parse_autoconfig_expands_placeholders_and_orders_imap_first() -> None:
    s = parse_autoconfig(autoconfig_xml("mail.%EMAILDOMAIN%", 993, "smtp.example.test", 587), "lan@example.test")
    assert [x.kind for x in s.incoming] == ["imap", "pop3"]
    assert s.incoming[0] == ServerSettings("imap", "mail.example.test", 993, "tls", "lan")
    assert s.outgoing == [ServerSettings("smtp", "smtp.example.test", 587, "starttls", "lan")]
    assert s.provider == "Example"


def test_parse_autoconfig_skips_unusable_servers() -> None:
    doc = b"""<clientConfig><emailProvider id="x">
      <incomingServer type="exchange"><hostname>h</hostname><port>443</port><socketType>SSL</socketType>
      </incomingServer>
      <incomingServer type="imap"><hostname>h</hostname><port>99999</port><socketType>SSL</socketType></incomingServer>
      <incomingServer type="imap"><hostname>h</hostname><port>993</port><socketType>weird</socketType></incomingServer>
      <outgoingServer type="smtp"><hostname>s</hostname><port>465</port><socketType>SSL</socketType>
        <authentication>OAuth2</authentication></outgoingServer>
    </emailProvider></clientConfig>"""
    s = parse_autoconfig(doc, "a@x.vn")
    assert s.incoming == [] and s.outgoing[0].auth == "oauth2" and s.oauth2
    with pytest.raises(AutoconfigError):
        parse_autoconfig(b"<clientConfig><emailProvider/></clientConfig>", "a@x.vn")
    with pytest.raises(AutoconfigError):
        parse_autoconfig(b"<html>not it</html>", "a@x.vn")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: f"<clientConfig>{t}</clientConfig>".encode()))
def test_parse_autoconfig_never_fails_with_anything_but_its_error(data: bytes) -> None:
    try:
        s = parse_autoconfig(data, "x@example.test")
    except AutoconfigError:
        return
    for server in [*s.incoming, *s.outgoing]:
        assert 0 < server.port < 65536 and server.security in ("tls", "starttls", "none")


def test_expand_username() -> None:
    assert expand_username("%EMAILLOCALPART%@%EMAILDOMAIN%", "x.y@Example.TEST") == "x.y@example.test"


def test_https_autoconfig_with_verified_certificate(tmp_path: Path) -> None:
    names = ["autoconfig.example.test", "example.test"]
    with HttpsAutoconfigServer(tmp_path, names) as srv:
        srv.put("autoconfig.example.test/mail/config-v1.1.xml", autoconfig_xml("imap.example.test", 993, "s", 465))
        host_map = {n: ("127.0.0.1", srv.port) for n in names}
        with dns_server(ZONE_BASE) as resolver:
            d = Discovery(resolver=resolver, fetch=HttpsFetcher(cafile=str(srv.ca_file), host_map=host_map))
            d.prober.timeout = 0.5
            r = d.run("lan@example.test")
        assert r.settings is not None and r.settings.source == "autoconfig", r.tried
        assert r.settings.incoming[0].host == "imap.example.test"
        assert any("emailaddress=lan@example.test" in u for u in srv.seen)
        # The same server without trusting its CA: refused, nothing found from it.
        untrusted = HttpsFetcher(host_map=host_map)
        with pytest.raises(OSError):
            untrusted("https://autoconfig.example.test/mail/config-v1.1.xml")


def test_https_fetch_refuses_plain_http() -> None:
    with pytest.raises(AutoconfigError):
        HttpsFetcher()("http://autoconfig.example.test/mail/config-v1.1.xml")


def test_well_known_url_is_the_fallback(tmp_path: Path) -> None:
    with HttpsAutoconfigServer(tmp_path, ["example.test", "autoconfig.example.test"]) as srv:
        srv.put(
            "example.test/.well-known/autoconfig/mail/config-v1.1.xml", autoconfig_xml("wk.example.test", 993, "s", 465)
        )
        fetch = HttpsFetcher(
            cafile=str(srv.ca_file),
            host_map={"example.test": ("127.0.0.1", srv.port), "autoconfig.example.test": ("127.0.0.1", srv.port)},
        )
        with dns_server(ZONE_BASE) as resolver:
            d = Discovery(resolver=resolver, fetch=fetch)
            d.prober.timeout = 0.5
            r = d.run("lan@example.test")
    assert r.settings is not None and r.settings.incoming[0].host == "wk.example.test"


def _no_fetch(url: str) -> bytes:
    raise OSError("no autoconfig here")


def test_srv_records_from_a_local_dns_server() -> None:
    zone = (
        ZONE_BASE
        + """
_imaps._tcp     IN SRV 0 1 993 imap.example.test.
_imap._tcp      IN SRV 0 1 143 imap.example.test.
_pop3s._tcp     IN SRV 0 0 0 .
_submission._tcp IN SRV 5 1 587 smtp.example.test.
_submissions._tcp IN SRV 0 1 465 smtp.example.test.
"""
    )
    with dns_server(zone) as resolver:
        d = Discovery(resolver=resolver, fetch=_no_fetch)
        d.prober.timeout = 0.5
        r = d.run("an@example.test")
    assert r.settings is not None and r.settings.source == "srv", r.tried
    assert r.settings.incoming[0] == ServerSettings("imap", "imap.example.test", 993, "tls", "an@example.test")
    assert [s.kind for s in r.settings.incoming] == ["imap", "imap"]  # the "." target means no POP3
    assert r.settings.outgoing[0].port == 465 and r.settings.outgoing[1].security == "starttls"
    assert r.tried["autoconfig"] == "nothing"


def test_mx_of_a_custom_domain_reveals_google_workspace() -> None:
    zone = ZONE_BASE.replace("example.test", "congty.vn") + (
        "@ IN MX 1 aspmx.l.google.com.\n@ IN MX 5 alt1.aspmx.l.google.com.\n"
    )
    with dns_server(zone) as resolver:
        r = Discovery(resolver=resolver, fetch=_no_fetch).run("ke.toan@congty.vn")
    assert r.settings is not None and r.settings.source == "mx", r.tried
    assert r.settings.provider_id == "google-workspace" and r.settings.oauth2
    assert r.settings.incoming[0].username == "ke.toan@congty.vn"


def test_mx_for_microsoft_365() -> None:
    zone = ZONE_BASE.replace("example.test", "cty.com.vn") + "@ IN MX 0 cty-com-vn.mail.protection.outlook.com.\n"
    with dns_server(zone) as resolver:
        r = Discovery(resolver=resolver, fetch=_no_fetch).run("a@cty.com.vn")
    assert r.settings is not None and r.settings.provider_id == "office365"
    assert r.settings.outgoing[0].host == "smtp.office365.com"


def test_probing_finds_the_real_servers(dovecot: DovecotServer, smtp_server: SmtpServer) -> None:
    """mail.<domain> resolves (through the local DNS server) to the fixtures; ports are mapped to theirs."""
    zone = ZONE_BASE + "mail IN A 127.0.0.1\n"
    port_map = {
        993: dovecot.imaps_port,
        143: dovecot.imap_port,
        995: dovecot.pop3s_port,
        110: dovecot.pop3_port,
        465: smtp_server.smtps_port,
        587: smtp_server.submission_port,
    }
    with dns_server(zone) as resolver:
        prober = Prober(dns_resolve(resolver), port_map=port_map, timeout=2.0)
        r = Discovery(resolver=resolver, fetch=_no_fetch, prober=prober).run("alice@example.test")
    assert r.settings is not None and r.settings.source == "probe", r.tried
    imap = r.settings.incoming[0]
    assert (imap.kind, imap.host, imap.port, imap.security) == ("imap", "mail.example.test", dovecot.imaps_port, "tls")
    assert [s.kind for s in r.settings.incoming] == ["imap", "pop3"]
    smtp = r.settings.outgoing[0]
    assert (smtp.host, smtp.port, smtp.security) == ("mail.example.test", smtp_server.smtps_port, "tls")


def test_autoconfig_beats_srv_when_both_answer(tmp_path: Path) -> None:
    zone = ZONE_BASE + "_imaps._tcp IN SRV 0 1 993 srv-imap.example.test.\n"
    with HttpsAutoconfigServer(tmp_path, ["autoconfig.example.test"]) as srv:
        srv.put("autoconfig.example.test/mail/config-v1.1.xml", autoconfig_xml("ac-imap.example.test", 993, "s", 465))
        fetch = HttpsFetcher(cafile=str(srv.ca_file), host_map={"autoconfig.example.test": ("127.0.0.1", srv.port)})
        with dns_server(zone) as resolver:
            r = Discovery(resolver=resolver, fetch=fetch).run("x@example.test")
    assert r.settings is not None and r.settings.incoming[0].host == "ac-imap.example.test"


def test_nothing_found_says_what_was_tried() -> None:
    with dns_server(ZONE_BASE) as resolver:
        d = Discovery(resolver=resolver, fetch=_no_fetch)
        d.prober.timeout = 0.3
        r = d.run("x@example.test")
    assert r.settings is None
    assert set(r.tried) >= {"bundled", "autoconfig", "srv", "mx", "probe"}
