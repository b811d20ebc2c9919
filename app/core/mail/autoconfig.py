"""Find the IMAP/POP3/SMTP settings of an e-mail address, fastest source first, the slow ones in parallel.

Sources, most trusted first (:data:`SOURCES`):

1. ``bundled`` — :mod:`app.core.mail.providers` (no network at all).
2. ``autoconfig`` — the domain's own Thunderbird-format file over HTTPS with a verified
   certificate: ``https://autoconfig.<domain>/mail/config-v1.1.xml`` and
   ``https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml``. Never plain HTTP:
   a forged answer would send the password elsewhere.
3. ``srv`` — RFC 6186 SRV records (``_imaps._tcp``, ``_imap._tcp``, ``_pop3s._tcp``,
   ``_pop3._tcp``, ``_submissions._tcp`` (RFC 8314), ``_submission._tcp``) through dnspython.
4. ``mx`` — the MX host reveals the hosting provider (Google Workspace, Microsoft 365,
   Zoho, ...): :data:`app.core.mail.providers.MX_PROVIDERS`.
5. ``probe`` — connect to ``imap.``/``mail.``/``pop.``/``smtp.`` names (and the MX host)
   on the usual ports with a short timeout and read the greeting.

:class:`Discovery` starts 2-5 together and returns as soon as the best source that can
still answer has answered (a later, less trusted answer never overrides an earlier,
better one). Everything that touches the network is injectable: the DNS resolver
(a dnspython ``Resolver`` pointed at a loopback DNS server in tests), the HTTPS fetch
(:class:`HttpsFetcher` with a test CA and a host map) and the TCP connect used by probing.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from app.core.mail.providers import provider_for_domain, provider_for_mx

if TYPE_CHECKING:
    import dns.resolver

__all__ = [
    "SOURCES",
    "AutoconfigError",
    "Discovery",
    "DiscoveryResult",
    "HttpsFetcher",
    "MailSettings",
    "ServerSettings",
    "expand_username",
    "from_bundled",
    "parse_autoconfig",
    "split_address",
]

SOURCES = ("bundled", "autoconfig", "srv", "mx", "probe")
MAX_XML = 256 * 1024

Connector = Callable[[tuple[str, int], float], socket.socket]
Fetch = Callable[[str], bytes]


class AutoconfigError(ValueError):
    """An autoconfig document we cannot use (not XML, no usable server, too large)."""


@dataclass(frozen=True)
class ServerSettings:
    """One server: ``kind`` imap/pop3/smtp, ``security`` tls/starttls/none, ``username`` already expanded."""

    kind: str
    host: str
    port: int
    security: str
    username: str
    auth: str = "password"


@dataclass
class MailSettings:
    """What a source found: incoming servers (preferred first, IMAP before POP3) and outgoing servers."""

    source: str
    incoming: list[ServerSettings] = field(default_factory=list)
    outgoing: list[ServerSettings] = field(default_factory=list)
    provider: str = ""
    provider_id: str = ""
    oauth2: bool = False
    note: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.incoming) and bool(self.outgoing)


@dataclass
class DiscoveryResult:
    """The chosen settings (or None) and what every source said, for the wizard's "details" line."""

    settings: MailSettings | None
    tried: dict[str, str] = field(default_factory=dict)  # source -> "found" / "nothing" / error text
    seconds: float = 0.0


def split_address(email: str) -> tuple[str, str]:
    """``local@domain`` -> (local, domain lower-case); ValueError if it is not an address."""
    local, at, domain = email.strip().rpartition("@")
    domain = domain.strip().lower().rstrip(".")
    if not at or not local or not domain or "." not in domain or any(c.isspace() for c in email.strip()):
        raise ValueError(f"{email!r} is not an e-mail address")
    return local, domain


def expand_username(template: str, email: str) -> str:
    local, domain = split_address(email)
    return (
        template.replace("%EMAILADDRESS%", email.strip())
        .replace("%EMAILLOCALPART%", local)
        .replace("%EMAILDOMAIN%", domain)
    )


def _settings_from_provider(p: dict[str, Any], email: str, source: str) -> MailSettings:
    def servers(rows: Iterable[tuple[str, str, int, str, str]]) -> list[ServerSettings]:
        return [ServerSettings(k, h, port, sec, expand_username(u, email)) for k, h, port, sec, u in rows]

    return MailSettings(
        source=source,
        incoming=servers(p["incoming"]),
        outgoing=servers(p["outgoing"]),
        provider=str(p["name"]),
        provider_id=str(p["id"]),
        oauth2=bool(p.get("oauth2", False)),
        note=str(p.get("note", "")),
    )


def from_bundled(email: str) -> MailSettings | None:
    """The bundled settings for the address's domain, or None."""
    _, domain = split_address(email)
    p = provider_for_domain(domain)
    return _settings_from_provider(p, email, "bundled") if p else None


# ------------------------------------------------------------------ autoconfig XML

_SOCKET_TYPES = {"ssl": "tls", "tls": "tls", "starttls": "starttls", "plain": "none"}
_AUTH_OK = {"password-cleartext", "password-encrypted", "plain", "secure", ""}


def parse_autoconfig(xml: bytes | str, email: str) -> MailSettings:
    """Parse Thunderbird's ``config-v1.1.xml`` for ``email`` (raises :class:`AutoconfigError` when unusable).

    Only servers with a known socket type and a password or OAuth2 method are kept;
    ``%EMAILADDRESS%``-style placeholders in host names and user names are expanded.
    """
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    if len(data) > MAX_XML:
        raise AutoconfigError("the autoconfig document is too large")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise AutoconfigError(f"the autoconfig document is not XML: {e}") from None
    if root.tag != "clientConfig":
        raise AutoconfigError("the autoconfig document has no clientConfig")
    provider = root.find("emailProvider")
    if provider is None:
        raise AutoconfigError("the autoconfig document has no emailProvider")
    out = MailSettings(source="autoconfig", provider=(provider.findtext("displayName") or "").strip())
    for el in provider:
        if el.tag not in ("incomingServer", "outgoingServer"):
            continue
        server = _server_from_xml(el, email)
        if server is None:
            continue
        if server.auth == "oauth2":
            out.oauth2 = True
        (out.incoming if el.tag == "incomingServer" else out.outgoing).append(server)
    out.incoming.sort(key=lambda s: (s.kind != "imap", s.security != "tls"))
    if not out.incoming and not out.outgoing:
        raise AutoconfigError("the autoconfig document lists no server Quay can use")
    return out


def _server_from_xml(el: ET.Element, email: str) -> ServerSettings | None:
    kind = (el.get("type") or "").lower()
    kind = {"pop3": "pop3", "imap": "imap", "smtp": "smtp"}.get(kind, "")
    if not kind or (el.tag == "outgoingServer") != (kind == "smtp"):
        return None
    host = expand_username((el.findtext("hostname") or "").strip(), email)
    port_text = (el.findtext("port") or "").strip()
    security = _SOCKET_TYPES.get((el.findtext("socketType") or "").strip().lower())
    if not host or not port_text.isdigit() or security is None:
        return None
    port = int(port_text)
    if not 0 < port < 65536:
        return None
    methods = [(a.text or "").strip().lower() for a in el.findall("authentication")]
    if methods and not any(m in _AUTH_OK or m == "oauth2" for m in methods):
        return None
    auth = "password" if not methods or any(m in _AUTH_OK for m in methods) else "oauth2"
    user = expand_username((el.findtext("username") or "%EMAILADDRESS%").strip(), email)
    return ServerSettings(kind, host, port, security, user, auth)


def autoconfig_urls(email: str) -> list[str]:
    _, domain = split_address(email)
    q = quote(email.strip(), safe="@")
    return [
        f"https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={q}",
        f"https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
    ]


class HttpsFetcher:
    """GET over HTTPS with a verified certificate (system trust, plus ``cafile``), no redirects, size-capped.

    ``host_map`` sends a host name to another ``(address, port)`` while still verifying the
    certificate for the name (tests point ``autoconfig.example.test`` at a loopback server).
    """

    def __init__(
        self,
        *,
        timeout: float = 6.0,
        cafile: str | None = None,
        host_map: dict[str, tuple[str, int]] | None = None,
    ) -> None:
        self.timeout = timeout
        self.context = ssl.create_default_context(cafile=cafile)
        self.context.minimum_version = ssl.TLSVersion.TLSv1_2
        self.host_map = {k.lower(): v for k, v in (host_map or {}).items()}

    def __call__(self, url: str) -> bytes:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise AutoconfigError(f"refusing a non-HTTPS autoconfig URL {url!r}")
        host = parts.hostname
        address, port = self.host_map.get(host.lower(), (host, parts.port or 443))
        conn = _PinnedAddressHTTPS(host, address, port, self.context, self.timeout)
        try:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            conn.request("GET", path or "/", headers={"Host": host, "User-Agent": "Quay", "Accept": "text/xml"})
            resp = conn.getresponse()
            if resp.status != 200:
                raise AutoconfigError(f"{host} answered HTTP {resp.status}")
            data = resp.read(MAX_XML + 1)
            if len(data) > MAX_XML:
                raise AutoconfigError("the autoconfig document is too large")
            return data
        finally:
            conn.close()


class _PinnedAddressHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to ``address:port`` that verifies the certificate for ``host``."""

    def __init__(self, host: str, address: str, port: int, context: ssl.SSLContext, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._ctx = context

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._ctx.wrap_socket(raw, server_hostname=self.host)


# ------------------------------------------------------------------ DNS: SRV and MX

_SRV_SERVICES: list[tuple[str, str, str]] = [
    ("_imaps._tcp", "imap", "tls"),
    ("_imap._tcp", "imap", "starttls"),
    ("_pop3s._tcp", "pop3", "tls"),
    ("_pop3._tcp", "pop3", "starttls"),
    ("_submissions._tcp", "smtp", "tls"),
    ("_submission._tcp", "smtp", "starttls"),
]


def _resolve(resolver: dns.resolver.Resolver, name: str, rdtype: str) -> list[Any]:
    import dns.exception
    import dns.resolver

    try:
        return list(resolver.resolve(name, rdtype, lifetime=resolver.lifetime))
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.NoNameservers):
        return []
    except dns.exception.Timeout:
        return []


def srv_settings(email: str, resolver: dns.resolver.Resolver) -> MailSettings | None:
    """RFC 6186: one SRV query per service (in parallel); a target of ``.`` means "not offered"."""
    _, domain = split_address(email)
    found: dict[str, list[tuple[int, int, ServerSettings]]] = {"in": [], "out": []}
    with ThreadPoolExecutor(max_workers=len(_SRV_SERVICES), thread_name_prefix="quay-srv") as pool:
        answers = list(pool.map(lambda s: _resolve(resolver, f"{s[0]}.{domain}", "SRV"), _SRV_SERVICES))
    for (_, kind, security), records in zip(_SRV_SERVICES, answers, strict=True):
        for r in records:
            target = str(r.target).rstrip(".")
            if not target or r.port == 0:
                continue
            s = ServerSettings(kind, target, int(r.port), security, email.strip())
            rank = (0 if kind == "imap" else 1) if kind != "smtp" else (0 if security == "tls" else 1)
            found["out" if kind == "smtp" else "in"].append((int(r.priority), rank, s))
    if not found["in"] and not found["out"]:
        return None
    incoming = [s for _, _, s in sorted(found["in"], key=lambda t: (t[1], t[0], t[2].security != "tls"))]
    outgoing = [s for _, _, s in sorted(found["out"], key=lambda t: (t[1], t[0]))]
    return MailSettings(source="srv", incoming=incoming, outgoing=outgoing)


def mx_hosts(email: str, resolver: dns.resolver.Resolver) -> list[str]:
    """The domain's MX hosts, lowest preference first."""
    _, domain = split_address(email)
    records = _resolve(resolver, domain, "MX")
    records.sort(key=lambda r: int(r.preference))
    return [str(r.exchange).rstrip(".").lower() for r in records if str(r.exchange).rstrip(".")]


def mx_settings(email: str, hosts: list[str]) -> MailSettings | None:
    for h in hosts:
        p = provider_for_mx(h)
        if p is not None:
            s = _settings_from_provider(p, email, "mx")
            s.note = s.note or "mx"
            return s
    return None


# ------------------------------------------------------------------ probing

#: (kind, security, port) in the order a hit is preferred.
PROBE_PORTS: list[tuple[str, str, int]] = [
    ("imap", "tls", 993),
    ("imap", "starttls", 143),
    ("pop3", "tls", 995),
    ("pop3", "starttls", 110),
    ("smtp", "tls", 465),
    ("smtp", "starttls", 587),
]
_PREFIXES = {"imap": ("imap.", "mail.", ""), "pop3": ("pop.", "pop3.", "mail.", ""), "smtp": ("smtp.", "mail.", "")}


def _greeting_ok(kind: str, line: bytes) -> bool:
    if kind == "imap":
        return line.startswith((b"* OK", b"* PREAUTH"))
    if kind == "pop3":
        return line.startswith(b"+OK")
    return line.startswith(b"220")


def _read_line(sock: socket.socket) -> bytes:
    buf = b""
    while not buf.endswith(b"\n") and len(buf) < 4096:
        chunk = sock.recv(1024)
        if not chunk:
            break
        buf += chunk
    return buf


def _starttls_offered(kind: str, sock: socket.socket) -> bool:
    """Ask for the capability list on a plain connection; True when the upgrade is offered."""
    if kind == "imap":
        sock.sendall(b"p1 CAPABILITY\r\n")
        data = b""
        while b"p1 " not in data and len(data) < 65536:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return b"STARTTLS" in data.upper()
    if kind == "pop3":
        sock.sendall(b"CAPA\r\n")
        data = b""
        while not data.endswith(b"\r\n.\r\n") and not data.startswith(b"-ERR") and len(data) < 65536:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return b"STLS" in data.upper()
    sock.sendall(b"EHLO quay.invalid\r\n")
    data = b""
    while len(data) < 65536:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
        last = data.rstrip(b"\r\n").rsplit(b"\n", 1)[-1]
        if last[3:4] == b" ":
            break
    return b"STARTTLS" in data.upper()


class Prober:
    """Connects to candidate hosts with a short timeout; ``resolve`` turns a name into an address or None.

    ``port_map`` replaces the standard ports (tests run servers on free loopback ports);
    the settings found carry the real port.
    """

    def __init__(
        self,
        resolve: Callable[[str], str | None],
        *,
        connect: Connector | None = None,
        port_map: dict[int, int] | None = None,
        timeout: float = 3.0,
    ) -> None:
        self.resolve = resolve
        self.connect = connect or (lambda addr, t: socket.create_connection(addr, timeout=t))
        self.port_map = port_map or {}
        self.timeout = timeout

    def _try(self, host: str, kind: str, security: str, port: int) -> bool:
        address = self.resolve(host)
        if address is None:
            return False
        real = self.port_map.get(port, port)
        try:
            sock = self.connect((address, real), self.timeout)
        except OSError:
            return False
        try:
            sock.settimeout(self.timeout)
            if security == "tls":
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                # Only to recognise the protocol: the certificate is checked when the user tests the login.
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                sock = ctx.wrap_socket(sock, server_hostname=host)
            if not _greeting_ok(kind, _read_line(sock)):
                return False
            return security == "tls" or _starttls_offered(kind, sock)
        except (OSError, ssl.SSLError):
            return False
        finally:
            sock.close()

    def probe(self, email: str, extra_hosts: Iterable[str] = ()) -> MailSettings | None:
        """Try every candidate in parallel; keep, per kind, the best (host order, then port order) that answered."""
        _, domain = split_address(email)
        extras = [h for h in extra_hosts if h]
        jobs: list[tuple[int, int, str, str, str, int]] = []
        for port_rank, (kind, security, port) in enumerate(PROBE_PORTS):
            hosts = [*extras, *(p + domain for p in _PREFIXES[kind])]
            for host_rank, host in enumerate(dict.fromkeys(hosts)):
                jobs.append((host_rank, port_rank, host, kind, security, port))
        with ThreadPoolExecutor(max_workers=16, thread_name_prefix="quay-probe") as pool:
            ok = list(pool.map(lambda j: self._try(j[2], j[3], j[4], j[5]), jobs))
        hits = sorted(j for j, good in zip(jobs, ok, strict=True) if good)
        if not hits:
            return None
        out = MailSettings(source="probe")
        best: dict[str, tuple[int, int]] = {}
        for host_rank, port_rank, host, kind, security, port in sorted(hits, key=lambda j: (j[1] // 2, j[0], j[1])):
            if kind in best:
                continue
            best[kind] = (host_rank, port_rank)
            s = ServerSettings(kind, host, self.port_map.get(port, port), security, email.strip())
            (out.outgoing if kind == "smtp" else out.incoming).append(s)
        out.incoming.sort(key=lambda s: s.kind != "imap")
        return out


def system_resolve(host: str) -> str | None:
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return None
    return str(infos[0][4][0]) if infos else None


def dns_resolve(resolver: dns.resolver.Resolver) -> Callable[[str], str | None]:
    """A host -> IPv4/IPv6 address function over ``resolver`` (A first, then AAAA)."""

    def resolve(host: str) -> str | None:
        for rdtype in ("A", "AAAA"):
            answers = _resolve(resolver, host, rdtype)
            if answers:
                return str(answers[0].address)
        return None

    return resolve


# ------------------------------------------------------------------ the orchestra


class Discovery:
    """Runs the sources for one address; see the module docstring for the order and why.

    ``resolver``: a dnspython ``Resolver`` (default: the system's configuration);
    ``fetch``: the HTTPS GET (default :class:`HttpsFetcher`); ``prober``: a :class:`Prober`
    (default: probes through ``resolver``, or the system resolver without one).
    """

    def __init__(
        self,
        *,
        resolver: dns.resolver.Resolver | None = None,
        fetch: Fetch | None = None,
        prober: Prober | None = None,
        use_bundled: bool = True,
        timeout: float = 8.0,
    ) -> None:
        self._resolver = resolver
        self.fetch = fetch or HttpsFetcher()
        self._prober = prober
        self.use_bundled = use_bundled
        self.timeout = timeout
        self.cancelled = threading.Event()

    @property
    def resolver(self) -> dns.resolver.Resolver:
        if self._resolver is None:
            import dns.resolver

            try:
                self._resolver = dns.resolver.Resolver()
            except Exception:  # no resolv.conf (sandbox): an empty resolver that finds nothing
                self._resolver = dns.resolver.Resolver(configure=False)
            self._resolver.lifetime = 4.0
        return self._resolver

    @property
    def prober(self) -> Prober:
        if self._prober is None:
            self._prober = Prober(dns_resolve(self._resolver) if self._resolver is not None else system_resolve)
        return self._prober

    def _autoconfig(self, email: str) -> MailSettings | None:
        last: Exception | None = None
        for url in autoconfig_urls(email):
            try:
                return parse_autoconfig(self.fetch(url), email)
            except (OSError, AutoconfigError, http.client.HTTPException, ssl.SSLError) as e:
                last = e
        if last is not None and not isinstance(last, AutoconfigError | OSError):
            raise last
        return None

    def _mx_and_probe(self, email: str) -> tuple[MailSettings | None, MailSettings | None]:
        try:
            hosts = mx_hosts(email, self.resolver)
        except Exception:
            hosts = []
        mx = mx_settings(email, hosts)
        if mx is not None:
            return mx, None
        return None, self.prober.probe(email, extra_hosts=hosts[:1])

    def run(self, email: str, on_progress: Callable[[str, str], None] | None = None) -> DiscoveryResult:
        """Discover settings for ``email`` (blocking; call it on a worker). ``on_progress(source, outcome)``."""
        split_address(email)
        started = time.monotonic()
        tried: dict[str, str] = {}

        def note(source: str, outcome: str) -> None:
            tried[source] = outcome
            if on_progress is not None:
                on_progress(source, outcome)

        if self.use_bundled:
            bundled = from_bundled(email)
            note("bundled", "found" if bundled else "nothing")
            if bundled is not None:
                return DiscoveryResult(bundled, tried, time.monotonic() - started)
        results: dict[str, MailSettings | None] = {}
        pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="quay-discovery")
        futures: dict[Future[Any], str] = {
            pool.submit(self._autoconfig, email): "autoconfig",
            pool.submit(srv_settings, email, self.resolver): "srv",
            pool.submit(self._mx_and_probe, email): "mx+probe",
        }
        order = ["autoconfig", "srv", "mx", "probe"]
        pending = set(futures)
        deadline = started + self.timeout
        try:
            while pending and not self.cancelled.is_set():
                done, pending = wait(
                    pending, timeout=max(0.0, deadline - time.monotonic()), return_when=FIRST_COMPLETED
                )
                if not done:
                    break
                for fut in done:
                    name = futures[fut]
                    try:
                        value = fut.result()
                    except Exception as e:
                        value = None
                        note(name if name != "mx+probe" else "mx", f"{type(e).__name__}: {e}")
                    if name == "mx+probe":
                        mx, probed = value if isinstance(value, tuple) else (None, None)
                        results["mx"], results["probe"] = mx, probed
                        note("mx", "found" if mx else "nothing")
                        if mx is None:
                            note("probe", "found" if probed else "nothing")
                    else:
                        results[name] = value
                        note(name, "found" if value else "nothing")
                # The best source that answered wins once every better one has answered.
                for source in order:
                    if source not in results:
                        if source == "probe" and results.get("mx") is not None:
                            continue
                        break
                    if results[source] is not None:
                        return DiscoveryResult(results[source], tried, time.monotonic() - started)
            for source in order:
                if results.get(source) is not None:
                    return DiscoveryResult(results[source], tried, time.monotonic() - started)
            return DiscoveryResult(None, tried, time.monotonic() - started)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)


def with_username(settings: MailSettings, username: str) -> MailSettings:
    """The same settings with another user name on every server (the user edited it)."""
    return replace(
        settings,
        incoming=[replace(s, username=username) for s in settings.incoming],
        outgoing=[replace(s, username=username) for s in settings.outgoing],
    )
