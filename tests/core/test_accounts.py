"""Account records: one Security vocabulary, the JSON book (never a password), versioned migrations."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.accounts import Account, AccountBook, AccountIdentity
from app.core.errors import BadRecord, LocalIOError, UnknownSecurity
from app.core.mail.identities import identities_for
from app.core.urls import Security


def test_account_normalises_security_and_port() -> None:
    a = Account("imap", "mail.example", 0, "alice")
    assert a.security is Security.TLS and a.port == 993
    assert a.key == "imap:alice@mail.example:993" and a.secret_key == a.key
    b = Account("imap", "h", 143, "bob", "plain")  # the old word for none
    assert b.security is Security.NONE and b.security == "none"
    assert Account("smtp", "h", 0, "c", "starttls").port == 587
    assert Account("pop3", "h", 0, "c", Security.STARTTLS).port == 110


@pytest.mark.parametrize("security", ["rot13", "ssl3", "SSH"])
def test_unknown_or_impossible_security_is_refused_never_plaintext(security: str) -> None:
    with pytest.raises(UnknownSecurity):
        Account("imap", "h", 143, "u", security)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "gopher", "host": "h", "username": "u"}, "kind"),
        ({"kind": "imap", "host": "", "username": "u"}, "host"),
        ({"kind": "imap", "host": "h", "username": ""}, "user"),
        ({"kind": "imap", "host": "h", "username": "u", "port": 70000}, "port"),
        ({"kind": "imap", "host": "h", "username": "u", "auth": "magic"}, "auth"),
    ],
)
def test_bad_records_say_which_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(BadRecord) as ei:
        Account(**kwargs)  # type: ignore[arg-type]
    assert ei.value.field == field


def test_password_rules() -> None:
    plain = Account("imap", "h", 143, "u", "none")
    assert plain.needs_password and plain.sends_password_in_clear and not plain.allow_plaintext
    assert not Account("imap", "h", 993, "u").sends_password_in_clear
    relay = Account("smtp", "h", 25, "", "none", auth="none")
    assert relay.anonymous and not relay.needs_password and not relay.sends_password_in_clear
    asked = Account("pop3", "h", 995, "u", auth="ask")
    assert asked.needs_password and not asked.saves_password


def test_book_round_trip_without_secrets(tmp_path: Path) -> None:
    path = tmp_path / "config" / "accounts.json"
    book = AccountBook(path)
    a = Account("imap", "h", 993, "alice", "tls", display_name="Alice", email="alice@h", check_interval=300)
    a.identities.append(AccountIdentity("sales@h", "Sales", signature="-- sales"))
    book.add(a)
    book.save()
    assert path.stat().st_mode & 0o777 == 0o600
    again = AccountBook(path)
    assert again.get(a.key) == a and again.get(a.id) == a and again.all() == [a]
    doc = json.loads(path.read_text())
    assert doc["version"] == AccountBook.VERSION
    assert set(doc["accounts"][0]) == set(a.to_dict())  # no secret field exists at all
    assert doc["accounts"][0]["security"] == "tls"
    again.remove(a.key)
    again.save()
    assert AccountBook(path).all() == []


def test_editing_an_account_replaces_it_by_id(tmp_path: Path) -> None:
    book = AccountBook(tmp_path / "a.json")
    a = Account("imap", "h", 993, "alice")
    book.add(a)
    moved = Account("imap", "h", 10993, "alice", id=a.id)
    book.add(moved)
    assert book.all() == [moved]


def test_migrates_a_bare_list(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps([{"kind": "imap", "host": "h", "port": 143, "username": "u", "security": "none"}]))
    (acc,) = AccountBook(path).all()
    assert acc.key == "imap:u@h:143" and acc.security is Security.NONE
    assert acc.allow_plaintext is False  # consent is never assumed by a migration


def test_migrates_version_1_and_keeps_what_it_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    v1 = {
        "version": 1,
        "accounts": [
            {"kind": "pop3", "host": "h", "port": 110, "username": "u", "security": "plain", "auth": "password"},
            {"kind": "imap", "host": "h", "port": 993, "username": "u", "security": "quantum"},
            {
                "kind": "imap",
                "host": "h",
                "port": 993,
                "username": "me",
                "security": "tls",
                "options": {"smtp": {"host": "smtp.h", "port": 587, "security": "starttls"}, "x": 1},
            },
        ],
    }
    path.write_text(json.dumps(v1))
    book = AccountBook(path)
    ids = [a.id for a in book.all()]
    assert ids == [a.id for a in AccountBook(path).all()]  # stable ids before the first save
    pop = book.get("pop3:u@h:110")
    assert pop is not None and pop.security is Security.NONE
    imap = book.get("imap:me@h:993")
    assert imap is not None and imap.smtp_account == "smtp:me@smtp.h:587" and imap.options == {"x": 1}
    smtp = book.get(imap.smtp_account)
    assert smtp is not None and smtp.security is Security.STARTTLS
    assert len(book.problems) == 1 and isinstance(book.problems[0], UnknownSecurity)
    assert book.problems[0].value == "quantum"
    book.save()
    saved = json.loads(path.read_text())
    assert saved["version"] == 2
    assert any(a.get("security") == "quantum" for a in saved["accounts"])  # kept, not lost, not guessed


def test_a_newer_file_is_read_but_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps({"version": 99, "accounts": [{"kind": "imap", "host": "h", "username": "u"}]}))
    book = AccountBook(path)
    assert [a.key for a in book.all()] == ["imap:u@h:993"]
    before = path.read_bytes()
    with pytest.raises(LocalIOError):
        book.save()
    assert path.read_bytes() == before


def test_unreadable_file_is_a_local_io_error(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    path.write_text("{not json")
    with pytest.raises(LocalIOError):
        AccountBook(path)


def test_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    book = AccountBook(tmp_path / "accounts.json")
    book.add(Account("imap", "h", 993, "u"))
    book.save()
    book.save()
    assert os.listdir(tmp_path) == ["accounts.json"]


def test_identities_default_to_the_account_and_use_saved_ones() -> None:
    a = Account("imap", "h", 993, "u", email="u@h", display_name="U", signature="sig")
    (only,) = identities_for(a)
    assert (only.address, only.name, only.signature) == ("u@h", "U", "sig")
    a.identities = [AccountIdentity("x@h", "X", smtp_account="smtp:x@h:465")]
    (x,) = identities_for(a, lambda key: None)
    assert x.address == "x@h" and x.smtp is None


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 70000) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["imap", "pop3", "smtp", "ftp", "x"]) | _JSON,
        "host": st.sampled_from(["h", "", "a b"]) | _JSON,
        "port": _JSON,
        "username": _JSON,
        "security": st.sampled_from(["tls", "plain", "none", "weird"]) | _JSON,
        "auth": _JSON,
        "identities": _JSON,
        "allow_plaintext": _JSON,
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.one_of(_JSON, st.fixed_dictionaries({"version": _JSON, "accounts": st.lists(_FIELDS, max_size=3)})))
def test_any_file_content_gives_accounts_problems_or_a_local_io_error(tmp_path: Path, doc: object) -> None:
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(doc))
    try:
        book = AccountBook(path)
    except LocalIOError:
        return
    for problem in book.problems:
        assert isinstance(problem, BadRecord | UnknownSecurity)
