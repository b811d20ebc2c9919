"""The keyring fixture gives ``keyring`` a real Secret Service on a private bus."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import SecretService, fail

from tests.servers.keyring_service import KeyringService


def test_backend_is_secret_service_on_private_bus(keyring_service: KeyringService) -> None:
    assert isinstance(keyring.get_keyring(), SecretService.Keyring)
    assert os.environ["DBUS_SESSION_BUS_ADDRESS"] == keyring_service.env["DBUS_SESSION_BUS_ADDRESS"]
    assert str(keyring_service.runtime_dir) in keyring_service.env["DBUS_SESSION_BUS_ADDRESS"]
    assert keyring_service.running


def test_set_get_delete(keyring_service: KeyringService) -> None:
    service, user = f"quay-test-{uuid.uuid4().hex[:8]}", "alice@example.org"
    assert keyring.get_password(service, user) is None
    keyring.set_password(service, user, "s3cr3t-ünïcödé")
    assert keyring.get_password(service, user) == "s3cr3t-ünïcödé"
    keyring.set_password(service, user, "changed")
    assert keyring.get_password(service, user) == "changed"
    cred = keyring.get_credential(service, None)
    assert cred is not None and cred.username == user and cred.password == "changed"
    keyring.delete_password(service, user)
    assert keyring.get_password(service, user) is None
    with pytest.raises(keyring.errors.PasswordDeleteError):
        keyring.delete_password(service, user)
    # stored in the private keyring file, not the user's
    assert (keyring_service.data_home / "keyrings" / "login.keyring").is_file()


def test_child_process_sees_same_keyring(keyring_service: KeyringService) -> None:
    service = f"quay-test-child-{uuid.uuid4().hex[:8]}"
    keyring.set_password(service, "bob", "from-parent")
    code = (
        "import keyring, sys;"
        "print(type(keyring.get_keyring()).__module__);"
        f"print(keyring.get_password({service!r}, 'bob'));"
        f"keyring.set_password({service!r}, 'carol', 'from-child')"
    )
    env = {**os.environ, **keyring_service.env}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=30, check=True)
    assert out.stdout.split() == ["keyring.backends.SecretService", "from-parent"]
    assert keyring.get_password(service, "carol") == "from-child"


def test_no_keyring(keyring_service: KeyringService, no_keyring: keyring.backend.KeyringBackend) -> None:
    assert isinstance(keyring.get_keyring(), fail.Keyring)
    with pytest.raises(keyring.errors.NoKeyringError):
        keyring.set_password("quay-test", "x", "y")
    with pytest.raises(keyring.errors.NoKeyringError):
        keyring.get_password("quay-test", "x")


def test_backend_restored_after_no_keyring(keyring_service: KeyringService) -> None:
    assert isinstance(keyring.get_keyring(), SecretService.Keyring)
