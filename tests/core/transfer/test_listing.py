"""Listing parsers: real-world samples of every format, round trips and never-crash properties (hypothesis)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.transfer.listing import (
    MONTHS,
    parse_dos_line,
    parse_eplf_line,
    parse_list,
    parse_list_line,
    parse_mlsd,
    parse_mlsd_line,
    parse_mlsx_time,
    parse_mvs_line,
    parse_unix_line,
    parse_vms_line,
)

NOW = dt.datetime(2024, 6, 15, 12, 0, tzinfo=dt.UTC)


def ts(*args: int) -> float:
    return dt.datetime(*args, tzinfo=dt.UTC).timestamp()  # type: ignore[misc]


# --- MLSD ----------------------------------------------------------------------------


def test_mlsd_facts() -> None:
    lines = [
        "type=cdir;perm=el;unix.mode=0755; /home/alice",
        "type=pdir;perm=el; ..",
        "type=file;size=1234;modify=20240131120102.5;perm=adfrw;unix.mode=0644;unix.owner=alice;unix.group=staff;"
        " a b.txt",
        "type=dir;modify=20240101000000;perm=flcdmpe; sub dir",
        "type=OS.unix=symlink;modify=20240101000000; link",
        "type=OS.unix=slink:/etc/target;size=11; link2",
        "type=file;size=0;   leading spaces",
        "type=file;size=5; semi;colon=name",
    ]
    entries = parse_mlsd(lines)
    assert [e.name for e in entries] == ["a b.txt", "sub dir", "link", "link2", "  leading spaces", "semi;colon=name"]
    f = entries[0]
    assert (f.kind, f.size, f.mode, f.owner, f.group, f.perms) == ("file", 1234, 0o644, "alice", "staff", "adfrw")
    assert f.mtime == ts(2024, 1, 31, 12, 1, 2) + 0.5
    assert entries[1].kind == "dir"
    assert entries[2].kind == "link"
    assert entries[3].kind == "link" and entries[3].target == "/etc/target"


def test_mlst_time_parser() -> None:
    assert parse_mlsx_time("20240229235959") == ts(2024, 2, 29, 23, 59, 59)
    assert parse_mlsx_time("20230229000000") is None  # no such day
    assert parse_mlsx_time("garbage") is None


# --- Unix -----------------------------------------------------------------------------

UNIX_SAMPLES = [
    ("drwxr-xr-x    2 1000     1000         4096 Jan 31 10:05 docs", "docs", "dir", 4096, ts(2024, 1, 31, 10, 5)),
    (
        "-rw-r--r--    1 alice    staff     1234567 Dec  1  2019 report.pdf",
        "report.pdf",
        "file",
        1234567,
        ts(2019, 12, 1),
    ),
    ("-rw-r--r--   1 owner    12 Nov 30 23:59 no group.txt", "no group.txt", "file", 12, ts(2023, 11, 30, 23, 59)),
    ("-rw-r--r-- 1 ftp ftp 5 Jun 15 11:00  two leading", " two leading", "file", 5, ts(2024, 6, 15, 11, 0)),
    ("lrwxrwxrwx 1 root root 7 Mar  3  2021 lib -> usr/lib", "lib", "link", 7, ts(2021, 3, 3)),
    ("-rwsr-xr-t+ 1 root wheel 0 Feb 29 2020 weird", "weird", "file", 0, ts(2020, 2, 29)),
    ("crw-rw-rw-   1 root     root       1,   3 Apr  1  2020 null", "null", "other", None, ts(2020, 4, 1)),
    ("-rw-r--r-- 1 user group 42 2024-05-06 07:08 iso.txt", "iso.txt", "file", 42, ts(2024, 5, 6, 7, 8)),
    ("-rw-r--r-- 1 user group 42 Jan 1 2020 x -> y not a link", "x -> y not a link", "file", 42, ts(2020, 1, 1)),
    ("-rw-r--r-- user group 99 Aug 8 2008 nolinks", "nolinks", "file", 99, ts(2008, 8, 8)),
    ("-rw-r--r-- 1 user group 7 Jan 1 2000 Jan 1 2000 tricky", "Jan 1 2000 tricky", "file", 7, ts(2000, 1, 1)),
]


@pytest.mark.parametrize(("line", "name", "kind", "size", "mtime"), UNIX_SAMPLES)
def test_unix_samples(line: str, name: str, kind: str, size: int | None, mtime: float) -> None:
    e = parse_unix_line(line, NOW)
    assert e is not None
    assert (e.name, e.kind, e.size, e.mtime) == (name, kind, size, mtime)


def test_unix_details() -> None:
    e = parse_unix_line("lrwxrwxrwx 1 root staff 7 Mar  3  2021 lib -> usr/lib", NOW)
    assert e is not None and e.target == "usr/lib" and e.owner == "root" and e.group == "staff"
    e = parse_unix_line("-rwsr-sr-t 1 1000 1001 0 Feb 29 2020 x", NOW)
    assert e is not None and e.mode == 0o7755 and e.owner == "1000" and e.group == "1001"
    e = parse_unix_line("-rw-r--r--   1 owner    12 Nov 30 23:59 f", NOW)
    assert e is not None and e.owner == "owner" and e.group is None


def test_time_in_future_means_last_year() -> None:
    e = parse_unix_line("-rw-r--r-- 1 a b 1 Dec 24 18:00 xmas", NOW)
    assert e is not None and e.mtime == ts(2023, 12, 24, 18, 0)


# --- DOS / EPLF / VMS / MVS ---------------------------------------------------------------


def test_dos_samples() -> None:
    e = parse_dos_line("01-31-24  03:04PM       <DIR>          My Folder")
    assert e is not None and (e.name, e.kind, e.size, e.mtime) == ("My Folder", "dir", None, ts(2024, 1, 31, 15, 4))
    e = parse_dos_line("12-01-99  12:30AM                 1234 old.txt")
    assert e is not None and (e.name, e.kind, e.size, e.mtime) == ("old.txt", "file", 1234, ts(1999, 12, 1, 0, 30))
    e = parse_dos_line("2024-02-03  17:00              5,678  spaced name.bin")
    assert e is not None and (e.name, e.size, e.mtime) == (" spaced name.bin", 5678, ts(2024, 2, 3, 17))
    e = parse_dos_line("01-31-2024  11:00AM       <DIR>             three leading")
    assert e is not None and e.name == "   three leading"


def test_eplf_samples() -> None:
    e = parse_eplf_line("+i8388621.29609,m824255902,/,\tdev")
    assert e is not None and (e.name, e.kind, e.mtime) == ("dev", "dir", 824255902.0)
    e = parse_eplf_line("+i8388621.44468,m839956783,r,s10376,up644,\tRFCEPLF")
    assert e is not None and (e.name, e.kind, e.size, e.mode) == ("RFCEPLF", "file", 10376, 0o644)


def test_vms_samples() -> None:
    e = parse_vms_line("CII-MANUAL.TEX;1  213/216  29-JAN-1996 03:33:12  [ANONYMOUS,ANONYMOUS]   (RWED,RWED,,)")
    assert e is not None and (e.name, e.kind, e.mtime) == ("CII-MANUAL.TEX", "file", ts(1996, 1, 29, 3, 33, 12))
    e = parse_vms_line("SUBDIR.DIR;1    1/3    5-MAR-2001 10:00  [SYSTEM]  (RWE,RWE,RE,RE)")
    assert e is not None and (e.name, e.kind) == ("SUBDIR", "dir")


def test_mvs_samples() -> None:
    lines = [
        "Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname",
        "WYOSPT 3420   2003/03/31  1   15  FB      80  3120  PO  MY.PDS",
        "WYOSPT 3420   2003/03/31  1   15  FB      80  3120  PS  MY.SEQ.DATA",
        "Migrated                                                OLD.DATA",
    ]
    entries = parse_list(lines, NOW)
    assert [(e.name, e.kind) for e in entries] == [("MY.PDS", "dir"), ("MY.SEQ.DATA", "file"), ("OLD.DATA", "other")]
    member = parse_mvs_line("MEMBER1   01.01 2003/01/01 2003/02/03 12:34    10    10     0 USER1")
    assert member is not None and member.name == "MEMBER1" and member.mtime == ts(2003, 2, 3, 12, 34)


def test_list_dispatch_skips_noise_and_dots(caplog: pytest.LogCaptureFixture) -> None:
    lines = [
        "total 12",
        "drwxr-xr-x 2 a b 4096 Jan 1 2020 .",
        "drwxr-xr-x 2 a b 4096 Jan 1 2020 ..",
        "-rw-r--r-- 1 a b 3 Jan 1 2020 file",
        "01-31-24  03:04PM       <DIR>          win",
        "this is not a listing line",
        "",
    ]
    with caplog.at_level(logging.WARNING):
        entries = parse_list(lines, NOW)
    assert [(e.name, e.kind) for e in entries] == [
        ("file", "file"),
        ("win", "dir"),
        ("this is not a listing line", "other"),
    ]
    assert "unrecognized LIST line" in caplog.text


# --- properties ------------------------------------------------------------------------------

_name_chars = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
names = st.text(_name_chars, min_size=1, max_size=30).filter(lambda n: n.strip() not in ("", ".", ".."))
ids = st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True).filter(lambda s: s[:3] not in MONTHS)
perms = st.from_regex(r"[r-][w-][xsS-][r-][w-][xsS-][r-][w-][xtT-]", fullmatch=True)
dates = st.datetimes(min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2037, 12, 31))


@settings(deadline=None, max_examples=300)
@given(
    name=names.filter(lambda n: " -> " not in n),
    kind=st.sampled_from(["-", "d"]),
    perm=perms,
    links=st.one_of(st.none(), st.integers(1, 999)),
    owner=st.one_of(ids, st.integers(0, 65535).map(str)),
    group=st.one_of(st.none(), ids, st.integers(0, 65535).map(str)),
    size=st.integers(0, 2**63),
    when=dates,
    recent=st.booleans(),
)
def test_unix_round_trip(
    name: str,
    kind: str,
    perm: str,
    links: int | None,
    owner: str,
    group: str | None,
    size: int,
    when: dt.datetime,
    recent: bool,
) -> None:
    mon = dt.date(2000, when.month, 1).strftime("%b")
    if recent:
        now = dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC) + dt.timedelta(days=30)
        date_text = f"{mon} {when.day:2d} {when.hour:02d}:{when.minute:02d}"
        expected = ts(when.year, when.month, when.day, when.hour, when.minute)
    else:
        now = NOW
        date_text = f"{mon} {when.day:2d} {when.year:5d}"
        expected = ts(when.year, when.month, when.day)
    cols = [kind + perm] + ([str(links)] if links is not None else []) + [owner] + ([group] if group else [])
    line = " ".join(cols) + f" {size:>8} {date_text} {name}"
    e = parse_list_line(line, now)
    assert e is not None
    assert e.name == name
    assert e.kind == ("dir" if kind == "d" else "file")
    assert e.size == size
    assert e.mtime == expected


@settings(deadline=None)
@given(name=names, target=names)
def test_unix_symlink_round_trip(name: str, target: str) -> None:
    if " -> " in name:
        return
    e = parse_unix_line(f"lrwxrwxrwx 1 u g 3 Jan  2  2003 {name} -> {target}", NOW)
    assert e is not None and e.kind == "link" and e.name == name and e.target == target


@settings(deadline=None)
@given(
    name=st.text(_name_chars, min_size=1, max_size=30).filter(lambda n: n.strip() != ""),
    is_dir=st.booleans(),
    size=st.integers(0, 10**15),
    when=dates,
    ampm=st.booleans(),
)
def test_dos_round_trip(name: str, is_dir: bool, size: int, when: dt.datetime, ampm: bool) -> None:
    if name in (".", ".."):
        return
    if ampm:
        h12 = when.hour % 12 or 12
        clock = f"{h12:02d}:{when.minute:02d}{'PM' if when.hour >= 12 else 'AM'}"
    else:
        clock = f"{when.hour:02d}:{when.minute:02d}"
    col = "<DIR>         " if is_dir else f"{size:>14}"
    line = f"{when.month:02d}-{when.day:02d}-{when.year:04d}  {clock}       {col} {name}"
    e = parse_dos_line(line)
    assert e is not None
    assert e.name == name
    assert e.kind == ("dir" if is_dir else "file")
    assert e.size == (None if is_dir else size)
    assert e.mtime == ts(when.year, when.month, when.day, when.hour, when.minute)


@settings(deadline=None)
@given(name=names.filter(lambda n: "\t" not in n), is_dir=st.booleans(), size=st.integers(0, 10**12), m=st.integers(1))
def test_eplf_round_trip(name: str, is_dir: bool, size: int, m: int) -> None:
    facts = ["i1.2", f"m{m}", "/" if is_dir else "r", f"s{size}"]
    e = parse_eplf_line("+" + ",".join(facts) + ",\t" + name)
    assert e is not None and e.name == name and e.size == size and e.mtime == float(m)
    assert e.kind == ("dir" if is_dir else "file")


@settings(deadline=None)
@given(
    name=st.from_regex(r"[A-Z0-9_$-]{1,20}\.[A-Z0-9_]{0,10}", fullmatch=True).filter(lambda n: not n.endswith(".DIR")),
    ver=st.integers(1, 32767),
    when=dates,
)
def test_vms_round_trip(name: str, ver: int, when: dt.datetime) -> None:
    mon = dt.date(2000, when.month, 1).strftime("%b").upper()
    clock = f"{when.hour:02d}:{when.minute:02d}:{when.second:02d}"
    line = f"{name};{ver}   4/6   {when.day}-{mon}-{when.year} {clock}  [G,O]  (RWED,RWED,RE,)"
    e = parse_vms_line(line)
    assert e is not None and e.name == name and e.kind == "file"
    assert e.mtime == ts(when.year, when.month, when.day, when.hour, when.minute, when.second)


@settings(deadline=None)
@given(
    name=st.from_regex(r"[A-Z][A-Z0-9]{0,7}(\.[A-Z][A-Z0-9]{0,7}){0,3}", fullmatch=True),
    dsorg=st.sampled_from(["PO", "PS"]),
    when=dates,
)
def test_mvs_round_trip(name: str, dsorg: str, when: dt.datetime) -> None:
    line = f"VOL001 3390   {when.year:04d}/{when.month:02d}/{when.day:02d}  1   15  FB      80  3120  {dsorg}  {name}"
    e = parse_mvs_line(line)
    assert e is not None and e.name == name and e.kind == ("dir" if dsorg == "PO" else "file")


@settings(deadline=None, max_examples=300)
@given(
    name=st.text(_name_chars, min_size=1, max_size=30).filter(lambda n: n not in (".", "..")),
    kind=st.sampled_from(["file", "dir"]),
    size=st.integers(0, 2**63),
    when=dates,
    extra=st.dictionaries(st.sampled_from(["perm", "unix.owner", "lang", "charset"]), ids, max_size=3),
)
def test_mlsd_round_trip(name: str, kind: str, size: int, when: dt.datetime, extra: dict[str, str]) -> None:
    facts = {"type": kind, "size": str(size), "modify": when.strftime("%Y%m%d%H%M%S"), **extra}
    line = "".join(f"{k}={v};" for k, v in facts.items()) + " " + name
    e = parse_mlsd_line(line)
    assert e is not None
    assert (e.name, e.kind, e.size) == (name, kind, size)
    assert e.mtime == ts(when.year, when.month, when.day, when.hour, when.minute, when.second)


@settings(deadline=None, max_examples=500)
@given(line=st.text(max_size=120))
def test_no_parser_ever_crashes(line: str) -> None:
    for parser in (parse_dos_line, parse_eplf_line, parse_vms_line, parse_mvs_line, parse_mlsd_line):
        parser(line)
    parse_unix_line(line, NOW)
    e = parse_list_line(line, NOW)
    assert e is None or isinstance(e.name, str)


@settings(deadline=None, max_examples=300)
@given(
    line=st.builds(
        lambda head, rest: head + rest,
        st.sampled_from(["-rw-r--r-- ", "drwxr-xr-x 1 ", "lrwxrwxrwx 1 a b 1 ", "01-01-20  ", "+", "X.DIR;1 "]),
        st.text(alphabet=st.sampled_from(list("0123456789 :-/,.JanDec<DIR>PM\t>")), max_size=60),
    )
)
def test_near_miss_lines_never_crash(line: str) -> None:
    e = parse_list_line(line, NOW)
    assert e is None or e.name
