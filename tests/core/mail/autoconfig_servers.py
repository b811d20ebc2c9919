"""Loopback stand-ins for the internet the account wizard asks: a DNS server (dnslib) and an HTTPS autoconfig server.

Both speak the real protocols on 127.0.0.1 (DNS over UDP on a free port; HTTPS with a
certificate from a per-test trustme CA), so discovery is exercised end to end without
touching the internet.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dns.resolver
import trustme
from dnslib.server import DNSLogger, DNSServer
from dnslib.zoneresolver import ZoneResolver

from tests.servers.common import LOOPBACK, free_udp_port


@contextmanager
def dns_server(zone: str) -> Iterator[dns.resolver.Resolver]:
    """Serve ``zone`` (master-file text) on a loopback UDP port; yield a dnspython resolver pointed at it."""
    port = free_udp_port()
    server = DNSServer(
        ZoneResolver(zone), address=LOOPBACK, port=port, logger=DNSLogger(log="-request,-reply,-truncated,-data")
    )
    server.start_thread()
    try:
        res = dns.resolver.Resolver(configure=False)
        res.nameservers = [LOOPBACK]
        res.port = port
        res.lifetime = 2.0
        res.timeout = 2.0
        yield res
    finally:
        server.stop()
        server.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    docs: dict[str, bytes] = {}
    seen: list[str] = []

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0]
        self.seen.append(f"{host}{self.path}")
        body = self.docs.get(f"{host}{self.path.split('?')[0]}")
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class HttpsAutoconfigServer:
    """HTTPS on a loopback port with a certificate for the given names, issued by its own test CA."""

    def __init__(self, tmp: Path, names: list[str]) -> None:
        self.ca = trustme.CA(organization_name="Quay autoconfig test CA")
        leaf = self.ca.issue_cert(*names)
        self.ca_file = tmp / "autoconfig-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        leaf.configure_cert(ctx)
        handler = type("H", (_Handler,), {"docs": {}, "seen": []})
        self.handler = handler
        self.httpd = ThreadingHTTPServer((LOOPBACK, 0), handler)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.port = int(self.httpd.server_address[1])
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def put(self, host_and_path: str, body: bytes) -> None:
        self.handler.docs[host_and_path] = body

    @property
    def seen(self) -> list[str]:
        return list(self.handler.seen)

    def __enter__(self) -> HttpsAutoconfigServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def autoconfig_xml(imap_host: str, imap_port: int, smtp_host: str, smtp_port: int, name: str = "Example") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.test">
    <domain>example.test</domain>
    <displayName>{name}</displayName>
    <incomingServer type="imap">
      <hostname>{imap_host}</hostname>
      <port>{imap_port}</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>{imap_host}</hostname>
      <port>995</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>{smtp_host}</hostname>
      <port>{smtp_port}</port>
      <socketType>STARTTLS</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
""".encode()
