"""Safe local paths: crafted names are refused or rewritten, and nothing generated ever escapes the folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import LocalIOError, UnsafePathError
from app.core.transfer.localpaths import (
    DOT_LOOKALIKES,
    SLASH_LOOKALIKES,
    local_path_for,
    local_path_under,
    real_folder,
    safe_component,
)

REJECTED = [
    "",
    " ",
    ".",
    "..",
    "...",
    ". .",
    ".. ",
    "../../etc/evil",
    "/etc/passwd",
    "a/b",
    "..\\x",
    "x\\..\\..\\y",
    "C:\\x",
    "c:evil",
    "a:b",
    "\\\\server\\share",
    "\\x",
    "a\x00b",
    "\u2025",  # TWO DOT LEADER -> ".."
    "\u2025\u2215x",  # "..∕x"
    "\uff0e\uff0e",  # fullwidth ".."
    "\uff0e\uff0e\uff0fetc",
    "\u2024\u2024",
    "\ufe52\ufe52",
    "..\u2215..\u2215x",
    "..\u2044x",
    "..\u29f8x",
    "\u2026",  # ellipsis -> "..."
    "a\uff0fb",
]


@pytest.mark.parametrize("name", REJECTED)
def test_unsafe_names_are_rejected(name: str, tmp_path: Path) -> None:
    with pytest.raises(UnsafePathError):
        local_path_for(tmp_path, name)


def test_unsafe_path_error_is_a_local_io_error() -> None:
    with pytest.raises(LocalIOError):
        safe_component("..")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report.pdf", "report.pdf"),
        ("  leading spaces", "  leading spaces"),
        ("name with spaces.txt", "name with spaces.txt"),
        ("Übergrößenträger.txt", "Übergrößenträger.txt"),
        ("日本語.txt", "日本語.txt"),
        (".hidden", ".hidden"),
        ("a..b", "a..b"),
        ("back\\slash", "back_slash"),
        ("ab:c", "ab_c"),
        ('q"<>|?*', "q______"),
        ("tab\there", "tab_here"),
        ("bell\x07", "bell_"),
        ("del\x7f", "del_"),
        ("c1\x85", "c1_"),
        ("evil\u202etxt.exe", "evil_txt.exe"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("NUL.tar.gz", "_NUL.tar.gz"),
        ("COM1", "_COM1"),
        ("lpt9.log", "_lpt9.log"),
        ("COM\u00b9", "_COM1"),  # NFKC folds the superscript
        ("CONSOLE", "CONSOLE"),
        ("x\u2215y", "x_y"),
        ("x\u2044y", "x_y"),
        ("x\u29f8y", "x_y"),
        ("file\u2024txt", "file.txt"),  # NFKC folds ONE DOT LEADER
        ("file\u0701txt", "file_txt"),
        ("\ufb01le", "file"),  # ligature fi, NFKC
    ],
)
def test_rewrites(name: str, expected: str) -> None:
    assert safe_component(name, windows=False) == expected


def test_trailing_dots_and_spaces_rewritten_on_windows_only() -> None:
    assert safe_component("name. ", windows=True) == "name__"
    assert safe_component("name. ", windows=False) == "name. "


def test_long_names_are_truncated_keeping_extension() -> None:
    out = safe_component("é" * 300 + ".txt", windows=False)
    assert out.endswith(".txt")
    assert len(out.encode()) <= 255


def test_local_path_for_is_inside(tmp_path: Path) -> None:
    p = local_path_for(tmp_path, "x.txt")
    assert p.parent == Path(os.path.realpath(tmp_path))
    assert p.name == "x.txt"


def test_symlink_in_target_pointing_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "target"
    target.mkdir()
    (target / "trap").symlink_to(outside / "victim")
    with pytest.raises(UnsafePathError):
        local_path_for(target, "trap")
    (target / "dirtrap").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePathError):
        local_path_under(target, "dirtrap/file")


def test_a_resolved_folder_gives_the_same_answers(tmp_path: Path) -> None:
    """The per-listing fast path (folder resolved once) agrees with resolving every name in full."""
    real = tmp_path / "real"
    real.mkdir()
    via = tmp_path / "via"
    via.symlink_to(real, target_is_directory=True)  # the folder itself is reached through a link
    outside = tmp_path / "outside"
    outside.mkdir()
    (real / "inner").mkdir()
    (real / "ok-link").symlink_to(real / "inner" / "f")  # a link that stays inside
    (real / "trap").symlink_to(outside / "victim")
    (real / "existing.txt").write_text("x")
    resolved = real_folder(via)
    assert resolved == Path(os.path.realpath(real))
    for name in ("new.txt", "existing.txt", "inner", "ok-link"):
        assert local_path_for(via, name, real_root=resolved) == local_path_for(via, name)
    with pytest.raises(UnsafePathError):
        local_path_for(via, "trap", real_root=resolved)
    with pytest.raises(UnsafePathError):
        local_path_for(via, "..", real_root=resolved)


def test_local_path_under(tmp_path: Path) -> None:
    root = Path(os.path.realpath(tmp_path))
    assert local_path_under(tmp_path, "a/b/c.txt") == root / "a" / "b" / "c.txt"
    assert local_path_under(tmp_path, "./a//b/") == root / "a" / "b"
    assert local_path_under(tmp_path, "a/CON/x") == root / "a" / "_CON" / "x"
    for bad in ("a/../../x", "../x", "", "/", ".", "a/\u2025/x", "a/b\x00", "a/C:\\x"):
        with pytest.raises(UnsafePathError):
            local_path_under(tmp_path, bad)


# --- properties ----------------------------------------------------------------

_LOOKALIKES = "".join(sorted(SLASH_LOOKALIKES | DOT_LOOKALIKES))
_nasty_alphabet = st.sampled_from(
    list('./\\:\x00 \t\n\r*?<>|"aZ9-_~$') + list(_LOOKALIKES) + ["\u2025", "\u2026", "\u202e", "C:", "CON", "é"]
)
_nasty_names = st.one_of(
    st.text(min_size=0, max_size=40),
    st.lists(_nasty_alphabet, min_size=0, max_size=12).map("".join),
)


@settings(deadline=None, max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_nasty_names, windows=st.booleans())
def test_no_generated_name_ever_escapes(tmp_path: Path, name: str, windows: bool) -> None:
    root = Path(os.path.realpath(tmp_path))
    try:
        p = local_path_for(tmp_path, name, windows=windows)
    except UnsafePathError:
        return
    assert p.parent == root
    assert p.name not in ("", ".", "..")
    assert "/" not in p.name and "\\" not in p.name and "\x00" not in p.name
    canon = p.name
    assert not any(c in canon for c in SLASH_LOOKALIKES | DOT_LOOKALIKES)
    assert not (len(canon) >= 2 and canon[1] == ":")


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(_nasty_names, min_size=1, max_size=5), windows=st.booleans())
def test_no_generated_relative_path_ever_escapes(tmp_path: Path, parts: list[str], windows: bool) -> None:
    root = Path(os.path.realpath(tmp_path))
    try:
        p = local_path_under(tmp_path, "/".join(parts), windows=windows)
    except UnsafePathError:
        return
    assert root in p.parents
    assert ".." not in p.relative_to(root).parts


@settings(deadline=None)
@given(name=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_safe_component_is_idempotent(name: str) -> None:
    try:
        once = safe_component(name, windows=True)
    except UnsafePathError:
        return
    assert safe_component(once, windows=True) == once
