"""Settings: every known key validated, free-form keys kept, a corrupt file survived with a message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray

from app.core.paths import AppPaths
from app.ui.settings import SCHEMA, SettingError, Settings, valid_sender


def test_defaults_and_round_trip(app_paths: AppPaths, qtbot) -> None:  # type: ignore[no-untyped-def]
    s = Settings(app_paths)
    assert s.problem is None
    assert s.as_dict() == {k: o.default for k, o in SCHEMA.items()}
    with qtbot.waitSignals([s.changed, s.changed], timeout=1000):
        s.update({"mail/check_interval_min": 30, "ui/theme": "dark"})
    s.set("mail/allowed_senders", ["news@example.org", " example.net ", "news@example.org"])
    s.set_value("window/geometry", QByteArray(b"\x00\x01geom"))
    again = Settings(app_paths)
    assert again.get("mail/check_interval_min") == 30
    assert again.get("ui/theme") == "dark"
    assert again.get("mail/allowed_senders") == ["news@example.org", "example.net"]
    assert again.value("window/geometry") == QByteArray(b"\x00\x01geom")
    assert again.value("missing/key", 7) == 7
    assert (app_paths.config / "settings.json").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("ui/language", "klingon"),
        ("mail/check_interval_min", -1),
        ("mail/check_interval_min", "soon"),
        ("files/parallel", 0),
        ("files/parallel", 11),
        ("files/parallel", True),
        ("files/conflict", "explode"),
        ("mail/allowed_senders", ["not an address"]),
        ("mail/allowed_senders", "a@b.org"),
        ("files/local_folder", "relative/path"),
        ("startup/check_mail", "maybe"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(app_paths: AppPaths, key: str, bad: object) -> None:
    s = Settings(app_paths)
    s.set("mail/check_interval_min", 5)
    before = (app_paths.config / "settings.json").read_bytes()
    with pytest.raises(SettingError) as e:
        s.update({"ui/theme": "dark", key: bad})
    assert e.value.key == key
    assert s.get("ui/theme") == "system"  # all or nothing
    assert (app_paths.config / "settings.json").read_bytes() == before


def test_corrupt_file_is_set_aside_with_a_message_and_nothing_else_is_lost(app_paths: AppPaths) -> None:
    accounts = app_paths.accounts_file
    accounts.write_text('{"accounts": []}')
    (app_paths.data / "mail.sqlite3").write_bytes(b"cache")
    path = app_paths.config / "settings.json"
    path.write_bytes(b'{"version": 1, "values": {"ui/language": "vi",\x00 garbage')
    s = Settings(app_paths)
    assert s.problem is not None and s.problem.corrupt
    assert s.language == "system"
    backup = app_paths.config / "settings.json.corrupt"
    assert backup.read_bytes().endswith(b"garbage")
    text = s.problem_text()
    assert "default settings" in text and str(backup) in text
    assert accounts.read_text() == '{"accounts": []}'
    assert (app_paths.data / "mail.sqlite3").read_bytes() == b"cache"
    s.set("ui/language", "vi")
    assert json.loads(path.read_text())["values"]["ui/language"] == "vi"


def test_one_bad_value_falls_back_alone(app_paths: AppPaths) -> None:
    path = app_paths.config / "settings.json"
    values = {"ui/language": "vi", "files/parallel": 99, "mail/remote_content": "always", "window/tab": 1}
    path.write_text(json.dumps({"version": 1, "values": values}))
    s = Settings(app_paths)
    assert s.problem is not None and not s.problem.corrupt
    assert s.problem.keys == ["files/parallel"]
    assert "files/parallel" in s.problem_text()
    assert (s.language, s.get("files/parallel"), s.get("mail/remote_content")) == ("vi", 2, "always")
    assert s.value("window/tab") == 1


@pytest.mark.parametrize("text", ["[1, 2]", '{"values": []}', "\xff\xfe"])
def test_wrong_shapes_count_as_corrupt(app_paths: AppPaths, text: str) -> None:
    (app_paths.config / "settings.json").write_bytes(text.encode("latin-1"))
    s = Settings(app_paths)
    assert s.problem is not None and s.problem.corrupt
    assert s.as_dict()["ui/language"] == "system"


def test_old_ini_settings_are_carried_over(app_paths: AppPaths) -> None:
    from PySide6.QtCore import QSettings

    ini = QSettings(str(app_paths.config / "quay.ini"), QSettings.Format.IniFormat)
    ini.setValue("ui/language", "vi")
    ini.setValue("window/tab", 1)
    ini.sync()
    s = Settings(app_paths)
    assert s.language == "vi"
    assert int(s.value("window/tab")) == 1


def test_sender_entries() -> None:
    for ok in ("a@example.org", "example.org", "@example.org", "news.example.co.uk", "x+y@sub.example.org"):
        assert valid_sender(ok), ok
    for bad in ("", "nobody", "a@b", "a@@example.org", "a b@example.org", "<a@example.org>"):
        assert not valid_sender(bad), bad


def test_settings_file_is_json_a_person_can_read(app_paths: AppPaths) -> None:
    s = Settings(app_paths)
    s.set("ui/language", "vi")
    text = Path(s.path).read_text()
    assert '"ui/language": "vi"' in text
