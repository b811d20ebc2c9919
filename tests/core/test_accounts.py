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
    assert saved["version"] == AccountBook.VERSION
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


def _wizard_v2_record(kind: str, host: str, port: int, user: str, **options: object) -> dict[str, object]:
    """A record exactly as the first account wizard wrote it: everything about the account in ``options``."""
    return {
        "kind": kind,
        "host": host,
        "port": port,
        "username": user,
        "security": "tls",
        "auth": "password",
        "display_name": "Chị Lan",
        "email": f"{user}@lan.vn",
        "options": options,
        "allow_plaintext": False,
        "id": f"id-{kind}-{user}",
        "order": 0,
        "check_interval": 600,
        "check_on_start": True,
        "smtp_account": "",
        "signature": "",
        "identities": [],
    }


def test_migrates_the_first_wizard_format(tmp_path: Path) -> None:
    from app.core.accounts import Pop3Policy
    from app.core.mail.account_setup import load_profiles
    from app.core.secrets import secret_key

    path = tmp_path / "accounts.json"
    shared_smtp = {"host": "smtp.lan.vn", "port": 587, "security": "starttls", "username": "lan", "size_limit": 1000}
    v2 = {
        "version": 2,
        "accounts": [
            _wizard_v2_record(
                "imap", "imap.lan.vn", 993, "lan",
                smtp=shared_smtp,
                identities=[
                    {"address": "lan@lan.vn", "name": "Chị Lan", "signature": "Lan\nKế toán", "reply_to": None},
                    {"address": "ketoan@lan.vn", "name": "Kế toán", "signature": "", "reply_to": "hopthu@lan.vn"},
                ],
                check_interval=5, check_on_start=False, order=1, allow_plaintext=False, keep_me="yes",
            ),
            _wizard_v2_record(
                "pop3", "pop.lan.vn", 995, "lan",
                smtp=shared_smtp, identities=[{"address": "lan@lan.vn", "name": "Chị Lan"}],
                check_interval=0, order=0, pop3={"keep": True, "delete_after_days": 14},
            ),
            _wizard_v2_record("pop3", "pop.old.vn", 995, "old", pop3_keep=False),  # what the reader read
        ],
    }  # fmt: skip
    path.write_text(json.dumps(v2, ensure_ascii=False))
    book = AccountBook(path)
    assert book.problems == []
    imap = book.get("imap:lan@imap.lan.vn:993")
    pop = book.get("pop3:lan@pop.lan.vn:995")
    old = book.get("pop3:old@pop.old.vn:995")
    assert imap is not None and pop is not None and old is not None
    # One SMTP record for the server both accounts named, under the keyring entry the wizard used.
    smtp = book.get(imap.smtp_account)
    assert smtp is not None and smtp.kind == "smtp" and pop.smtp_account == smtp.key
    assert smtp.key == "smtp:lan@smtp.lan.vn:587" and smtp.security is Security.STARTTLS
    assert smtp.secret_key == secret_key("smtp", "lan", "smtp.lan.vn", 587) and smtp.smtp_size_limit == 1000
    assert len([a for a in book.all() if a.kind == "smtp"]) == 1
    # The fields are fields now; only what no field holds stays in options.
    assert imap.check_interval == 300 and not imap.check_on_start and imap.order == 1
    assert [(i.address, i.signature, i.reply_to) for i in imap.identities] == [
        ("lan@lan.vn", "Lan\nKế toán", ""),
        ("ketoan@lan.vn", "", "hopthu@lan.vn"),
    ]
    assert imap.options == {"keep_me": "yes"}
    assert pop.check_interval == 0 and pop.order == 0
    assert pop.pop3_policy() == Pop3Policy(keep=True, delete_after_days=14)
    assert old.pop3_policy() == Pop3Policy(keep=False) and "pop3_keep" not in old.options
    # The profiles (what the wizard, the accounts dialog, the composer and the reader see) agree.
    profiles = {p.key: p for p in load_profiles(book)}
    lan = profiles[imap.key]
    assert lan.smtp.host == "smtp.lan.vn" and lan.smtp_size_limit == 1000 and lan.check_interval == 300
    assert profiles[pop.key].pop3_delete_after_days == 14
    # Saved again: version 3, no wizard keys left in any options, and read back the same.
    book.save()
    doc = json.loads(path.read_text())
    assert doc["version"] == AccountBook.VERSION == 3
    assert all(not {"smtp", "identities", "check_interval", "pop3_keep"} & set(a["options"]) for a in doc["accounts"])
    assert AccountBook(path).all() == book.all()
