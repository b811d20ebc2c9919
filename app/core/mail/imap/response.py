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
from dataclasses import dataclass, field
from typing import Union

from app.core.errors import ProtocolError

Token = Union[str, bytes, None, list["Token"]]  # noqa: UP007 - a recursive alias needs Union at runtime

_ATOM_END = frozenset(b" ()\r\n")


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


def parse_sequence_set(text: str) -> list[int]:
    """``1:3,7,9:10`` -> [1, 2, 3, 7, 9, 10] (``*`` is not allowed here)."""
    out: list[int] = []
    if not text:
        return out
    for part in text.split(","):
        if ":" in part:
            a, b = part.split(":", 1)
            lo, hi = sorted((int(a), int(b)))
            out.extend(range(lo, hi + 1))
        else:
            out.append(int(part))
    return out


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
