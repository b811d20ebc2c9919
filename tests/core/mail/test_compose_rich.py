"""Rich text with a faithful plain part, subjects that do not pile up, the attachment warning, drafts read back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.mail.compose_rich import (
    Block,
    Span,
    blocks_from_plain,
    compose_from_draft,
    draft_compose,
    forward_as_attachment,
    forward_subject,
    mentions_attachment,
    render_html,
    render_plain,
    reply,
    reply_subject,
)
from app.core.mail.mime import Attachment, Compose, compose_bytes, parse_message


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Hello", "Re: Hello"),
        ("Re: Hello", "Re: Hello"),
        ("RE: Re: AW: Hello", "Re: Hello"),
        ("TL: Báo cáo quý", "Re: Báo cáo quý"),
        ("Re[3]: x", "Re: x"),
        ("", "Re:"),
    ],
)
def test_reply_subject(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [("x", "Fwd: x"), ("Fwd: Fw: x", "Fwd: x"), ("CT: Re: x", "Fwd: Re: x"), ("FW: hop dong", "Fwd: hop dong")],
)
def test_forward_subject(subject: str, expected: str) -> None:
    assert forward_subject(subject) == expected


@given(st.text(max_size=40))
def test_subjects_are_idempotent(s: str) -> None:
    assert reply_subject(reply_subject(s)) == reply_subject(s)
    assert forward_subject(forward_subject(s)) == forward_subject(s)


def test_rich_blocks_render_to_html_and_faithful_plain() -> None:
    blocks = [
        Block([Span("Chào "), Span("anh", bold=True), Span(", xem "), Span("tài liệu", href="https://x.vn/a")]),
        Block([Span("một")], list_kind="bullet"),
        Block([Span("hai", italic=True)], list_kind="bullet"),
        Block([Span("bước")], list_kind="number", list_index=1),
        Block([Span("trích dẫn")], quote=1),
        Block([Span("sâu hơn", underline=True)], quote=2),
    ]
    html = render_html(blocks)
    assert "<b>anh</b>" in html and '<a href="https://x.vn/a">tài liệu</a>' in html
    assert "<ul>" in html and "<ol>" in html and html.count('<blockquote type="cite">') == 2
    plain = render_plain(blocks)
    assert plain.splitlines() == [
        "Chào *anh*, xem tài liệu <https://x.vn/a>",
        "- một",
        "- /hai/",
        "1. bước",
        "> trích dẫn",
        ">> _sâu hơn_",
    ]


def test_blocks_from_plain_reads_quote_levels() -> None:
    b = blocks_from_plain("hi\n> a\n>> b\n> > c\n")
    assert [(x.quote, x.text) for x in b] == [(0, "hi"), (1, "a"), (2, "b"), (2, "c")]


def test_attachment_warning_ignores_quotes_and_signature() -> None:
    assert mentions_attachment("Please see the attached file") == "attached"
    assert mentions_attachment("Em gửi anh file đính kèm nhé") is not None
    assert mentions_attachment("Thanks!\n> I attached it\n-- \nattachments welcome") is None


def test_reply_keeps_threading_and_bounds_references() -> None:
    refs = " ".join(f"<r{i}@x>" for i in range(40))
    raw = (
        f"From: An <an@x.vn>\r\nTo: me@y.vn\r\nSubject: RE: Re: Kế hoạch\r\nMessage-ID: <m@x>\r\nReferences: {refs}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nNội dung\r\n"
    ).encode()
    c = reply(raw, "me@y.vn")
    assert c.subject == "Re: Kế hoạch" and c.in_reply_to == "<m@x>"
    assert c.references[0] == "<r0@x>" and c.references[-1] == "<m@x>" and len(c.references) == 20
    assert "> Nội dung" in c.text
    f = forward_as_attachment(raw, "me@y.vn")
    assert f.subject == "Fwd: Re: Kế hoạch" and f.forwarded == [raw]


def test_draft_round_trip_keeps_bcc_attachments_and_forwarded() -> None:
    inner = b"From: a@x\r\nSubject: inner\r\nMessage-ID: <i@x>\r\n\r\nbody\r\n"
    c = Compose(
        "Me <me@y.vn>",
        to=["An <an@x.vn>"],
        bcc=["secret@z.vn"],
        subject="Nháp",
        text="xin chào",
        html="<b>xin chào</b>",
        attachments=[Attachment("báo cáo.pdf", b"%PDF-1\x00\xff", "application/pdf")],
        forwarded=[inner],
        in_reply_to="<p@x>",
        references=["<p@x>"],
    )
    raw = compose_bytes(draft_compose(c, identity="me@y.vn", account="imap:me@h:993", rich=True))
    assert b"secret@z.vn" in raw  # only in the private draft header
    d = compose_from_draft(raw)
    assert d.rich and d.identity == "me@y.vn" and d.account == "imap:me@h:993"
    assert d.compose.bcc == ["secret@z.vn"] and d.compose.to == ["An <an@x.vn>"]
    assert d.compose.text.strip() == "xin chào" and d.compose.html and "xin chào" in d.compose.html
    assert [(a.filename, a.data) for a in d.compose.attachments] == [("báo cáo.pdf", b"%PDF-1\x00\xff")]
    assert len(d.compose.forwarded) == 1 and parse_message(d.compose.forwarded[0]).subject == "inner"
    assert d.compose.in_reply_to == "<p@x>"
    # Sending the draft: no private header goes out.
    sent = compose_bytes(d.compose)
    assert b"X-Quay-Draft" not in sent and b"secret@z.vn" not in sent
