"""FTP directory listings: MLSD/MLST facts (RFC 3659) and the LIST formats real servers send.

LIST output is not standardized.  :func:`parse_list_line` recognizes, in
order: Unix ``ls -l`` (with or without group, numeric ids, ``HH:MM`` or year
dates, ISO dates, symlinks ``a -> b``, device files, names with spaces and
leading spaces), DOS/Windows IIS, EPLF, VMS and MVS.  A line none of them
understands is kept as an entry of kind ``other`` whose name is the stripped
line, with a warning in the log -- a listing never crashes the client.

Times without a time zone (every LIST format) are taken as UTC.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Iterable

from app.core.transfer.base import EntryKind, RemoteEntry

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}


class _Lazy:
    """A regex compiled on first use: every FTP session imports this module, few parse LIST output."""

    __slots__ = ("_args", "_rx")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._rx: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._rx is None:
            self._rx = re.compile(*self._args)
        return self._rx

    def match(self, s: str) -> re.Match[str] | None:
        return self._get().match(s)

    def search(self, s: str) -> re.Match[str] | None:
        return self._get().search(s)


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> float | None:
    try:
        return _dt.datetime(year, month, day, hour, minute, second, tzinfo=_dt.UTC).timestamp()
    except (ValueError, OverflowError):
        return None


# --- MLSD / MLST -------------------------------------------------------------------


def parse_mlsx_time(value: str) -> float | None:
    """``YYYYMMDDHHMMSS[.sss]`` (RFC 3659 time-val, always UTC) -> epoch seconds."""
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?", value.strip())
    if not m:
        return None
    ts = _utc(*(int(g) for g in m.groups()[:6]))
    if ts is None:
        return None
    if m.group(7):
        ts += int(m.group(7)) / 10 ** len(m.group(7))
    return ts


def parse_mlsd_line(line: str) -> RemoteEntry | None:
    """One MLSD line (``fact=value;...; name``); None for ``cdir``/``pdir`` entries and blank lines.

    The facts end at the first space (RFC 3659 fact values contain none); the
    rest of the line, leading spaces included, is the name.
    """
    line = line.rstrip("\r\n")
    if not line.strip():
        return None
    facts_text, sep, name = line.partition(" ")
    if not sep:
        # No space at all: no facts, or a malformed line; keep it as a name.
        facts_text, name = "", line
    facts: dict[str, str] = {}
    for fact in facts_text.split(";"):
        if "=" in fact:
            k, _, v = fact.partition("=")
            facts[k.strip().lower()] = v
    kind_fact = facts.get("type", "").lower()
    if kind_fact in ("cdir", "pdir"):
        return None
    if name in (".", ".."):
        return None
    kind: EntryKind
    target = None
    if kind_fact == "file":
        kind = "file"
    elif kind_fact == "dir":
        kind = "dir"
    elif kind_fact.startswith("os.unix=slink") or kind_fact.startswith("os.unix=symlink"):
        kind = "link"
        _, _, tgt = facts.get("type", "").partition(":")
        target = tgt or None
    elif kind_fact.startswith("os.unix=") or kind_fact:
        kind = "other"
    else:
        kind = "file" if "size" in facts else "other"
    size = _int(facts.get("size") if kind != "dir" else facts.get("size", facts.get("sizd")))
    mode = None
    if "unix.mode" in facts:
        try:
            mode = int(facts["unix.mode"], 8)
        except ValueError:
            mode = None
    mtime = parse_mlsx_time(facts["modify"]) if "modify" in facts else None
    return RemoteEntry(
        name=name,
        kind=kind,
        size=size,
        mtime=mtime,
        perms=facts.get("perm"),
        mode=mode,
        owner=facts.get("unix.owner") or facts.get("unix.uid"),
        group=facts.get("unix.group") or facts.get("unix.gid"),
        target=target,
        raw=line,
    )


def parse_mlsd(lines: Iterable[str]) -> list[RemoteEntry]:
    """All entries of an MLSD listing, without ``.``/``..``."""
    out = []
    for line in lines:
        entry = parse_mlsd_line(line)
        if entry is not None:
            out.append(entry)
    return out


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        n = int(value)
    except ValueError:
        return None
    return n if n >= 0 else None


# --- Unix ls -l ----------------------------------------------------------------------

_UNIX_HEAD = _Lazy(r"^(?P<type>[-dlbcpsDn?])(?P<perm>[-rwxsStTlL?]{9})[+@.*]?(?:\s+|$)")
_MONTH_ALT = "|".join(m for m in MONTHS)
_UNIX_DATE = _Lazy(
    r"(?:^|\s)(?P<size>\d+|\d+,\s*\d+)\s+"
    r"(?:(?P<mon>" + _MONTH_ALT + r")\s+(?P<day>\d{1,2})|(?P<day2>\d{1,2})\.?\s+(?P<mon2>" + _MONTH_ALT + r")\.?)"
    r"\s+(?P<ty>\d{1,2}:\d{2}(?::\d{2})?|\d{4}) (?P<name>.*)$",
    re.I,
)
_UNIX_ISO_DATE = _Lazy(
    r"(?:^|\s)(?P<size>\d+|\d+,\s*\d+)\s+(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})\s+"
    r"(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?(?:\s+[+-]\d{4})? (?P<name>.*)$"
)
_KIND_BY_TYPE: dict[str, EntryKind] = {"-": "file", "d": "dir", "l": "link"}


def _perm_to_mode(perm: str) -> int:
    """``rwxr-sr-t`` -> 0o3755 (setuid/setgid/sticky included)."""
    mode = 0
    for i, ch in enumerate(perm[:9]):
        if ch in "rwxsStT":
            bit = 1 << (8 - i)
            if ch in "rwxst":
                mode |= bit
    if perm[2] in "sS":
        mode |= 0o4000
    if perm[5] in "sS":
        mode |= 0o2000
    if perm[8] in "tT":
        mode |= 0o1000
    return mode


def _year_for(month: int, day: int, hour: int, minute: int, now: _dt.datetime) -> int:
    """``ls`` shows a time instead of a year for dates in the last six months: pick the year that is not future."""
    year = now.year
    ts = _utc(year, month, day, hour, minute)
    if ts is not None and ts > now.timestamp() + 86400 * 2:
        year -= 1
    return year


def parse_unix_line(line: str, now: _dt.datetime | None = None) -> RemoteEntry | None:
    """One ``ls -l`` line, or None when it is not one."""
    head = _UNIX_HEAD.match(line)
    if not head:
        return None
    rest = line[head.end() :]
    m = _UNIX_DATE.search(rest)
    mtime: float | None
    if m:
        mon = MONTHS[(m.group("mon") or m.group("mon2")).lower()]
        day = int(m.group("day") or m.group("day2"))
        ty = m.group("ty")
        if ":" in ty:
            parts = [int(p) for p in ty.split(":")]
            hour, minute = parts[0], parts[1]
            second = parts[2] if len(parts) > 2 else 0
            ref = now or _dt.datetime.now(_dt.UTC)
            mtime = _utc(_year_for(mon, day, hour, minute, ref), mon, day, hour, minute, second)
        else:
            mtime = _utc(int(ty), mon, day)
    else:
        m = _UNIX_ISO_DATE.search(rest)
        if not m:
            return None
        mtime = _utc(
            int(m.group("y")),
            int(m.group("mo")),
            int(m.group("d")),
            int(m.group("h")),
            int(m.group("mi")),
            int(m.group("s") or 0),
        )
    ids = rest[: m.start()].split()
    # ids: [links] owner [group]; a leading number is the link count when more than one token follows it.
    if len(ids) >= 2 and ids[0].isdigit():
        ids = ids[1:]
    owner = ids[0] if ids else None
    group = ids[1] if len(ids) > 1 else None
    name = m.group("name")
    type_ch = head.group("type")
    kind = _KIND_BY_TYPE.get(type_ch, "other")
    target = None
    if kind == "link" and " -> " in name:
        name, _, target = name.partition(" -> ")
    size_text = m.group("size")
    size = int(size_text) if size_text.isdigit() else None
    perm = head.group("perm")
    return RemoteEntry(
        name=name,
        kind=kind,
        size=size,
        mtime=mtime,
        perms=perm,
        mode=_perm_to_mode(perm),
        owner=owner,
        group=group,
        target=target,
        raw=line,
    )


# --- DOS / Windows IIS -------------------------------------------------------------

_DOS_RE = _Lazy(
    r"^(?P<d1>\d{1,4})[-/.](?P<d2>\d{1,2})[-/.](?P<d3>\d{1,4})\s+"
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[AaPp][Mm])?\s+"
    r"(?:(?P<dir><DIR>) {1,10}|(?P<size>\d[\d,.]*) )(?P<name>.+)$"
)


def parse_dos_line(line: str) -> RemoteEntry | None:
    """``01-31-24  03:04PM  <DIR>  name`` or ``2024-01-31 15:04  1234 name`` (IIS, Windows, some NAS)."""
    m = _DOS_RE.match(line)
    if not m:
        return None
    d1, d2, d3 = int(m.group("d1")), int(m.group("d2")), int(m.group("d3"))
    if len(m.group("d1")) == 4:
        year, month, day = d1, d2, d3  # ISO order
    else:
        month, day, year = d1, d2, d3  # IIS uses MM-DD-YY
        if year < 100:
            year += 2000 if year < 70 else 1900
    hour, minute = int(m.group("h")), int(m.group("mi"))
    ampm = (m.group("ampm") or "").upper()
    if ampm == "PM" and hour < 12:
        hour += 12
    elif ampm == "AM" and hour == 12:
        hour = 0
    mtime = _utc(year, month, day, hour, minute, int(m.group("s") or 0)) if hour < 24 else None
    is_dir = m.group("dir") is not None
    size = None if is_dir else int(re.sub(r"[,.]", "", m.group("size")))
    return RemoteEntry(name=m.group("name"), kind="dir" if is_dir else "file", size=size, mtime=mtime, raw=line)


# --- EPLF -----------------------------------------------------------------------------


def parse_eplf_line(line: str) -> RemoteEntry | None:
    """Easily Parsed LIST Format: ``+facts,...,\\tname`` (D. J. Bernstein's publicfile and others)."""
    if not line.startswith("+") or "\t" not in line:
        return None
    facts_text, _, name = line[1:].partition("\t")
    kind: EntryKind = "other"
    size: int | None = None
    mtime: float | None = None
    mode: int | None = None
    for fact in facts_text.split(","):
        if not fact:
            continue
        key, value = fact[0], fact[1:]
        if key == "/":
            kind = "dir"
        elif key == "r":
            kind = "file" if kind != "dir" else kind
        elif key == "s":
            size = _int(value)
        elif key == "m":
            t = _int(value)
            mtime = float(t) if t is not None else None
        elif key == "u" and value.startswith("p"):
            try:
                mode = int(value[1:], 8)
            except ValueError:
                mode = None
    if not name:
        return None
    return RemoteEntry(name=name, kind=kind, size=size, mtime=mtime, mode=mode, raw=line)


# --- VMS -------------------------------------------------------------------------------

_VMS_RE = _Lazy(
    r"^(?P<name>[^\s;]+);(?P<ver>\d+)\s+(?P<used>\d+)(?:/\d+)?\s+"
    r"(?P<day>\d{1,2})-(?P<mon>[A-Za-z]{3})-(?P<year>\d{4})\s+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\.\d+)?(?:\s+\[(?P<owner>[^\]]*)\])?(?:\s+\((?P<prot>[^)]*)\))?\s*$"
)


def parse_vms_line(line: str) -> RemoteEntry | None:
    """``NAME.EXT;1  4/6  31-JAN-2024 12:00:00 [GRP,OWNER] (RWED,RWED,RE,)``; ``X.DIR;1`` is folder X.

    VMS reports blocks, not bytes, so the size is left unknown.
    """
    m = _VMS_RE.match(line.strip())
    if not m:
        return None
    name = m.group("name")
    kind: EntryKind = "file"
    if name.upper().endswith(".DIR"):
        name, kind = name[:-4], "dir"
    mon = MONTHS.get(m.group("mon").lower())
    mtime = (
        _utc(
            int(m.group("year")),
            mon,
            int(m.group("day")),
            int(m.group("h")),
            int(m.group("mi")),
            int(m.group("s") or 0),
        )
        if mon
        else None
    )
    return RemoteEntry(
        name=name, kind=kind, size=None, mtime=mtime, owner=m.group("owner"), perms=m.group("prot"), raw=line
    )


# --- MVS (z/OS) ------------------------------------------------------------------------

_MVS_HEADER = _Lazy(r"^\s*(Volume\s+Unit|Name\s+VV\.MM)", re.I)
_MVS_DATASET = _Lazy(
    r"^(?P<vol>\S+)\s+(?P<unit>\S+)\s+(?P<y>\d{4})/(?P<mo>\d{2})/(?P<d>\d{2})\s+\d+\s+\d+\s+"
    r"(?P<recfm>\S+)\s+\d+\s+\d+\s+(?P<dsorg>PO|PS|PO-E|VS|DA)\s+(?P<name>\S+)\s*$"
)
_MVS_MIGRATED = _Lazy(r"^(?:Migrated|ARCIVE|Not Mounted)\s+(?P<name>\S+)\s*$", re.I)
_MVS_MEMBER = _Lazy(
    r"^\s*(?P<name>[A-Z#$@][A-Z0-9#$@]{0,7})\s+\d{2}\.\d{2}\s+\d{4}/\d{2}/\d{2}\s+"
    r"(?P<y>\d{4})/(?P<mo>\d{2})/(?P<d>\d{2})\s+(?P<h>\d{2}):(?P<mi>\d{2})(?::\d{2})?\s+\d+\s+\d+\s+\d+\s+\S+\s*$"
)


def parse_mvs_line(line: str) -> RemoteEntry | None:
    """z/OS data set lists (``Volume Unit Referred ...``) and PDS member lists; the caller skips headers."""
    m = _MVS_DATASET.match(line)
    if m:
        kind: EntryKind = "dir" if m.group("dsorg").startswith("PO") else "file"
        return RemoteEntry(
            name=m.group("name"),
            kind=kind,
            mtime=_utc(int(m.group("y")), int(m.group("mo")), int(m.group("d"))),
            raw=line,
        )
    m = _MVS_MIGRATED.match(line)
    if m:
        return RemoteEntry(name=m.group("name"), kind="other", raw=line)
    m = _MVS_MEMBER.match(line)
    if m:
        return RemoteEntry(
            name=m.group("name"),
            kind="file",
            mtime=_utc(int(m.group("y")), int(m.group("mo")), int(m.group("d")), int(m.group("h")), int(m.group("mi"))),
            raw=line,
        )
    return None


# --- LIST dispatch ---------------------------------------------------------------------

_SKIP_RE = _Lazy(r"^\s*(total\s+\d+|Directory\s+\S+|Total of \d+ .*)\s*$", re.I)


def is_noise_line(line: str) -> bool:
    """``total 42``, VMS ``Directory X`` / ``Total of N files`` and MVS column headers carry no entry."""
    return not line.strip() or bool(_SKIP_RE.match(line)) or bool(_MVS_HEADER.match(line))


def parse_list_line(line: str, now: _dt.datetime | None = None) -> RemoteEntry | None:
    """One LIST line in any known format; None for noise lines and ``.``/``..``; raw entry when unknown."""
    line = line.rstrip("\r\n")
    if is_noise_line(line):
        return None
    entry = parse_unix_line(line, now)
    for parser in (parse_dos_line, parse_eplf_line, parse_vms_line, parse_mvs_line):
        if entry is not None:
            break
        entry = parser(line)
    if entry is not None:
        return None if entry.name in ("", ".", "..") else entry
    import logging  # rare: not at import time

    logging.getLogger(__name__).warning("unrecognized LIST line kept as a raw name: %r", line)
    return RemoteEntry(name=line.strip(), kind="other", raw=line)


def parse_list(lines: Iterable[str], now: _dt.datetime | None = None) -> list[RemoteEntry]:
    """All entries of a LIST listing, without noise lines or ``.``/``..``."""
    out = []
    for line in lines:
        entry = parse_list_line(line, now)
        if entry is not None:
            out.append(entry)
    return out
