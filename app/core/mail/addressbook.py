"""Address completion from the mail cache: people you exchange mail with, most frequent first.

One query over the cached headers (From of received mail, To/Cc of everything), grouped by
address; a person with several addresses appears once per address, each with the name most
often used for it, so the composer can show "An Nguyen <an@congty.vn>" and
"An Nguyen <an.nguyen@gmail.com>" side by side. Read-only: give it a read-only
:class:`~app.core.mail.store.Store` connection (WAL lets it read beside the writer).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from email.utils import getaddresses

__all__ = ["Contact", "frequent_contacts", "match_contacts"]

SCAN_LIMIT = 20000


@dataclass(frozen=True)
class Contact:
    """One address with its most used display name and how many cached messages mention it."""

    name: str
    address: str
    count: int

    def display(self) -> str:
        if not self.name or self.name == self.address:
            return self.address
        name = f'"{self.name}"' if any(c in self.name for c in ',;<>@"') else self.name
        return f"{name} <{self.address}>"


def frequent_contacts(conn: sqlite3.Connection, *, limit: int = 5000) -> list[Contact]:
    """All addresses of the newest :data:`SCAN_LIMIT` cached messages, most frequent first."""
    counts: Counter[str] = Counter()
    names: dict[str, Counter[str]] = {}
    rows = conn.execute(
        "SELECT from_name, from_addr, to_addrs, cc_addrs FROM messages ORDER BY id DESC LIMIT ?", (SCAN_LIMIT,)
    ).fetchall()
    for from_name, from_addr, to_addrs, cc_addrs in rows:
        pairs = [(from_name or "", from_addr or "")]
        pairs += getaddresses([to_addrs or "", cc_addrs or ""])
        for name, addr in pairs:
            addr = addr.strip()
            if "@" not in addr:
                continue
            key = addr.lower()
            counts[key] += 1
            if name.strip():
                names.setdefault(key, Counter())[name.strip()] += 1
    out = []
    for key, n in counts.most_common(limit):
        best = names.get(key)
        out.append(Contact(best.most_common(1)[0][0] if best else "", key, n))
    return out


def match_contacts(contacts: list[Contact], typed: str, *, limit: int = 12) -> list[Contact]:
    """Contacts whose name or address contains ``typed`` (case- and accent-insensitive), keeping frequency order."""
    needle = _fold(typed.strip())
    if not needle:
        return []
    hits = [c for c in contacts if needle in _fold(c.address) or needle in _fold(c.name)]
    # Addresses sharing a hit's display name come along: one person's several addresses side by side.
    names = {c.name for c in hits if c.name}
    extra = [c for c in contacts if c.name in names and c not in hits]
    ordered = sorted([*hits, *extra], key=lambda c: -c.count)
    return ordered[:limit]


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
