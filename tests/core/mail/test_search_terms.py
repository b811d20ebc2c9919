"""Search gives the same answer before a big sync's rows are indexed (term_matches) and after (FTS5)."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.mail.headers import fts_query, header_fields, search_terms, search_tokens, term_matches, term_spec
from app.core.mail.store import Store

# Letters a mailbox here holds: ASCII, Vietnamese precomposed and with combining tone marks (as
# windows-1258 writes them), other Latin, Cyrillic, CJK, separators and symbols.
ALPHABET = (
    "abcdeiouyxyzABCDE0123456789 .,;:@-_%'\"!?/()<>\t"
    "àáảãạăằắẳẵặâầấẩẫậđĐèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
    "ßüöÄæøłŁçñ"
    "йиёЖ"
    "東京会議"
    "€©°·–"
)
TEXT = st.text(alphabet=ALPHABET, max_size=40)


def _fts() -> sqlite3.Connection:
    c = sqlite3.connect(":memory:")
    c.execute("CREATE VIRTUAL TABLE f USING fts5(subject, addresses, tokenize = 'unicode61 remove_diacritics 2')")
    return c


@st.composite
def _query(draw: st.DrawFn, subject: str, addresses: str) -> str:
    """Random text, or a piece of the texts (so matches happen), recased or decomposed."""
    src = draw(st.sampled_from([subject, addresses, ""]))
    if not src:
        return draw(TEXT)
    i = draw(st.integers(0, len(src)))
    j = draw(st.integers(i, len(src)))
    piece = src[i:j]
    how = draw(st.sampled_from(["same", "upper", "nfd", "nfc", "quoted"]))
    if how == "upper":
        return piece.upper()
    if how in ("nfd", "nfc"):
        return unicodedata.normalize(how.upper(), piece)
    return f'"{piece}"' if how == "quoted" else piece


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), subject=TEXT, addresses=TEXT)
def test_term_matching_agrees_with_the_fts5_index(data: st.DataObject, subject: str, addresses: str) -> None:
    query = data.draw(_query(subject, addresses))
    c = _fts()
    c.execute("INSERT INTO f (rowid, subject, addresses) VALUES (1, ?, ?)", (subject, addresses))
    for term in search_terms(query):
        by_index = bool(c.execute("SELECT count(*) FROM f WHERE f MATCH ?", (term.fts,)).fetchone()[0])
        ours = bool(term_matches(subject, addresses, term_spec(term)))
        assert ours == by_index, (term, search_tokens(subject), search_tokens(addresses))


def test_tokens_fold_case_and_vietnamese_diacritics_both_spellings() -> None:
    nfd = unicodedata.normalize("NFD", "Báo cáo TUẦN")
    cp1258_style = "Ba\u0301o ca\u0301o tu\u00e2\u0300n"  # base + precomposed circumflex + combining grave
    for text in ("Báo cáo TUẦN", nfd, cp1258_style):
        assert search_tokens(text) == ["bao", "cao", "tuan"]
    assert search_tokens("Đà Nẵng") == ["đa", "nang"]  # đ is a letter of its own, as in the index
    assert search_tokens("user42@example8.test, Ann") == ["user42", "example8", "test", "ann"]


def test_query_terms_phrases_and_prefix() -> None:
    assert [(t.text, t.prefix) for t in search_terms('budget "weekly report" rev')] == [
        ("budget", False),
        ("weekly report", False),
        ("rev", True),
    ]
    assert [(t.text, t.prefix) for t in search_terms('"weekly report"')] == [("weekly report", False)]
    assert [(t.text, t.prefix) for t in search_terms('x"y')] == [('x"y', True)]  # an unpaired quote is literal
    assert search_terms("-- ; %") == []  # nothing to match
    assert fts_query('say "a b" c') == '"say" "a b" "c"*'


def _rows(fid: int, items: list[tuple[str, str]]) -> list[tuple[object, ...]]:
    out = []
    for n, (subject, sender) in enumerate(items, 1):
        block = (
            f"From: {sender}\r\nTo: list <quarterly@lists.example.test>\r\nSubject: {subject}\r\n"
            f"Date: Mon, 23 Nov 2026 05:{n:02d}:00 +0000\r\nMessage-ID: <t{n}@example.test>\r\n\r\n"
        ).encode()
        out.append(header_fields(block, fid, n, 0, "", None, 1, 10))
    return out


def test_same_results_before_and_after_the_index_pass(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "m.sqlite3")
    aid = store.ensure_account("k", "imap")
    fid = store.ensure_imap_folder(aid, "INBOX", "INBOX")
    items = [
        ("the weekly report is late", "Ann <ann@example.test>"),
        ("report on the weekly meeting", "Bob <bob@example.test>"),  # both words, not the phrase
        ("=?windows-1258?Q?B=E1o_c=E1o_tu=E2=CCn?=", "Cy <user42@example8.test>"),  # tuần, cp1258 style
        ("Tuan and the budget review", "=?utf-8?b?Tmd1eeG7hW4gVsSDbiBUdeG6pW4=?= <tuan@example.test>"),
        ("budget reviewer notes", "Dee <xuser42@example8.test>"),  # not that sender
        ("nothing here", "Eve <eve@example.test>"),
    ]
    with store.transaction():
        store.insert_headers(_rows(fid, items), index=False)
    queries = ['"weekly report"', "tuần", "user42@example8.test", "budget review", "quarterly", "zzz", "TUAN"]
    before = {q: [r.uid for r in store.search(q, folder_id=fid, limit=0)] for q in queries}
    assert store.pending_header_index() == len(items)
    store.index_pending_headers()
    assert store.pending_header_index() == 0
    after = {q: [r.uid for r in store.search(q, folder_id=fid, limit=0)] for q in queries}
    assert before == after
    assert sorted(after['"weekly report"']) == [1]
    assert sorted(after["tuần"]) == [3, 4]  # tuần (combining marks), Tuan, Tuấn
    assert sorted(after["user42@example8.test"]) == [3]
    assert sorted(after["budget review"]) == [4, 5]  # the last word is a prefix: reviewer
    assert len(after["quarterly"]) == len(items) and after["zzz"] == []
    store.close()
