"""Identities: the From addresses of an account, each with its own signature and optionally its own SMTP server."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import getaddresses

from app.core.accounts import Account, AccountIdentity
from app.core.errors import BadRecord
from app.core.mail.mime import Compose, parse_message
from app.core.mail.smtp import SmtpConfig

SIGNATURE_SEPARATOR = "-- \n"  # RFC 3676 §4.3: dash dash space


@dataclass
class Identity:
    """One "send as" address. ``smtp`` overrides the account's server when set."""

    address: str
    name: str = ""
    signature: str = ""
    reply_to: str | None = None
    smtp: SmtpConfig | None = None

    def from_header(self) -> str:
        """``Name <addr>`` with proper quoting (encoded words come later, at serialization)."""
        if not self.name:
            return self.address
        try:
            return str(Address(display_name=self.name, addr_spec=self.address))
        except (ValueError, IndexError):
            return self.address

    def apply(self, c: Compose) -> Compose:
        """Set From/Reply-To and append the signature (once) to the text body."""
        c.from_addr = self.from_header()
        if self.reply_to:
            c.reply_to = self.reply_to
        if self.signature and SIGNATURE_SEPARATOR + self.signature not in c.text:
            sep = "" if not c.text or c.text.endswith("\n") else "\n"
            c.text = f"{c.text}{sep}\n{SIGNATURE_SEPARATOR}{self.signature}"
        return c


def identities_for(account: Account, smtp_for: Callable[[str], SmtpConfig | None] | None = None) -> list[Identity]:
    """The account's identities (its saved ones, else one from its address, name and signature).

    ``smtp_for(key)`` turns an identity's ``smtp_account`` key into a server (the services
    layer passes its own lookup); without it, identities use the account's server.
    """
    records = account.identities or [
        AccountIdentity(
            address=account.email or account.username, name=account.display_name, signature=account.signature
        )
    ]
    out: list[Identity] = []
    for rec in records:
        smtp = smtp_for(rec.smtp_account) if smtp_for is not None and rec.smtp_account else None
        out.append(Identity(rec.address, rec.name, rec.signature, rec.reply_to or None, smtp))
    return out


def identity_for_reply(identities: Sequence[Identity], original: bytes) -> Identity:
    """The identity the original was addressed to (To, Cc, Delivered-To, X-Original-To), else the first."""
    if not identities:
        raise BadRecord("An account needs at least one identity (a From address).", field="identities")
    p = parse_message(original)
    extra: list[str] = []
    head = original.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    for line in head.splitlines():
        low = line.lower()
        if low.startswith((b"delivered-to:", b"x-original-to:")):
            extra.append(line.split(b":", 1)[1].decode("utf-8", "replace").strip())
    addressed = {a.lower() for _, a in getaddresses([*p.to, *p.cc, *extra]) if a}
    for ident in identities:
        if ident.address.lower() in addressed:
            return ident
    return identities[0]
