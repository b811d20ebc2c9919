"""CSS from mail, made unable to fetch anything: parsed with a real tokenizer (tinycss2), not regexes.

Regex filters lose to the CSS syntax itself: ``u\\rl(...)``, ``\\75 rl(...)`` and
``@\\69mport`` are all ``url(`` / ``@import`` to a browser. tinycss2 decodes
escapes the way a browser does, so the checks below see what the renderer
would see. The rules, applied to every ``style`` attribute and ``<style>`` block:

1. A declaration is kept only if every resource reference in its value is local
   (``cid:`` or ``data:image/...``); a reference to ``http(s):`` or ``//`` is
   "remote" (dropped and counted unless remote content is allowed); anything
   else (relative paths, ``javascript:``, unknown schemes, ``image-set``
   entries, ``src()``, ``element()``...) is dropped.
2. ``expression(...)``, ``behavior``, ``-moz-binding`` and unparsable
   declarations are dropped.
3. At-rules: ``@media`` and ``@supports`` keep their (filtered) rules;
   ``@import`` and ``@font-face`` are remote loads (counted; kept only when
   remote content is allowed and every reference is http(s)); every other
   at-rule (``@namespace``, ``@keyframes``, ``@page``, ``@charset``...) goes.
4. The output is re-serialized from tokens (escapes come out decoded), and a
   ``<`` never survives, so a filtered block cannot close its ``<style>`` element.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import tinycss2
from tinycss2 import ast

#: Functions whose arguments name a resource to load.
_RESOURCE_FUNCTIONS = frozenset(
    {
        "url", "src", "image", "image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade",
        "element", "-moz-element", "paint",
    }
)  # fmt: skip
_FORBIDDEN_FUNCTIONS = frozenset({"expression", "env", "attr"})
_FORBIDDEN_PROPERTIES = frozenset({"behavior", "behaviour", "-moz-binding", "-ms-behavior"})
_NESTED_AT_RULES = frozenset({"media", "supports"})
_REMOTE_AT_RULES = frozenset({"import", "font-face"})

_REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
_DATA_IMAGE = re.compile(r"^\s*data:image/(png|gif|jpe?g|webp|bmp);", re.I)


@dataclass
class CssVerdict:
    """The filtered CSS and how many remote references were blocked in it."""

    css: str
    blocked: int


def classify_url(url: str) -> str:
    """``"local"`` (cid:, data:image), ``"remote"`` (http(s)://, //host) or ``"other"`` (never loaded)."""
    u = url.strip()
    if u.lower().startswith("cid:") or _DATA_IMAGE.match(u):
        return "local"
    if _REMOTE.match(u):
        return "remote"
    return "other"


def _references(tokens: Iterable[ast.Node]) -> tuple[list[str], bool]:
    """Resource references in a token list (recursively), and whether a forbidden construct occurs.

    Inside ``image-set()`` and friends, bare strings are URLs too; an argument we cannot read as
    a URL becomes ``""`` (classified "other", so the declaration is dropped).
    """
    refs: list[str] = []
    forbidden = False

    def walk(nodes: Iterable[ast.Node], in_resource: bool) -> None:
        nonlocal forbidden
        for t in nodes:
            if isinstance(t, ast.URLToken):
                refs.append(t.value)
            elif isinstance(t, ast.FunctionBlock):
                name = t.lower_name
                if name in _FORBIDDEN_FUNCTIONS:
                    forbidden = True
                if name == "url":
                    strings = [a for a in t.arguments if isinstance(a, ast.StringToken)]
                    others = [a for a in t.arguments if not isinstance(a, ast.WhitespaceToken | ast.StringToken)]
                    refs.extend(s.value for s in strings)
                    if not strings or others:
                        refs.append("")
                elif name in _RESOURCE_FUNCTIONS:
                    before = len(refs)
                    walk(t.arguments, True)
                    if len(refs) == before:
                        refs.append("")  # e.g. element(#x): nothing we can vouch for
                else:
                    walk(t.arguments, in_resource)
            elif isinstance(t, ast.IdentToken) and t.lower_value in _RESOURCE_FUNCTIONS:
                refs.append("")  # "url /**/ (...)": not a function to a browser, but no business here either
            elif isinstance(t, ast.StringToken) and in_resource:
                refs.append(t.value)
            elif isinstance(t, ast.ParenthesesBlock | ast.SquareBracketsBlock | ast.CurlyBracketsBlock):
                walk(t.content, in_resource)
            elif isinstance(t, ast.ParseError):
                forbidden = True

    walk(tokens, False)
    return refs, forbidden


def _judge(refs: list[str], allow_remote: bool) -> tuple[bool, int]:
    """(keep?, blocked count) for the references of one declaration or at-rule."""
    kinds = [classify_url(r) for r in refs]
    remote = kinds.count("remote")
    if "other" in kinds:
        return False, 0 if allow_remote else remote
    if remote and not allow_remote:
        return False, remote
    return True, 0


def _serialize(nodes: Iterable[ast.Node]) -> str:
    return str(tinycss2.serialize(list(nodes))).strip()


def _no_markup(css: str) -> str:
    """A filtered block must never contain ``<`` (it could end the ``<style>`` element)."""
    return css.replace("<", "\\3c ")


def filter_declarations(text: str | list[ast.Node], allow_remote: bool = False) -> CssVerdict:
    """Filter a declaration list (a ``style`` attribute, or a rule's body)."""
    blocked = 0
    kept: list[str] = []
    items = tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True)
    for d in items:
        if isinstance(d, ast.QualifiedRule):  # nested rule (CSS nesting): filter its body the same way
            inner = filter_declarations(d.content, allow_remote)
            blocked += inner.blocked
            kept.append(f"{_serialize(d.prelude)}{{{inner.css}}}")
            continue
        if not isinstance(d, ast.Declaration):
            if isinstance(d, ast.AtRule):
                refs, _ = _references([*d.prelude, *(d.content or [])])
                blocked += sum(1 for r in refs if classify_url(r) == "remote") if not allow_remote else 0
            continue
        if d.lower_name in _FORBIDDEN_PROPERTIES:
            continue
        refs, forbidden = _references(d.value)
        if forbidden:
            blocked += 0 if allow_remote else sum(1 for r in refs if classify_url(r) == "remote")
            continue
        keep, n = _judge(refs, allow_remote)
        blocked += n
        if keep:
            value = _serialize(d.value)
            kept.append(f"{d.name}:{value}{' !important' if d.important else ''}")
    return CssVerdict(_no_markup(";".join(kept)), blocked)


def filter_stylesheet(text: str | list[ast.Node], allow_remote: bool = False) -> CssVerdict:
    """Filter a style sheet (the text of a ``<style>`` block)."""
    blocked = 0
    out: list[str] = []
    rules = (
        tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
        if isinstance(text, str)
        else tinycss2.parse_rule_list(text, skip_comments=True, skip_whitespace=True)
    )
    for r in rules:
        if isinstance(r, ast.QualifiedRule):
            inner = filter_declarations(r.content, allow_remote)
            blocked += inner.blocked
            prelude = _serialize(r.prelude)
            refs, forbidden = _references(r.prelude)
            if refs or forbidden:
                continue
            out.append(f"{prelude}{{{inner.css}}}")
        elif isinstance(r, ast.AtRule):
            name = r.lower_at_keyword
            refs, forbidden = _references([*r.prelude, *(r.content or [])])
            if name in _NESTED_AT_RULES and r.content is not None:
                prelude_refs, prelude_bad = _references(r.prelude)
                if prelude_refs or prelude_bad:
                    continue
                inner = filter_stylesheet(r.content, allow_remote)
                blocked += inner.blocked
                out.append(f"@{name} {_serialize(r.prelude)}{{{inner.css}}}")
            elif name in _REMOTE_AT_RULES:
                if name == "import":  # @import "x.css" names its sheet with a bare string
                    refs += [t.value for t in r.prelude if isinstance(t, ast.StringToken)]
                    refs = refs or [""]
                keep, n = _judge(refs, allow_remote)
                blocked += n
                if keep and allow_remote and not forbidden:
                    out.append(tinycss2.serialize([r]).strip())
            else:
                blocked += 0 if allow_remote else sum(1 for u in refs if classify_url(u) == "remote")
    return CssVerdict(_no_markup("\n".join(out)), blocked)
