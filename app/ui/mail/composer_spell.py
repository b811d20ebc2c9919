"""Optional spell checking (pyenchant with the system's hunspell dictionaries, English and Vietnamese).

A word is marked only when no loaded dictionary knows it, so a message mixing Vietnamese and
English is not covered in red. Without pyenchant or without any dictionary, :func:`available_languages`
is empty and the composer hides the "Check spelling" action instead of failing.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtGui import QSyntaxHighlighter, QTextCharFormat, QTextDocument

WANTED = ("en_US", "en_GB", "en", "vi_VN", "vi")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


def _enchant() -> Any:
    try:
        import enchant
    except (ImportError, OSError):  # OSError: the C library is missing
        return None
    return enchant


def available_languages() -> list[str]:
    """The wanted dictionaries that are installed (one English, one Vietnamese at most)."""
    enchant = _enchant()
    if enchant is None:
        return []
    try:
        have = set(enchant.list_languages())
    except Exception:
        return []
    out: list[str] = []
    for group in (("en_US", "en_GB", "en"), ("vi_VN", "vi")):
        for tag in group:
            if tag in have:
                out.append(tag)
                break
    return out


class SpellChecker:
    """Several enchant dictionaries as one: a word is right if any of them knows it."""

    def __init__(self, languages: list[str] | None = None) -> None:
        enchant = _enchant()
        self.dicts: list[Any] = []
        if enchant is None:
            return
        for tag in languages if languages is not None else available_languages():
            try:
                self.dicts.append(enchant.Dict(tag))
            except Exception:
                continue

    @property
    def usable(self) -> bool:
        return bool(self.dicts)

    def check(self, word: str) -> bool:
        if not self.dicts or len(word) < 2 or word.isupper():
            return True
        return any(d.check(word) for d in self.dicts)

    def suggest(self, word: str, limit: int = 6) -> list[str]:
        out: list[str] = []
        for d in self.dicts:
            for s in d.suggest(word):
                if s not in out:
                    out.append(s)
        return out[:limit]


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines unknown words with the platform's spell-check squiggle (colour from the style)."""

    def __init__(self, document: QTextDocument, checker: SpellChecker) -> None:
        super().__init__(document)
        self.checker = checker
        self.enabled = checker.usable
        self.fmt = QTextCharFormat()
        self.fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)

    def set_enabled(self, on: bool) -> None:
        self.enabled = on and self.checker.usable
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if not self.enabled or text.lstrip().startswith(">"):
            return
        for m in _WORD.finditer(text):
            if not self.checker.check(m.group(0)):
                self.setFormat(m.start(), m.end() - m.start(), self.fmt)
