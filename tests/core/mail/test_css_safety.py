"""The sanitizer's CSS tokenizer and the exfiltration tricks: nothing that could fetch survives."""

from __future__ import annotations

import pytest

from app.core.mail import css_safety
from app.core.mail.links import link_texts, needs_confirmation
from app.core.mail.mime import sanitize_html
from tests.core.mail.exfil_tricks import trick_document, tricks

BASE = "http://127.0.0.1:5555"


@pytest.mark.parametrize("name", sorted(tricks(BASE)))
def test_no_trick_survives_the_sanitizer(name: str) -> None:
    safe, _blocked = sanitize_html(tricks(BASE)[name])
    assert "127.0.0.1" not in safe and "5555" not in safe, safe


def test_at_least_thirty_tricks_in_one_document() -> None:
    assert len(tricks(BASE)) >= 30
    safe, blocked = sanitize_html(trick_document(BASE))
    assert "127.0.0.1" not in safe
    assert blocked >= 20


@pytest.mark.parametrize(
    "css",
    [
        r"background:u\rl(http://a.test/x)",
        r"background:\75 rl(http://a.test/x)",
        r"background:\000075rl(http://a.test/x)",
        "background:image-set('http://a.test/x' 1x)",
        "background:-webkit-image-set(url(//a.test/x) 1x)",
        "background:URL(http://a.test/x)",
        "background:url( 'http://a.test/x' )",
        "behavior:url(x.htc)",
        "width:expression(alert(1))",
        "background:url(javascript:alert(1))",
        "background:url(relative.png)",
    ],
)
def test_escaped_and_indirect_references_are_dropped(css: str) -> None:
    verdict = css_safety.filter_declarations(css)
    assert verdict.css == ""


def test_local_references_and_plain_styles_stay() -> None:
    v = css_safety.filter_declarations("color: red; background:url(cid:logo@x) no-repeat; margin:0 !important")
    assert v.css == "color:red;background:url(cid:logo@x) no-repeat;margin:0 !important"
    assert v.blocked == 0


def test_escaped_import_counts_and_goes() -> None:
    v = css_safety.filter_stylesheet(r"@\69mport url(http://a.test/x.css); p{color:blue}")
    assert v.blocked == 1 and "import" not in v.css and "p{color:blue}" in v.css


def test_media_rules_keep_their_filtered_content() -> None:
    v = css_safety.filter_stylesheet("@media (max-width:600px){p{color:red;background:url(http://a.test/x)}}")
    assert v.css == "@media (max-width:600px){p{color:red}}" and v.blocked == 1


def test_filtered_css_cannot_close_its_style_element() -> None:
    v = css_safety.filter_stylesheet("p{font-family:'</style><img src=x>'}")
    assert "<" not in v.css


def test_allowing_remote_keeps_http_references_only() -> None:
    v = css_safety.filter_declarations("background:url(http://a.test/x);list-style:url(javascript:x)", True)
    assert v.css == "background:url(http://a.test/x)"


def test_link_text_that_differs_from_its_target_needs_confirmation() -> None:
    html = (
        '<a href="https://evil.test/login">https://bank.test/login</a>'
        '<a href="https://docs.test/a/">docs.test/a</a><a href="https://x.test/">click here</a>'
    )
    links = link_texts(html)
    assert needs_confirmation("https://evil.test/login", links["https://evil.test/login"])
    assert not needs_confirmation("https://docs.test/a/", links["https://docs.test/a/"])
    assert needs_confirmation("https://x.test/", links["https://x.test/"])
    assert needs_confirmation("https://unknown.test/", [])
