"""Architecture boundaries: app/core never imports PySide6 (directly or through anything it imports)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "app" / "core"


def test_no_pyside_import_statement_in_core() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6") for n in names):
                offenders.append(f"{path.relative_to(CORE.parent.parent)}:{node.lineno}")
    assert offenders == []


def test_importing_all_of_core_loads_no_qt() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import app.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'app.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "import app.cli\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=CORE.parent.parent)
    assert r.returncode == 0, r.stdout + r.stderr
