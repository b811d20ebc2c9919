"""``python -m app``: start the Quay GUI (after :func:`freeze_support`, which must come first)."""

from __future__ import annotations

import re
import sys

_RESOURCE_TRACKER = re.compile(r"from multiprocessing\.resource_tracker import main;main\((\d+)\)")


def freeze_support() -> None:
    """Run a multiprocessing child instead of the app when this process is one (then exit).

    The IMAP sync parses big header batches in a helper process started with "spawn"
    (``app/core/mail/imap/sync.py``). In a frozen build the helper is this same executable,
    started with ``--multiprocessing-fork ...`` (and the resource tracker with ``-c ...``), so
    every entry point calls this before anything else. ``multiprocessing.freeze_support()``
    handles it on Windows (and everywhere under PyInstaller's runtime hook); the two cases
    below do the same for other platforms and freezers. Not frozen, it does nothing.
    """
    import multiprocessing

    multiprocessing.freeze_support()
    args = sys.argv[1:]
    if args[:1] == ["--multiprocessing-fork"]:
        from multiprocessing import spawn

        kwds: dict[str, int | None] = {}
        for arg in args[1:]:
            name, _, value = arg.partition("=")
            kwds[name] = None if value == "None" else int(value)
        spawn.spawn_main(**kwds)  # type: ignore[arg-type]
        sys.exit(0)
    if len(args) >= 2 and args[-2] == "-c":
        m = _RESOURCE_TRACKER.fullmatch(args[-1])
        if m:
            from multiprocessing import resource_tracker

            resource_tracker.main(int(m.group(1)))
            sys.exit(0)


def main(argv: list[str] | None = None) -> int:
    freeze_support()
    from app.ui.application import run

    return run(sys.argv if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
