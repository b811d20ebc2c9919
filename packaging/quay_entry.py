"""Entry script for the frozen app: the GUI, or ``--self-test`` for the build's smoke test."""

import multiprocessing
import sys

multiprocessing.freeze_support()  # first: a frozen build's helper processes start here too


def self_test() -> int:
    """Import every module the app needs and check the bundled data is there."""
    import importlib

    for name in (
        "app.ui.application",
        "app.core.tls",
        "app.core.secrets",
        "app.core.services",
        "app.cli",
        "keyring",
        "paramiko",
        "nh3",
    ):
        importlib.import_module(name)
    from app.ui.i18n import source_i18n_dir
    from app.ui.resources import resource_path

    assert resource_path("quay.svg").exists(), "icon missing"
    assert (source_i18n_dir() / "quay_vi.qm").exists(), "Vietnamese catalogue missing"
    print("self-test ok")
    return 0


if __name__ == "__main__":
    from app.__main__ import freeze_support, main

    freeze_support()  # the helper processes of other platforms and freezers (see its docstring)
    if "--self-test" in sys.argv:
        sys.exit(self_test())
    sys.exit(main())
