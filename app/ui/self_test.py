"""``quay --self-test``: does this installation work? Run by the installer build on the frozen bundle.

Each step prints ``ok: ...`` or ``FAILED: ...``; the exit status is 0 only if all passed:

1. every module under ``app`` imports (nothing PyInstaller missed);
2. both translations load, Quay's and the Vietnamese for Qt's standard buttons;
3. the main window opens and closes (offscreen: ``--self-test`` selects that platform);
4. a mail cache opens in a temp folder (SQLite with FTS5, the migrations);
5. the sync helper process starts, parses and stops (``multiprocessing`` spawn: the frozen
   entry point's ``freeze_support`` path);
6. the keyring backend is found, without writing anything to it;
7. an HTML message renders in QtWebEngine offscreen (its helper process, resources and locales).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

_STEP_TIMEOUT_S = 60


def _imports() -> str:
    import app

    names = [info.name for info in pkgutil.walk_packages(app.__path__, prefix="app.")]
    for name in names:
        importlib.import_module(name)
    return f"{len(names)} modules imported"


def _translations() -> str:
    from PySide6.QtCore import QCoreApplication

    from app.ui.i18n import Translations, qm_path

    app = QCoreApplication.instance()
    assert app is not None
    tr = Translations(app)
    assert tr.apply("vi"), f"quay_vi.qm did not load (looked for {qm_path('vi')})"
    ours = QCoreApplication.translate("MainWindow", "Quay — mail and files")
    qts = QCoreApplication.translate("QPlatformTheme", "Cancel")
    assert ours != "Quay — mail and files", "the Vietnamese catalogue has no translation for the window title"
    assert qts != "Cancel", "no Vietnamese for Qt's standard buttons"
    assert tr.apply("en")
    assert QCoreApplication.translate("MainWindow", "Quay — mail and files") == "Quay — mail and files"
    return f"English and Vietnamese ({ours!r}, {qts!r})"


def _main_window(root: Path) -> str:
    from PySide6.QtWidgets import QApplication

    from app.core.paths import AppPaths
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings

    paths = AppPaths.in_dir(root / "profile")
    paths.ensure()
    window = MainWindow(Settings(paths), "en")
    window.show()
    QApplication.processEvents()
    assert window.isVisible()
    size = window.size()
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    return f"main window shown at {size.width()}x{size.height()} and closed"


def _store(root: Path) -> str:
    from app.core.paths import AppPaths
    from app.core.services import Services

    paths = AppPaths.in_dir(root)
    paths.ensure()
    store = Services(paths).mail_store()
    try:
        folders = store.folders(1)
    finally:
        store.close()
    return f"mail cache created ({len(folders)} folders)"


def _sync_helper() -> str:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from app.core.mail.imap.sync import parse_fetch_chunk

    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        rows, flags, others = pool.submit(parse_fetch_chunk, 1, b"").result(timeout=_STEP_TIMEOUT_S)
    assert (rows, flags, others) == ([], [], []), (rows, flags, others)
    return f"sync helper process started and stopped in {time.monotonic() - started:.2f}s"


def _keyring() -> str:
    from app.core.secrets import backend_name

    return f"keyring backend {backend_name()}"  # finds the backend; reads and writes nothing


def _web_engine() -> str:
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
    from PySide6.QtWebEngineWidgets import QWebEngineView

    profile = QWebEngineProfile()  # off the record: nothing written to disk
    page = QWebEnginePage(profile)
    view = QWebEngineView()
    view.setPage(page)
    view.resize(400, 300)
    view.show()
    loop = QEventLoop()
    result: list[bool] = []
    page.loadFinished.connect(lambda ok: (result.append(bool(ok)), loop.quit()))
    QTimer.singleShot(_STEP_TIMEOUT_S * 1000, loop.quit)
    html = (
        "<html><head><meta charset='utf-8'><title>quay-self-test</title></head>"
        "<body><h1>Xin chào</h1><p>An <b>HTML</b> message.</p></body></html>"
    )
    started = time.monotonic()
    page.setHtml(html, QUrl("about:blank"))
    loop.exec()
    elapsed = time.monotonic() - started
    title = page.title()
    view.close()
    view.setPage(None)  # type: ignore[arg-type]
    del view
    del page  # the page before its profile (QtWebEngine warns otherwise)
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    del profile
    assert result == [True], f"the page did not load within {_STEP_TIMEOUT_S}s"
    assert title == "quay-self-test", f"unexpected page title {title!r}"
    return f"HTML message rendered by QtWebEngine in {elapsed:.2f}s"


def run_self_test() -> int:
    """Run every step (see the module docstring); 0 if all passed."""
    from PySide6.QtWidgets import QApplication

    failures = 0
    # Modules first: QtWebEngineWidgets must be imported before the QApplication exists.
    failures += _step("imports", _imports)
    app = QApplication.instance() or QApplication([sys.argv[0], "-platform", "offscreen"])
    with tempfile.TemporaryDirectory(prefix="quay-self-test-") as tmp:
        root = Path(tmp)
        steps: list[tuple[str, Callable[[], str]]] = [
            ("translations", _translations),
            ("main window", lambda: _main_window(root)),
            ("mail cache", lambda: _store(root)),
            ("sync helper", _sync_helper),
            ("keyring", _keyring),
            ("QtWebEngine", _web_engine),
        ]
        for name, fn in steps:
            failures += _step(name, fn)
    app.processEvents()
    print("self-test ok" if failures == 0 else f"self-test FAILED ({failures} step(s))", flush=True)
    return 0 if failures == 0 else 1


def _step(name: str, fn: Callable[[], str]) -> int:
    try:
        detail = fn()
    except Exception as e:  # a failed step is reported, and the others still run
        print(f"FAILED: {name}: {type(e).__name__}: {e}", flush=True)
        traceback.print_exc()
        return 1
    print(f"ok: {name}: {detail}", flush=True)
    return 0
