"""Bundled mail settings of major providers, and MX host suffixes that reveal who hosts a custom domain.

These are published facts (each provider's own help pages), kept as plain data so
the account wizard can answer at once, without touching the network, for the
addresses most people have. ``username`` is a template: ``%EMAILADDRESS%``,
``%EMAILLOCALPART%``, ``%EMAILDOMAIN%`` (the placeholders of Thunderbird's
autoconfig format, so one expansion serves both).

``oauth2``: the provider refuses ordinary passwords for new sign-ins (Gmail,
Outlook.com/Microsoft 365) or wants an app password; ``note`` says what the user
can do until Quay speaks OAuth2.

Most mail in Vietnam lives on custom domains (``ten@congty.vn``) hosted by Google
Workspace, Microsoft 365, Zoho or a local hosting company running Zimbra, cPanel
or similar. No public provider list covers those domains, so
:data:`MX_PROVIDERS` maps the MX host's suffix to a provider entry, and hosts not
listed here are probed by name (the MX host itself first).
"""

from __future__ import annotations

from typing import Any

# Each entry: name, domains, incoming (preferred first), outgoing, optional oauth2/note.
# Server tuple: (kind, host, port, security, username template).
PROVIDERS: list[dict[str, Any]] = [
    {
        "id": "gmail",
        "name": "Gmail",
        "domains": ["gmail.com", "googlemail.com"],
        "incoming": [
            ("imap", "imap.gmail.com", 993, "tls", "%EMAILADDRESS%"),
            ("pop3", "pop.gmail.com", 995, "tls", "%EMAILADDRESS%"),
        ],
        "outgoing": [
            ("smtp", "smtp.gmail.com", 465, "tls", "%EMAILADDRESS%"),
            ("smtp", "smtp.gmail.com", 587, "starttls", "%EMAILADDRESS%"),
        ],
        "oauth2": True,
        "note": "google-app-password",
    },
    {
        "id": "outlook",
        "name": "Outlook.com",
        "domains": ["outlook.com", "hotmail.com", "live.com", "msn.com", "outlook.com.vn", "hotmail.co.uk"],
        "incoming": [
            ("imap", "outlook.office365.com", 993, "tls", "%EMAILADDRESS%"),
            ("pop3", "outlook.office365.com", 995, "tls", "%EMAILADDRESS%"),
        ],
        "outgoing": [("smtp", "smtp-mail.outlook.com", 587, "starttls", "%EMAILADDRESS%")],
        "oauth2": True,
        "note": "microsoft-oauth",
    },
    {
        "id": "office365",
        "name": "Microsoft 365",
        "domains": [],
        "incoming": [
            ("imap", "outlook.office365.com", 993, "tls", "%EMAILADDRESS%"),
            ("pop3", "outlook.office365.com", 995, "tls", "%EMAILADDRESS%"),
        ],
        "outgoing": [("smtp", "smtp.office365.com", 587, "starttls", "%EMAILADDRESS%")],
        "oauth2": True,
        "note": "microsoft-oauth",
    },
    {
        "id": "google-workspace",
        "name": "Google Workspace",
        "domains": [],
        "incoming": [
            ("imap", "imap.gmail.com", 993, "tls", "%EMAILADDRESS%"),
            ("pop3", "pop.gmail.com", 995, "tls", "%EMAILADDRESS%"),
        ],
        "outgoing": [("smtp", "smtp.gmail.com", 465, "tls", "%EMAILADDRESS%")],
        "oauth2": True,
        "note": "google-app-password",
    },
    {
        "id": "yahoo",
        "name": "Yahoo Mail",
        "domains": ["yahoo.com", "yahoo.com.vn", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr"],
        "incoming": [
            ("imap", "imap.mail.yahoo.com", 993, "tls", "%EMAILADDRESS%"),
            ("pop3", "pop.mail.yahoo.com", 995, "tls", "%EMAILADDRESS%"),
        ],
        "outgoing": [("smtp", "smtp.mail.yahoo.com", 465, "tls", "%EMAILADDRESS%")],
        "note": "app-password",
    },
    {
        "id": "icloud",
        "name": "iCloud Mail",
        "domains": ["icloud.com", "me.com", "mac.com"],
        "incoming": [("imap", "imap.mail.me.com", 993, "tls", "%EMAILLOCALPART%")],
        "outgoing": [("smtp", "smtp.mail.me.com", 587, "starttls", "%EMAILADDRESS%")],
        "note": "app-password",
    },
    {
        "id": "fastmail",
        "name": "Fastmail",
        "domains": ["fastmail.com", "fastmail.fm", "fastmail.net", "fastmail.org", "messagingengine.com"],
        "incoming": [
            ("imap", "imap.fastmail.com", 993, "tls", "%EMAILADDRESS%"),
            ("pop3", "pop.fastmail.com", 995, "tls", "%EMAILADDRESS%"),
        ],
        "outgoing": [("smtp", "smtp.fastmail.com", 465, "tls", "%EMAILADDRESS%")],
        "note": "app-password",
    },
    {
        "id": "zoho",
        "name": "Zoho Mail",
        "domains": ["zoho.com", "zohomail.com"],
        "incoming": [
            ("imap", "imap.zoho.com", 993, "tls", "%EMAILADDRESS%"),
            ("pop3", "pop.zoho.com", 995, "tls", "%EMAILADDRESS%"),
        ],
        "outgoing": [("smtp", "smtp.zoho.com", 465, "tls", "%EMAILADDRESS%")],
    },
    {
        "id": "zoho-business",
        "name": "Zoho Mail (business)",
        "domains": [],
        "incoming": [
            ("imap", "imappro.zoho.com", 993, "tls", "%EMAILADDRESS%"),
            ("pop3", "poppro.zoho.com", 995, "tls", "%EMAILADDRESS%"),
        ],
        "outgoing": [("smtp", "smtppro.zoho.com", 465, "tls", "%EMAILADDRESS%")],
    },
    {
        "id": "gmx-com",
        "name": "GMX",
        "domains": ["gmx.com", "gmx.us", "gmx.co.uk"],
        "incoming": [
            ("imap", "imap.gmx.com", 993, "tls", "%EMAILADDRESS%"),
            ("pop3", "pop.gmx.com", 995, "tls", "%EMAILADDRESS%"),
        ],
        "outgoing": [("smtp", "mail.gmx.com", 587, "starttls", "%EMAILADDRESS%")],
    },
    {
        "id": "gmx-net",
        "name": "GMX",
        "domains": ["gmx.net", "gmx.de", "gmx.at", "gmx.ch"],
        "incoming": [
            ("imap", "imap.gmx.net", 993, "tls", "%EMAILADDRESS%"),
            ("pop3", "pop.gmx.net", 995, "tls", "%EMAILADDRESS%"),
        ],
        "outgoing": [("smtp", "mail.gmx.net", 587, "starttls", "%EMAILADDRESS%")],
    },
    {
        "id": "yandex",
        "name": "Yandex Mail",
        "domains": ["yandex.com", "yandex.ru", "ya.ru", "yandex.ua", "yandex.by", "yandex.kz"],
        "incoming": [
            ("imap", "imap.yandex.com", 993, "tls", "%EMAILADDRESS%"),
            ("pop3", "pop.yandex.com", 995, "tls", "%EMAILADDRESS%"),
        ],
        "outgoing": [("smtp", "smtp.yandex.com", 465, "tls", "%EMAILADDRESS%")],
        "note": "app-password",
    },
    {
        "id": "aol",
        "name": "AOL Mail",
        "domains": ["aol.com", "aim.com"],
        "incoming": [
            ("imap", "imap.aol.com", 993, "tls", "%EMAILADDRESS%"),
            ("pop3", "pop.aol.com", 995, "tls", "%EMAILADDRESS%"),
        ],
        "outgoing": [("smtp", "smtp.aol.com", 465, "tls", "%EMAILADDRESS%")],
        "note": "app-password",
    },
]

#: MX host suffix -> provider id. The first match wins; compare lower-case, without the trailing dot.
MX_PROVIDERS: list[tuple[str, str]] = [
    ("aspmx.l.google.com", "google-workspace"),
    ("googlemail.com", "google-workspace"),
    ("google.com", "google-workspace"),
    ("mail.protection.outlook.com", "office365"),
    ("olc.protection.outlook.com", "outlook"),
    ("zoho.com", "zoho-business"),
    ("zohomail.com", "zoho-business"),
    ("messagingengine.com", "fastmail"),
    ("yahoodns.net", "yahoo"),
    ("icloud.com", "icloud"),
    ("yandex.net", "yandex"),
    ("yandex.ru", "yandex"),
    ("gmx.net", "gmx-net"),
]


def provider_by_id(provider_id: str) -> dict[str, Any] | None:
    for p in PROVIDERS:
        if p["id"] == provider_id:
            return p
    return None


def provider_for_domain(domain: str) -> dict[str, Any] | None:
    d = domain.lower().rstrip(".")
    for p in PROVIDERS:
        if d in p["domains"]:
            return p
    return None


def provider_for_mx(mx_host: str) -> dict[str, Any] | None:
    h = mx_host.lower().rstrip(".")
    for suffix, pid in MX_PROVIDERS:
        if h == suffix or h.endswith("." + suffix):
            return provider_by_id(pid)
    return None
