"""RFC 6068 mailto: links -> MailtoRequest: recipients, cc/bcc, subject and body with percent-decoding."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import BadUrl
from app.core.mailto import MailtoRequest, is_mailto, parse_mailto


def test_rfc6068_examples() -> None:
    # Examples from RFC 6068 section 6.
    assert parse_mailto("mailto:chris@example.com").to == ("chris@example.com",)
    r = parse_mailto("mailto:infobot@example.com?subject=current-issue")
    assert r == MailtoRequest(to=("infobot@example.com",), subject="current-issue")
    r = parse_mailto("mailto:infobot@example.com?body=send%20current-issue%0D%0Asend%20index")
    assert r.body == "send current-issue\nsend index"
    r = parse_mailto("mailto:joe@example.com?cc=bob@example.com&body=hello")
    assert (r.to, r.cc, r.body) == (("joe@example.com",), ("bob@example.com",), "hello")
    r = parse_mailto("mailto:?to=joe@example.com&cc=bob@example.com&body=hello")
    assert (r.to, r.cc) == (("joe@example.com",), ("bob@example.com",))
    r = parse_mailto("mailto:gorby%25kremvax@example.com")
    assert r.to == ("gorby%kremvax@example.com",)
    r = parse_mailto("mailto:Mike%26family@example.org")
    assert r.to == ("Mike&family@example.org",)
    r = parse_mailto("mailto:user@example.org?subject=caf%C3%A9")
    assert r.subject == "café"


def test_several_recipients_add_up_and_plus_is_literal() -> None:
    r = parse_mailto("MAILTO:a@x.org,b+tag@y.org?To=c@z.org&cc=d@x.org,e@x.org&CC=f@x.org&bcc=g@x.org")
    assert r.to == ("a@x.org", "b+tag@y.org", "c@z.org")
    assert r.cc == ("d@x.org", "e@x.org", "f@x.org")
    assert r.bcc == ("g@x.org",)


def test_vietnamese_subject_and_body_with_display_name() -> None:
    link = "mailto:?to=" + quote('"Nguyễn, An" <an@example.test>') + "&subject=" + quote("Chào bạn + hẹn gặp")
    link += "&body=" + quote("Dòng 1\r\nDòng 2\nDòng 3")
    r = parse_mailto(link)
    assert r.to == ('"Nguyễn, An" <an@example.test>',)
    assert r.subject == "Chào bạn + hẹn gặp"
    assert r.body == "Dòng 1\nDòng 2\nDòng 3"


def test_unsafe_headers_are_dropped_and_named() -> None:
    r = parse_mailto("mailto:a@x.org?attach=%2Fetc%2Fpasswd&From=boss@x.org&subject=hi&x-evil=1&attach=2")
    assert r.subject == "hi"
    assert r.ignored == ("attach", "from", "x-evil")


def test_no_header_injection_through_subject() -> None:
    r = parse_mailto("mailto:a@x.org?subject=Hi%0D%0ABcc:%20spy@evil.org")
    assert "\n" not in r.subject and "\r" not in r.subject
    assert r.subject == "Hi Bcc: spy@evil.org"
    assert r.bcc == ()


def test_in_reply_to_and_empty_link() -> None:
    assert parse_mailto("mailto:") == MailtoRequest()
    r = parse_mailto("mailto:list@x.org?In-Reply-To=%3C3469A91.D10AF4C@example.com%3E")
    assert r.in_reply_to == "<3469A91.D10AF4C@example.com>"


def test_invalid_utf8_is_replaced_not_refused() -> None:
    assert parse_mailto("mailto:a@x.org?subject=caf%E9").subject == "caf\ufffd"


@pytest.mark.parametrize(
    "link",
    [
        "mailto:nobody",
        "mailto:a@b@c",
        "mailto:a@x.org?cc=x%0D%0ABcc:y@z",
        "mailto:a@x.org?to=%3Cbroken",
        "https://example.org/",
    ],
)
def test_bad_links_get_a_clear_error(link: str) -> None:
    with pytest.raises(BadUrl) as e:
        parse_mailto(link)
    assert str(e.value)


def test_is_mailto() -> None:
    assert is_mailto("mailto:a@b.c") and is_mailto("MailTo:") and not is_mailto("sftp://h/")


_local = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.+_-", min_size=1, max_size=12).filter(
    lambda s: not s.startswith(".") and not s.endswith(".") and ".." not in s
)
_domain = st.from_regex(r"[a-z][a-z0-9-]{0,10}\.[a-z]{2,6}", fullmatch=True)
_addr = st.builds(lambda a, b: f"{a}@{b}", _local, _domain)


@given(
    to=st.lists(_addr, max_size=4),
    cc=st.lists(_addr, max_size=3),
    subject=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    body=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=200),
)
def test_round_trip_of_quoted_fields(to: list[str], cc: list[str], subject: str, body: str) -> None:
    link = "mailto:" + ",".join(quote(a, safe="@") for a in to)
    query = []
    if cc:
        query.append("cc=" + quote(",".join(cc), safe=""))
    query.append("subject=" + quote(subject, safe=""))
    query.append("body=" + quote(body, safe=""))
    r = parse_mailto(link + "?" + "&".join(query))
    assert r.to == tuple(to)
    assert r.cc == tuple(cc)
    assert r.subject == subject
    assert r.body == body
