"""Application start-up: arguments, one instance per profile, settings, translations, the main window.

``quay [OPTIONS] [LINK OR FILE ...]``: ``mailto:`` links open a filled-in composer, ``sftp://``,
``ftp://`` and ``ftps://`` URLs open the Files tab connected there, files are offered for upload
or as attachments. A second launch hands all that to the running instance (see
:mod:`app.ui.single_instance`) and exits. ``--screenshot`` and ``--self-test`` run on the
offscreen platform by themselves and never hand over.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app import APP_ID, APP_NAME, __version__
from app.core.errors import BadUrl
from app.core.mailto import MailtoRequest, is_mailto, parse_mailto
from app.core.paths import AppPaths
from app.core.urls import ParsedUrl, parse_url

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from app.ui.i18n import Translations
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings
    from app.ui.single_instance import InstanceServer

#: Schemes a launch may carry besides files (the .desktop file, Info.plist and the Windows installer register these).
LINK_SCHEMES = ("mailto", "sftp", "ftp", "ftps")
#: Qt's own command-line options that take a value (Qt reads them; they are not links or files).
_QT_VALUE_OPTIONS = {
    "-platform",
    "-platformpluginpath",
    "-platformtheme",
    "-plugin",
    "-qmljsdebugger",
    "-style",
    "-stylesheet",
    "-session",
    "-display",
    "-geometry",
    "-title",
    "-name",
    "-qwindowgeometry",
    "-qwindowtitle",
    "-qwindowicon",
    "-screen",
}


def _without_qt_options(args: Sequence[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
        elif a in _QT_VALUE_OPTIONS:
            skip = True
        elif a.startswith("-") and not a.startswith("--"):
            continue  # a Qt flag such as -reverse
        else:
            out.append(a)
    return out


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="quay", description="Quay mail and file-transfer client")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    p.add_argument("--data-dir", help="keep all settings and caches in this folder")
    p.add_argument("--language", help="UI language for this run: en, vi or system")
    p.add_argument("--screenshot", metavar="PATH", help="save a PNG of the main window once shown, then exit")
    p.add_argument("--dialog", metavar="NAME", help="with --screenshot: picture this dialog (settings, ...)")
    p.add_argument("--theme", choices=["system", "light", "dark"], help="colours for this run")
    p.add_argument("--tab", choices=["mail", "files"], help="open on this tab")
    p.add_argument("--self-test", action="store_true", help="check the installation works, then exit")
    p.add_argument("--new-instance", action="store_true", help="do not hand over to a running Quay")
    p.add_argument("--exit-when-shown", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("targets", nargs="*", metavar="LINK_OR_FILE", help="mailto:, sftp://, ftp://, ftps:// or a file")
    args, _unknown = p.parse_known_args(_without_qt_options(argv[1:]))
    return args


def prepare_environment(args: argparse.Namespace) -> None:
    """What must be decided before the QApplication exists: the platform plugin and QtWebEngine's needs."""
    if args.screenshot or args.self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a picture or a check needs no display
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to run its sandbox as root; only then do without it.
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
    from PySide6.QtCore import QCoreApplication, Qt

    # QtWebEngine (the message view) needs contexts shared with the widgets, set before the app exists.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


# -- links and files from the command line ---------------------------------------


def classify_target(text: str, cwd: str) -> MailtoRequest | ParsedUrl | Path:
    """A command-line item -> a mailto request, a files URL, or an existing file.

    :class:`BadUrl` for a link Quay cannot use, :class:`FileNotFoundError` for a missing file.
    """
    if is_mailto(text):
        return parse_mailto(text)
    path = Path(text)
    scheme, sep, _rest = text.partition("://")
    if text[:5].lower() == "file:":
        from PySide6.QtCore import QUrl

        path = Path(QUrl(text).toLocalFile())
    elif sep and scheme.isascii() and scheme.replace("+", "").replace("-", "").isalnum():
        if scheme.lower() not in LINK_SCHEMES:
            raise BadUrl(f"Quay does not open {scheme}:// links", url=text.split("@")[-1])
        return parse_url(text, kinds=("ftp", "sftp"))
    if not path.is_absolute():
        path = Path(cwd or os.getcwd()) / path
    if not path.exists():
        raise FileNotFoundError(str(path))
    return path


def open_targets(window: MainWindow, targets: Sequence[str], cwd: str) -> list[str]:
    """Hand each item to the window's hooks; tell the user about the ones that cannot be opened.

    Returns the items refused (for tests and logs).
    """
    from PySide6.QtCore import QCoreApplication, Qt

    files: list[Path] = []
    refused: list[str] = []
    problems: list[str] = []
    for text in targets:
        try:
            target = classify_target(text, cwd)
        except BadUrl as e:
            refused.append(text)
            shown = e.url or text
            if is_mailto(text):
                problems.append(
                    QCoreApplication.translate("Launch", "The mail link %1 cannot be used: %2")
                    .replace("%1", shown)
                    .replace("%2", QCoreApplication.translate("Launch", "check the addresses in it."))
                )
            else:
                problems.append(
                    QCoreApplication.translate(
                        "Launch", "Quay opens mailto:, sftp://, ftp:// and ftps:// links; %1 is not one it can use."
                    ).replace("%1", shown)
                )
            continue
        except FileNotFoundError as e:
            refused.append(text)
            problems.append(QCoreApplication.translate("Launch", "There is no file %1.").replace("%1", str(e)))
            continue
        if isinstance(target, MailtoRequest):
            window.open_mailto(target)
        elif isinstance(target, ParsedUrl):
            window.open_url(target)
        else:
            files.append(target)
    if files:
        window.open_files(files)
    if problems:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Warning, QCoreApplication.translate("Launch", "Cannot open"), "", parent=window
        )
        box.setObjectName("launch-problem")
        box.setText("\n".join(problems))
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
    return refused


def bring_to_front(window: MainWindow) -> None:
    """Show the window above others (the platform may only flash it in the task bar)."""
    from PySide6.QtGui import QGuiApplication

    if window.isMinimized() or not window.isVisible():
        window.showNormal()
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):  # no window stack to raise in
        window.raise_()
    window.activateWindow()


def accept_launches(server: InstanceServer, window: MainWindow) -> None:
    """Open what later launches hand over (their links, files and ``--tab``) in ``window``."""

    def received(other_argv: list[str], cwd: str) -> None:
        other = parse_args(["quay", *other_argv])
        if other.tab:
            window.tabs.setCurrentIndex(0 if other.tab == "mail" else 1)
        bring_to_front(window)
        open_targets(window, other.targets, cwd)

    server.arguments_received.connect(received)


# -- settings applied live -----------------------------------------------------------


def bind_settings(
    app: QApplication,
    settings: Settings,
    translations: Translations,
    *,
    language_override: str | None = None,
    theme_override: str | None = None,
) -> None:
    """Apply the language and theme now, and again whenever the settings change them."""
    from app.ui.i18n import resolve_language
    from app.ui.theme import apply_theme

    translations.apply(resolve_language(language_override or settings.language))
    apply_theme(app, theme_override or settings.get("ui/theme"))

    def changed(key: str) -> None:
        if key == "ui/language":
            translations.apply(resolve_language(settings.language))
        elif key == "ui/theme":
            apply_theme(app, settings.get("ui/theme"))

    settings.changed.connect(changed)


def _application_class() -> type:
    """``QApplication`` that turns macOS's QFileOpenEvents (links and files handed to a running app) into a signal.

    Overriding ``event()`` on the application sees only the events sent to the application object
    itself; an application-wide event filter in Python would see every event of every object
    (slow, and it crashed when QtWebEngine created objects during its own construction).
    """
    from PySide6.QtCore import QEvent, Signal
    from PySide6.QtWidgets import QApplication

    class _QuayApplication(QApplication):
        file_opened = Signal(str)

        def event(self, e: QEvent) -> bool:
            if e.type() == QEvent.Type.FileOpen:
                url = e.url()  # type: ignore[attr-defined]
                self.file_opened.emit(url.toString() if url.scheme() not in ("", "file") else e.file())  # type: ignore[attr-defined]
                return True
            return super().event(e)

    return _QuayApplication


def run(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if args.version:
        print(f"{APP_NAME} {__version__}")
        return 0
    prepare_environment(args)
    if args.self_test:
        from app.ui.self_test import run_self_test

        return run_self_test()

    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.ui.mail import webengine

    QuayApplication = _application_class()
    webengine.prepare()  # before the QApplication: URL schemes and GL sharing for the message view

    from app.ui.i18n import Translations
    from app.ui.main_window import MainWindow, app_icon
    from app.ui.settings import Settings
    from app.ui.single_instance import DELIVERED, claim_or_hand_over

    paths = AppPaths.resolve(args.data_dir)
    app = QApplication.instance() or QuayApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)

    server = None
    if not (args.screenshot or args.new_instance or args.exit_when_shown):
        server, outcome = claim_or_hand_over(paths, list(argv[1:]), os.getcwd())
        if server is None:
            if outcome == DELIVERED:
                return 0
            print("Quay is already running with this profile but does not answer; try again.", file=sys.stderr)
            return 2
    app.setWindowIcon(app_icon())

    settings = Settings(paths)
    translations = Translations(app, paths.cache / "i18n")
    bind_settings(app, settings, translations, language_override=args.language, theme_override=args.theme)
    window = MainWindow(settings, args.language or settings.language)
    window.language_requested.connect(lambda code: settings.set("ui/language", code))

    def language_changed(key: str) -> None:  # keep View → Language in step with the settings dialog
        action = window.language_actions.get(settings.language) if key == "ui/language" else None
        if action is not None:
            action.setChecked(True)

    settings.changed.connect(language_changed)
    if args.tab:
        window.tabs.setCurrentIndex(0 if args.tab == "mail" else 1)

    tray = None
    if settings.get("startup/minimized_to_tray") and not (args.screenshot or args.exit_when_shown):
        from PySide6.QtWidgets import QSystemTrayIcon

        if QSystemTrayIcon.isSystemTrayAvailable():
            from app.ui.tray import TrayIcon

            tray = TrayIcon(window)
            tray.show()
        else:
            window.showMinimized()
    else:
        window.show()
    window.mail_pane.start()

    if server is not None:
        accept_launches(server, window)

    if isinstance(app, QuayApplication):
        app.file_opened.connect(lambda text: open_targets(window, [text], os.getcwd()))

    # Ctrl-C in the terminal, `kill` and a closed terminal close the app like the window's close button
    # (Python only sees signals between Qt events: the heartbeat lets it run).
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda *_: QTimer.singleShot(0, _quit))

    def _quit() -> None:
        window.close()
        app.quit()

    heartbeat = QTimer()
    heartbeat.start(250)
    heartbeat.timeout.connect(lambda: None)

    if settings.problem is not None:
        text = settings.problem_text()
        settings.problem = None
        if args.screenshot or args.exit_when_shown:
            print(text, file=sys.stderr)
        else:
            QTimer.singleShot(
                0,
                lambda: QMessageBox.warning(window, QCoreApplication.translate("Launch", "Settings were reset"), text),
            )
    if args.targets:
        QTimer.singleShot(0, lambda: open_targets(window, args.targets, os.getcwd()))
    if args.exit_when_shown:
        # The build's start-up measurement: the first turn of the event loop after the window showed.
        QTimer.singleShot(0, lambda: (print("window shown", flush=True), app.quit()))
    if args.screenshot:
        # Once the Mail tab has synced and shown its first message (or after 30 s), then the picture.
        shot = Path(args.screenshot)
        window.mail_pane.when_ready(lambda: _schedule_screenshot(app, window, shot, args.dialog))

    code = app.exec()
    window.save_geometry()
    if server is not None:
        server.close()
    return int(code)


def _schedule_screenshot(app: QApplication, window: MainWindow, target: Path, dialog: str | None) -> None:
    from PySide6.QtCore import QTimer

    shown: list[object] = []

    def open_dialog() -> None:
        if dialog:
            from app.ui.dialogs.registry import showcase_dialogs

            factories = showcase_dialogs()
            if dialog not in factories:
                print(f"no dialog named {dialog!r}; known: {', '.join(factories)}", file=sys.stderr)
                app.exit(2)
                return
            widget = factories[dialog](window)
            widget.show()
            shown.append(widget)
        QTimer.singleShot(80, shoot)

    def shoot() -> None:
        app.processEvents()
        widget = shown[0] if shown else window
        pixmap = widget.grab()  # type: ignore[attr-defined]
        target.parent.mkdir(parents=True, exist_ok=True)
        ok = pixmap.save(str(target), "PNG")
        window.close()
        app.exit(0 if ok else 1)

    # Two turns of the event loop: the first lays out and paints, the second finds it idle.
    QTimer.singleShot(0, lambda: QTimer.singleShot(50, open_dialog))


if __name__ == "__main__":
    sys.exit(run(sys.argv))
