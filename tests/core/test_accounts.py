"""Account records: URLs, the JSON book (never a password), keys for the keyring and the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.accounts import Account, AccountBook


def test_from_url() -> None:
    a = Account.from_url("imaps://alice@mail.example:9993")
    assert (a.kind, a.host, a.port, a.username, a.security) == ("imap", "mail.example", 9993, "alice", "tls")
    assert a.key == "imap:alice@mail.example:9993" and a.secret_key == "imap:alice@mail.example:9993"
    assert Account.from_url("imap://bob%40corp@h?starttls").security == "starttls"
    assert Account.from_url("imap://bob%40corp@h?starttls").username == "bob@corp"
    assert Account.from_url("imap://bob@h").port == 143 and Account.from_url("imap://bob@h").security == "none"
    assert Account.from_url("pop3s://c@h").port == 995
    for bad in ("http://a@h", "imap://h", "imaps://a@h?starttls", "imap://a@"):
        with pytest.raises(ValueError):
            Account.from_url(bad)


def test_book_round_trip_without_secrets(tmp_path: Path) -> None:
    path = tmp_path / "config" / "accounts.json"
    book = AccountBook(path)
    a = Account("imap", "h", 993, "alice", "tls", display_name="Alice", email="alice@h")
    book.add(a)
    book.save()
    again = AccountBook(path)
    assert again.get(a.key) == a and again.all() == [a]
    text = path.read_text()
    assert set(json.loads(text)["accounts"][0]) == set(a.to_dict())  # no secret field exists at all
    again.remove(a.key)
    again.save()
    assert AccountBook(path).all() == []


def test_book_migrates_a_bare_list(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps([{"kind": "imap", "host": "h", "port": 143, "username": "u", "security": "none"}]))
    assert [x.key for x in AccountBook(path).all()] == ["imap:u@h:143"]
