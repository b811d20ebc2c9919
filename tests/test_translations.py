"""Vietnamese is complete: every tr() string in app/ is in i18n/quay_vi.ts, translated, with the same placeholders."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "i18n" / "quay_vi.ts"


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            out[(name, msg.findtext("source") or "")] = msg
    return out


def _text(m: ET.Element) -> str:
    """A translation's text; for a plural (``numerus``) entry, its forms joined."""
    tr = m.find("translation")
    if tr is None:
        return ""
    forms = [f.text or "" for f in tr.findall("numerusform")]
    return " ".join(forms) if forms else (tr.text or "")


def test_vietnamese_has_no_unfinished_entries() -> None:
    msgs = _messages(TS)
    assert msgs, "quay_vi.ts is empty"
    unfinished = [
        src
        for (_ctx, src), m in msgs.items()
        if m.find("translation").get("type") in ("unfinished", "vanished", "obsolete") or not _text(m).strip()
    ]  # type: ignore[union-attr]
    assert unfinished == []


def test_placeholders_and_accelerators_survive_translation() -> None:
    for (_ctx, src), m in _messages(TS).items():
        tr = _text(m)
        assert sorted(re.findall(r"%\d", src)) == sorted(re.findall(r"%\d", tr)), src
        if "&" in src.replace("&&", ""):
            assert "&" in tr, f"accelerator lost in {src!r}"


def test_every_source_string_is_in_the_catalogue(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    tool = str(lupdate) if lupdate.exists() else shutil.which("pyside6-lupdate")
    assert tool, "pyside6-lupdate not found"
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "app" / "ui").rglob("*.py"))
    subprocess.run([tool, "-locations", "none", *sources, "-ts", str(fresh)], check=True, capture_output=True)
    missing = set(_messages(fresh)) - set(_messages(TS))
    assert missing == set(), f"run scripts/update-translations and translate: {sorted(missing)}"


def test_catalogue_compiles(tmp_path: Path) -> None:
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    tool = str(lrelease) if lrelease.exists() else shutil.which("pyside6-lrelease")
    assert tool
    out = tmp_path / "quay_vi.qm"
    subprocess.run([tool, "-silent", str(TS), "-qm", str(out)], check=True)
    assert out.stat().st_size > 100
