"""IMAP response framing and a small tokenizer for the (non-bulk) responses.

A response is one line whose literals (``{n}\\r\\n`` + n bytes) were read
separately: :class:`Response` keeps the line text (with the ``{n}`` markers)
and the literal bodies in order, and :func:`tokenize` turns it into nested
Python values: atoms are ``str``, quoted strings and literals are ``bytes``,
``NIL`` is ``None``, parenthesized lists are ``list``. Bulk header FETCH
responses bypass this (see :mod:`app.core.mail.imap.fetch`).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Union

from app.core.errors import ProtocolError

Token = Union[str, bytes, None, list["Token"]]  # noqa: UP007 - a recursive alias needs Union at runtime

_ATOM_END = frozenset(b" ()\r\n")
_MAX_UID = 4294967295  # RFC 3501: nz-number is a 32-bit unsigned value


@dataclass
class Response:
    """One server response: ``tag`` is ``*``, ``+`` or the command tag; ``text`` follows the tag."""

    tag: str
    text: bytes
    literals: list[bytes] = field(default_factory=list)

    def tokens(self) -> list[Token]:
        return tokenize(self.text, self.literals)

    @property
    def status(self) -> str:
        """``OK``/``NO``/``BAD``/``BYE``/``PREAUTH`` for status responses, else the first word upper-cased."""
        return self.text.split(b" ", 1)[0].decode("ascii", "replace").upper()

    @property
    def code(self) -> str | None:
        """The bracketed response code of a status response (``UIDVALIDITY 3``, ``CAPABILITY ...``)."""
        m = re.match(rb"^\w+ \[([^\]]*)\]", self.text)
        return None if m is None else m.group(1).decode("utf-8", "replace")

    def human(self) -> str:
        """The server's words (for error messages), without tag and status."""
        s = self.text.decode("utf-8", "replace")
        parts = s.split(" ", 1)
        return parts[1] if len(parts) > 1 else s


def tokenize(text: bytes, literals: list[bytes] | None = None) -> list[Token]:
    """Parse response text into nested tokens (see the module docstring); raises ProtocolError if unbalanced."""
    lits = list(literals or [])
    lit_index = 0
    stack: list[list[Token]] = [[]]
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == 0x20 or c == 0x0D or c == 0x0A:
            i += 1
        elif c == 0x28:  # (
            new: list[Token] = []
            stack[-1].append(new)
            stack.append(new)
            i += 1
        elif c == 0x29:  # )
            if len(stack) == 1:
                raise ProtocolError("unbalanced ')' in server response", reply=text[:200].decode("utf-8", "replace"))
            stack.pop()
            i += 1
        elif c == 0x22:  # quoted string
            buf = bytearray()
            i += 1
            while i < n and text[i] != 0x22:
                if text[i] == 0x5C and i + 1 < n:
                    i += 1
                buf.append(text[i])
                i += 1
            if i >= n:
                raise ProtocolError("unterminated string in server response")
            stack[-1].append(bytes(buf))
            i += 1
        elif c == 0x7B:  # {n} literal marker
            j = text.find(b"}", i)
            if j < 0 or lit_index >= len(lits):
                raise ProtocolError("literal marker without literal data")
            stack[-1].append(lits[lit_index])
            lit_index += 1
            i = j + 1
        else:
            j = i
            depth = 0
            while j < n:
                cj = text[j]
                if cj == 0x5B:  # '[' : BODY[HEADER.FIELDS (A B)] is one atom
                    depth += 1
                elif cj == 0x5D and depth:
                    depth -= 1
                elif depth == 0 and cj in _ATOM_END:
                    break
                j += 1
            atom = text[i:j].decode("utf-8", "replace")
            stack[-1].append(None if atom.upper() == "NIL" else atom)
            i = j
    if len(stack) != 1:
        raise ProtocolError("unbalanced '(' in server response", reply=text[:200].decode("utf-8", "replace"))
    return stack[0]


def as_str(tok: Token) -> str:
    """A token that should be a string or atom, as text."""
    if tok is None:
        return ""
    if isinstance(tok, bytes):
        return tok.decode("utf-8", "replace")
    if isinstance(tok, str):
        return tok
    raise ProtocolError("expected a string, got a list")


class UidRanges:
    """A sequence set (``1:3,7,9:4294967295``) kept as ranges, never expanded unless asked.

    A hostile or careless server can name four billion UIDs in a few bytes (``VANISHED
    (EARLIER) 1:4294967295``, an ESEARCH ``ALL`` range, a COPYUID): membership, counting and
    position lookups work on the ranges; :meth:`expand` refuses to build more than a given
    number of UIDs. Ranges keep the order they were written in (COPYUID pairs its two sets by
    position); ``a:b`` with ``a > b`` counts down, as RFC 4315 allows.
    """

    __slots__ = ("_firsts", "_lasts", "_merged")

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        self._firsts = array("Q")
        self._lasts = array("Q")
        for a, b in ranges:
            self._firsts.append(a)
            self._lasts.append(b)
        self._merged: tuple[array[int], array[int]] | None = None

    @classmethod
    def parse(cls, text: str | bytes) -> UidRanges:
        """``1:3,7`` -> ranges; ProtocolError on anything that is not a UID sequence set (``*`` included)."""
        raw = text.decode("ascii", "replace") if isinstance(text, bytes) else text
        out = cls()
        if not raw:
            return out
        for part in raw.split(","):
            a, sep, b = part.partition(":")
            if not a.isdigit() or (sep and not b.isdigit()):
                raise ProtocolError(f"malformed UID set from the server: {raw[:80]!r}")
            first = int(a)
            last = int(b) if sep else first
            if not (0 < first <= _MAX_UID and 0 < last <= _MAX_UID):
                raise ProtocolError(f"UID out of range in {raw[:80]!r}")
            out._firsts.append(first)
            out._lasts.append(last)
        return out

    def __len__(self) -> int:
        """How many UIDs the set names (duplicates between ranges counted twice)."""
        return sum(abs(b - a) + 1 for a, b in zip(self._firsts, self._lasts, strict=True))

    def __bool__(self) -> bool:
        return len(self._firsts) > 0

    def ranges(self) -> Iterator[tuple[int, int]]:
        """The ranges as written, ``(first, last)``."""
        return zip(self._firsts, self._lasts, strict=True)

    def __contains__(self, uid: object) -> bool:
        if not isinstance(uid, int):
            return False
        los, his = self._merge()
        i = bisect_right(los, uid) - 1
        return i >= 0 and uid <= his[i]

    def _merge(self) -> tuple[array[int], array[int]]:
        if self._merged is None:
            spans = sorted((min(a, b), max(a, b)) for a, b in self.ranges())
            los, his = array("Q"), array("Q")
            for lo, hi in spans:
                if his and lo <= his[-1] + 1:
                    his[-1] = max(his[-1], hi)
                else:
                    los.append(lo)
                    his.append(hi)
            self._merged = (los, his)
        return self._merged

    def expand(self, limit: int) -> list[int]:
        """All UIDs in written order; ProtocolError (naming ``limit``) if there would be more than ``limit``."""
        total = len(self)
        if total > limit:
            raise ProtocolError(
                f"The server named {total} UIDs where at most {limit} can exist; not expanding them.",
                reply=f"{total} UIDs",
            )
        out: list[int] = []
        for a, b in self.ranges():
            out.extend(range(a, b + 1) if a <= b else range(a, b - 1, -1))
        return out

    def position(self, uid: int) -> int | None:
        """Where ``uid`` stands in written order (0-based), or None if it is not in the set."""
        before = 0
        for a, b in self.ranges():
            if a <= b and a <= uid <= b:
                return before + uid - a
            if a > b and b <= uid <= a:
                return before + a - uid
            before += abs(b - a) + 1
        return None

    def at(self, index: int) -> int | None:
        """The UID at position ``index`` in written order, or None past the end."""
        for a, b in self.ranges():
            n = abs(b - a) + 1
            if index < n:
                return a + index if a <= b else a - index
            index -= n
        return None


def sequence_set(uids: list[int] | set[int]) -> str:
    """Compress UIDs into an IMAP sequence set: [1, 2, 3, 7] -> ``1:3,7``."""
    s = sorted(set(uids))
    if not s:
        return ""
    parts: list[str] = []
    start = prev = s[0]
    for u in s[1:]:
        if u == prev + 1:
            prev = u
            continue
        parts.append(f"{start}:{prev}" if prev != start else str(start))
        start = prev = u
    parts.append(f"{start}:{prev}" if prev != start else str(start))
    return ",".join(parts)


def quote(value: str | bytes) -> bytes:
    """An IMAP quoted string (callers use a literal instead for CR/LF or 8-bit data)."""
    b = value.encode("utf-8") if isinstance(value, str) else value
    return b'"' + b.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
