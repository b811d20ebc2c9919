"""Identities: From header, signature, and which identity answers a message."""

from __future__ import annotations

from app.core.mail.identities import Identity, identity_for_reply
from app.core.mail.mime import Compose, compose_bytes, parse_message


def test_apply_sets_from_and_signature_once() -> None:
    ident = Identity("work@example.test", "Trần Thị B", signature="B\nPhòng kỹ thuật", reply_to="team@example.test")
    c = ident.apply(Compose(from_addr="", to=["x@example.test"], subject="s", text="Hello"))
    ident.apply(c)
    assert c.text == "Hello\n\n-- \nB\nPhòng kỹ thuật"
    p = parse_message(compose_bytes(c))
    assert p.from_addr == "Trần Thị B <work@example.test>"
    assert p.reply_to == ["team@example.test"]


def test_identity_for_reply() -> None:
    home = Identity("home@example.test")
    work = Identity("work@example.test")
    to_work = compose_bytes(Compose(from_addr="a@x.test", to=["a@x.test"], cc=["WORK@example.test"], subject="s"))
    assert identity_for_reply([home, work], to_work) is work
    bcc_home = b"Delivered-To: home@example.test\r\nFrom: a@x.test\r\nTo: list@x.test\r\n\r\nbody\r\n"
    assert identity_for_reply([work, home], bcc_home) is home
    assert identity_for_reply([work, home], b"From: a@x.test\r\n\r\n") is work
