"""Test-wide set-up: offscreen Qt, real-server fixtures, shared TLS material."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from tests.servers.common import TlsMaterial, make_tls

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Property tests check correctness, not speed: a loaded CI machine must not fail them on a deadline.
hypothesis_settings.register_profile("quay", deadline=None)
hypothesis_settings.load_profile("quay")

pytest_plugins: list[str] = []
for _mod in ("dovecot", "smtp", "ftp", "sshd", "keyring_service", "tftp"):
    if (Path(__file__).parent / "servers" / f"{_mod}.py").exists():
        pytest_plugins.append(f"tests.servers.{_mod}")


@pytest.fixture(scope="session")
def tls_material() -> Iterator[TlsMaterial]:
    """One per-run CA + localhost server certificate shared by all TLS servers."""
    with tempfile.TemporaryDirectory(prefix="quay-tls-") as d:
        yield make_tls(Path(d))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.servers.common import STARTUP_TIMES

    if STARTUP_TIMES:
        terminalreporter.write_sep("-", "real-server start-up times (s)")
        for name, secs in sorted(STARTUP_TIMES.items()):
            terminalreporter.write_line(f"{name:28s} {secs:7.3f}")
