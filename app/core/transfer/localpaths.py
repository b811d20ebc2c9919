"""Safe mapping of remote names to local paths: a malicious server can never make Quay write outside the target.

Every remote name becomes a local path only through :func:`local_path_for`
(one listing name) or :func:`local_path_under` (a remote relative path such as
``a/b/c``).  Both go through :func:`safe_component`, which

1. NFKC-normalizes the name (so ``U+FF0E FULLWIDTH FULL STOP`` becomes ``.``
   and ``U+2025 TWO DOT LEADER`` becomes ``..`` before anything is checked),
2. treats Unicode look-alikes of ``/``, ``\\`` and ``.`` (division slash,
   fraction slash, big solidus, ...) as the characters they imitate -- Windows'
   "best fit" code-page conversion really turns some of them into separators,
3. **rejects** (:class:`UnsafePathError`) names that try to leave the folder:
   NUL bytes, ``.``/``..`` components (also spelled with look-alikes or with
   trailing spaces), absolute paths, drive letters (``C:``) and UNC prefixes,
   and names that contain a ``/`` after NFKC (no server can legitimately list
   one),
4. **rewrites** what is merely unportable: ``\\`` and look-alike separators,
   control characters, bidi overrides, Windows-forbidden characters
   (``<>:"|?*``), reserved device names (``CON``, ``NUL.txt``, ``COM1`` ...),
   and trailing dots/spaces on Windows,

and finally the resolved path (symlinks followed) is checked to lie inside the
target folder.  The rules are the same on every platform except the trailing
dot/space rewrite, so a listing maps to the same names on Linux and Windows.

Two more rules for writing there: :func:`name_key` says which names the
target file system stores as one file (:func:`folds_case` probes whether it
folds case, as macOS and Windows do), so two remote names never silently
overwrite each other; and :func:`nofollow_opener` opens the files we write
(``.part``) without ever following a symlink planted in their place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import unicodedata
from pathlib import Path

from app.core.errors import UnsafePathError

#: Characters that look like a slash or backslash (after NFKC, which already folds U+FF0F/U+FF3C/U+FE68).
SLASH_LOOKALIKES = frozenset(
    "\u2215"  # DIVISION SLASH
    "\u2044"  # FRACTION SLASH
    "\u29f8"  # BIG SOLIDUS
    "\u29f9"  # BIG REVERSE SOLIDUS
    "\u2216"  # SET MINUS
    "\u2571"  # BOX DRAWINGS LIGHT DIAGONAL UPPER RIGHT TO LOWER LEFT
    "\u2572"  # BOX DRAWINGS LIGHT DIAGONAL UPPER LEFT TO LOWER RIGHT
    "\u27cb"  # MATHEMATICAL RISING DIAGONAL
    "\u27cd"  # MATHEMATICAL FALLING DIAGONAL
    "\u1735"  # PHILIPPINE SINGLE PUNCTUATION
    "\u0337"  # COMBINING SHORT SOLIDUS OVERLAY
    "\u0338"  # COMBINING LONG SOLIDUS OVERLAY
    "\uff0f"  # FULLWIDTH SOLIDUS (NFKC folds it; kept for callers that skip NFKC)
    "\uff3c"  # FULLWIDTH REVERSE SOLIDUS
    "\ufe68"  # SMALL REVERSE SOLIDUS
)
#: Characters that look like a full stop (NFKC folds U+2024/U+2025/U+2026/U+FF0E/U+FE52 itself).
DOT_LOOKALIKES = frozenset(
    "\u2024"  # ONE DOT LEADER
    "\uff0e"  # FULLWIDTH FULL STOP
    "\ufe52"  # SMALL FULL STOP
    "\u0701"  # SYRIAC SUPRALINEAR FULL STOP
    "\u0702"  # SYRIAC SUBLINEAR FULL STOP
    "\ua4f8"  # LISU LETTER TONE MYA TI
    "\U00010a50"  # KHAROSHTHI PUNCTUATION DOT
    "\u2e31"  # WORD SEPARATOR MIDDLE DOT
    "\u2027"  # HYPHENATION POINT
)
#: Characters Windows refuses in file names (besides separators and controls).
WINDOWS_FORBIDDEN = frozenset('<>:"|?*')
#: Device names Windows reserves in every folder, with any extension (``NUL.txt`` is the device too).
WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"]
    + [f"COM{i}" for i in "123456789"]
    + [f"LPT{i}" for i in "123456789"]
    + [f"COM{c}" for c in "\u00b9\u00b2\u00b3"]
    + [f"LPT{c}" for c in "\u00b9\u00b2\u00b3"]
)
#: Bidirectional controls: a name like "gnp.exe" shown reversed is a classic spoof.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

_DRIVE_RE = r"^[A-Za-z]:"  # compiled on first use (re's cache): start-up
_MAX_NAME_BYTES = 255
REPLACEMENT = "_"


def _is_control(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat == "Cc" or ch in BIDI_CONTROLS or cat in ("Zl", "Zp")


def _canonical(name: str) -> str:
    """NFKC, then look-alikes replaced by the ASCII character they imitate (for checking only)."""
    text = unicodedata.normalize("NFKC", name)
    out = []
    for ch in text:
        if ch in SLASH_LOOKALIKES:
            out.append("\\")  # checked like a backslash: rewritten alone, refused around ".."
        elif ch in DOT_LOOKALIKES:
            out.append(".")
        else:
            out.append(ch)
    return "".join(out)


def _is_dot_component(part: str) -> bool:
    """``.``, ``..``, ``. .``, ``.. `` ... -- anything a file system may read as the current or parent folder."""
    return "." in part and set(part) <= {".", " ", "\t"}


def _truncate(name: str) -> str:
    """Cut a name to 255 UTF-8 bytes, keeping a short extension, so the OS does not refuse it."""
    if len(name.encode("utf-8", "surrogateescape")) <= _MAX_NAME_BYTES:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 16 or not stem:
        stem, ext = name, ""
    suffix = f".{ext}" if ext else ""
    budget = _MAX_NAME_BYTES - len(suffix.encode("utf-8", "surrogateescape"))
    out = []
    used = 0
    for ch in stem:
        n = len(ch.encode("utf-8", "surrogateescape"))
        if used + n > budget:
            break
        out.append(ch)
        used += n
    return "".join(out) + suffix


def safe_component(name: str, *, windows: bool | None = None) -> str:
    """One remote file name -> one safe local file name (no separators), or UnsafePathError.

    ``windows`` (default: the running OS) also rewrites trailing dots and
    spaces, which Windows silently drops.
    """
    if windows is None:
        windows = os.name == "nt"
    if not isinstance(name, str):
        raise UnsafePathError(f"remote name is not text: {name!r}")
    if "\x00" in name:
        raise UnsafePathError(f"remote name contains a NUL byte: {name!r}")
    canon = _canonical(name)
    if "\x00" in canon:
        raise UnsafePathError(f"remote name contains a NUL byte: {name!r}")
    if not canon.strip():
        raise UnsafePathError(f"remote name is empty: {name!r}")
    if "/" in canon:
        # A listing name never contains "/": this is a path (absolute, traversal or nested).
        raise UnsafePathError(f"remote name contains a path separator: {name!r}")
    parts = canon.split("\\")
    if any(_is_dot_component(p) for p in parts):
        raise UnsafePathError(f"remote name refers to a parent or current folder: {name!r}")
    if re.match(_DRIVE_RE, canon) or canon.startswith("\\"):
        raise UnsafePathError(f"remote name is an absolute Windows path: {name!r}")

    # From here on nothing can escape; rewrite what is unportable.
    text = unicodedata.normalize("NFKC", name)
    out = []
    for ch in text:
        if ch in SLASH_LOOKALIKES or ch in DOT_LOOKALIKES or ch == "\\" or ch in WINDOWS_FORBIDDEN or _is_control(ch):
            out.append(REPLACEMENT)
        else:
            out.append(ch)
    result = "".join(out)
    if windows:
        stripped = result.rstrip(". ")
        result = stripped + REPLACEMENT * (len(result) - len(stripped))
    base = result.split(".", 1)[0].rstrip(" ").upper()
    if base in WINDOWS_RESERVED:
        result = REPLACEMENT + result
    result = _truncate(result)
    if _is_dot_component(result) or not result.strip():
        raise UnsafePathError(f"remote name cannot be made safe: {name!r}")
    return result


def _check_inside(root: Path, candidate: Path, original: str, real_root: Path | None = None) -> Path:
    """Resolve ``candidate`` (following symlinks) and insist it lies strictly below ``root``.

    ``real_root``: ``root`` already resolved (one folder's many names resolve it once, not once per name).
    """
    if real_root is None:
        real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(candidate))
    if real == real_root or real_root not in real.parents:
        raise UnsafePathError(f"remote name {original!r} would be written outside {str(root)!r}")
    return real


def real_folder(root: Path | str) -> Path:
    """``root`` with every symlink resolved: give it to :func:`local_path_for` for many names of one folder."""
    return Path(os.path.realpath(root))


def local_path_for(
    root: Path | str, remote_name: str, *, windows: bool | None = None, real_root: Path | None = None
) -> Path:
    """THE mapping of one remote listing name to a path directly inside the folder ``root``.

    Raises :class:`UnsafePathError` for names that are unsafe (see the module
    docstring) or whose path would resolve outside ``root`` (for example
    through a symlink already present in it).

    ``real_root`` (from :func:`real_folder`, taken just before) saves resolving ``root`` again for
    each name of a folder listing: the name is one safe component, so only the name itself can be a
    symlink left to follow (one ``lstat`` instead of one per component of the whole path).
    """
    root_path = Path(root)
    safe = safe_component(remote_name, windows=windows)
    if real_root is not None:
        candidate = real_root / safe
        try:
            is_link = stat.S_ISLNK(os.lstat(candidate).st_mode)
        except FileNotFoundError:
            is_link = False
        except OSError:
            is_link = True  # let realpath (and the check below) decide
        if not is_link:
            return candidate  # a plain name inside the resolved folder: strictly below it
        return _check_inside(root_path, candidate, remote_name, real_root)
    return _check_inside(root_path, root_path / safe, remote_name)


def local_path_under(root: Path | str, relative: str, *, windows: bool | None = None) -> Path:
    """Join a remote relative path (``a/b/c``) under ``root`` safely, component by component.

    Empty and ``.`` components are skipped; ``..`` and any other unsafe
    component raise :class:`UnsafePathError`, as does an empty path.
    """
    root_path = Path(root)
    if "\x00" in relative:
        raise UnsafePathError(f"remote path contains a NUL byte: {relative!r}")
    parts = [p for p in relative.split("/") if p not in ("", ".")]
    if not parts:
        raise UnsafePathError(f"remote path names no file: {relative!r}")
    path = root_path
    for part in parts:
        path = path / safe_component(part, windows=windows)
    return _check_inside(root_path, path, relative)


# --- how the target file system compares names -------------------------------------------------------

#: st_dev -> whether that file system folds case (probed once per device).
_FOLDS_CASE: dict[int, bool] = {}


def folds_case(folder: Path | str) -> bool:
    """Whether the file system holding ``folder`` (an existing folder) treats ``README`` and ``readme`` as one name.

    Probed once per device by creating a lower-case temporary name and looking
    for its upper-case spelling (macOS and Windows fold by default, Linux does
    not, but a FAT stick or an ext4 ``casefold`` folder does).  When the probe
    cannot run, the platform's usual answer is used.
    """
    default = sys.platform in ("darwin", "win32", "cygwin")
    try:
        dev = os.stat(folder).st_dev
    except OSError:
        return default
    known = _FOLDS_CASE.get(dev)
    if known is not None:
        return known
    try:
        import tempfile  # only to probe a folder's case rule: not at start-up

        fd, probe = tempfile.mkstemp(prefix=".quay-case-probe-", dir=folder)
    except OSError:
        return default
    try:
        os.close(fd)
        head, tail = os.path.split(probe)
        answer = os.path.exists(os.path.join(head, tail.upper()))
    finally:
        with contextlib.suppress(OSError):
            os.unlink(probe)
    _FOLDS_CASE[dev] = answer
    return answer


def name_key(name: str, fold_case: bool) -> str:
    """The form under which the target file system stores ``name``: two names with one key are one file.

    On a case-folding file system that is the case-folded name in one Unicode
    normalization (APFS and NTFS also treat ``é`` written as one or two code
    points alike, or close enough that two such names must not share a folder);
    elsewhere names are compared as they are.
    """
    if not fold_case:
        return name
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())


# --- opening files we write ---------------------------------------------------------------------------

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def nofollow_opener(path: str, flags: int) -> int:
    """An ``open(..., opener=)`` that never follows a symlink at ``path`` (a ``.part`` file is ours, never a link).

    POSIX refuses in the kernel (``O_NOFOLLOW``: ELOOP); elsewhere the name is
    checked first.  A symlink raises :class:`UnsafePathError`.
    """
    if not _NOFOLLOW and os.path.islink(path):
        raise UnsafePathError(f"{path} is a symbolic link; not following it")
    try:
        return os.open(path, flags | _NOFOLLOW, 0o666)
    except OSError as e:
        if e.errno == errno.ELOOP or (e.errno == errno.EMLINK and sys.platform.startswith("freebsd")):
            raise UnsafePathError(f"{path} is a symbolic link; not following it") from None
        raise
