"""pytest plugin for the release builds on Windows and macOS: leave out what needs a Linux-only server.

    python -m pytest -p scripts.ci_portable_tests      (scripts/release-tests does this)

Deselects every test that uses (directly or through another fixture) Dovecot, OpenSSH's sshd,
tftpd-hpa or the gnome-keyring D-Bus service, the server fixtures' own tests and the demo. What
is left (the parsers, the cache, the queue over pyftpdlib, the GUI offscreen, the translations,
the single instance, the settings) runs on every system.
"""

from __future__ import annotations

import pytest

#: Fixtures that start a server only Debian/Ubuntu runners have here.
LINUX_ONLY_FIXTURES = frozenset({"dovecot", "dovecot_nocondstore", "sshd_server", "tftp_server", "keyring_service"})
LINUX_ONLY_PATHS = ("tests/servers/", "tests/test_demo.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep, drop = [], []
    for item in items:
        path = item.nodeid.replace("\\", "/")
        names = set(getattr(item, "fixturenames", ()))
        if names & LINUX_ONLY_FIXTURES or path.startswith(LINUX_ONLY_PATHS):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
