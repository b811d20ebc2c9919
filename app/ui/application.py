"""Application start-up: arguments, settings, translations, the main window, --screenshot."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from app import APP_ID, APP_NAME, __version__
from app.core.paths import AppPaths


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="quay", description="Quay mail and file-transfer client")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    p.add_argument("--data-dir", help="keep all settings and caches in this folder")
    p.add_argument("--language", help="UI language for this run: en, vi or system")
    p.add_argument("--screenshot", metavar="PATH", help="save a PNG of the main window once shown, then exit")
    p.add_argument("--tab", choices=["mail", "files"], help="open on this tab")
    args, _qt_args = p.parse_known_args(list(argv[1:]))
    return args


def run(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if args.version:
        print(f"{APP_NAME} {__version__}")
        return 0

    if args.screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no display
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.mail import webengine

    webengine.prepare()  # before the QApplication: URL schemes and GL sharing for the message view

    from app.ui.i18n import Translations, resolve_language
    from app.ui.main_window import MainWindow, app_icon
    from app.ui.settings import Settings

    paths = AppPaths.resolve(args.data_dir)
    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())

    settings = Settings(paths)
    translations = Translations(app, paths.cache / "i18n")
    language_setting = args.language or settings.language
    translations.apply(resolve_language(language_setting))

    window = MainWindow(settings, language_setting)

    def change_language(code: str) -> None:
        settings.language = code
        translations.apply(resolve_language(code))

    window.language_requested.connect(change_language)
    if args.tab:
        window.tabs.setCurrentIndex(0 if args.tab == "mail" else 1)
    window.show()
    window.mail_pane.start()

    # Let Ctrl-C in the terminal close the app (Python only sees signals between Qt events).
    signal.signal(signal.SIGINT, lambda *_: window.close())
    heartbeat = QTimer()
    heartbeat.start(250)
    heartbeat.timeout.connect(lambda: None)

    if args.screenshot:
        target = Path(args.screenshot)

        def shoot() -> None:
            app.processEvents()
            pixmap = window.grab()
            target.parent.mkdir(parents=True, exist_ok=True)
            ok = pixmap.save(str(target), "PNG")
            window.close()
            app.exit(0 if ok else 1)

        # Once the Mail tab has synced and shown its first message (or after 30 s), then two turns of the
        # event loop: the first lays out and paints, the second finds it idle.
        window.mail_pane.when_ready(lambda: QTimer.singleShot(0, lambda: QTimer.singleShot(300, shoot)))

    code = app.exec()
    window.save_geometry()
    return int(code)


if __name__ == "__main__":
    sys.exit(run(sys.argv))
