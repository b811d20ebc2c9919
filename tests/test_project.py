"""Project hygiene: CI runs the README's test command; packaging metadata is valid."""

from __future__ import annotations

import configparser
import re
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert re.search(r"^\./scripts/test\b", readme, re.M), "README must give ./scripts/test"
    ci = [ln for ln in (ROOT / ".ci" / "run").read_text().splitlines() if ln and not ln.startswith("#")]
    assert any(ln.strip() in ("exec ./scripts/test", "./scripts/test") for ln in ci), ci


def test_desktop_file_fields() -> None:
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str  # type: ignore[assignment,method-assign]
    cp.read(ROOT / "resources" / "io.github.quay.Quay.desktop", encoding="utf-8")
    entry = cp["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "quay"
    assert entry["Icon"] == "io.github.quay.Quay"
    assert "Name[vi]" in entry or "GenericName[vi]" in entry


def test_metainfo_names_the_desktop_file() -> None:
    root = ET.parse(ROOT / "resources" / "io.github.quay.Quay.metainfo.xml").getroot()
    assert root.findtext("id") == "io.github.quay.Quay"
    assert root.findtext("launchable") == "io.github.quay.Quay.desktop"


def test_pyinstaller_spec_bundles_resources_and_translations() -> None:
    spec = (ROOT / "packaging" / "quay.spec").read_text()
    assert '"resources"' in spec and '"i18n"' in spec
    assert 'collect_submodules("app")' in spec
