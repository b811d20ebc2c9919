"""Edit a remote file in a local program and send it back when (and only when) its content changed.

The file is downloaded through the transfer queue into a private folder
(:class:`app.core.transfer.remote_edit.EditRegistry`), opened with the system's program for it
(or the editor command in the settings), and watched with ``QFileSystemWatcher`` -- the file *and*
its folder, because many editors save by writing a new file and renaming it over the old one,
which a watch on the file alone loses.  Each change is checked by SHA-256 on a worker after a
short quiet period (editors write in several steps): touching or re-saving identical content
uploads nothing.  A real change is uploaded after the user agrees, or at once when the user chose
"upload changes without asking".

Signals:
    change_found(object, str): an edited file (:class:`EditedFile`) has new content with this digest.
    uploaded(object): the server has the new content of this edited file.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from app.core.errors import QuayError
from app.core.transfer.remote_edit import EditedFile, EditRegistry
from app.ui.tasks import Task, TaskRunner

QUIET_MS = 400
AUTO_UPLOAD_KEY = "files/edit_auto_upload"
EDITOR_KEY = "files/editor_command"


class RemoteEditController(QObject):
    """See the module docstring.  ``upload`` is given by the tab: (edit, on_done(ok)) -> None."""

    change_found = Signal(object, str)
    uploaded = Signal(object)

    def __init__(self, runner: TaskRunner, settings: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self.registry = EditRegistry()
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._touched)
        self.watcher.directoryChanged.connect(self._touched)
        self._timers: dict[str, QTimer] = {}
        self.upload: Callable[[EditedFile, Callable[[bool], None]], None] | None = None
        self.opener: Callable[[Path], None] = self.open_in_editor

    @property
    def auto_upload(self) -> bool:
        return str(self.settings.value(AUTO_UPLOAD_KEY, "false")).lower() == "true"

    @auto_upload.setter
    def auto_upload(self, on: bool) -> None:
        self.settings.set_value(AUTO_UPLOAD_KEY, "true" if on else "false")

    def begin(self, connection: str, remote_path: str) -> EditedFile:
        """The edit of this remote file (its download is the tab's job); call :meth:`downloaded` after."""
        return self.registry.start(connection, remote_path)

    def downloaded(self, edit: EditedFile) -> None:
        """The file arrived: remember its hash, open it, and watch it."""

        def baseline() -> str:
            return edit.set_baseline()

        def opened(_digest: str) -> None:
            for p in (str(edit.local_path), str(edit.folder)):
                if p not in self.watcher.files() and p not in self.watcher.directories():
                    self.watcher.addPath(p)
            self.opener(edit.local_path)

        Task(self.runner.pool, baseline).on_success(opened).start()

    def open_in_editor(self, path: Path) -> None:
        command = str(self.settings.value(EDITOR_KEY, "") or "")
        if command:
            try:
                subprocess.Popen([*shlex.split(command), str(path)])
                return
            except OSError:
                pass
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _touched(self, path: str) -> None:
        edit = self.registry.find(Path(path))
        if edit is None:
            return
        # The watch on the file is lost when an editor replaced it: watch the new file again.
        if edit.local_path.is_file() and str(edit.local_path) not in self.watcher.files():
            self.watcher.addPath(str(edit.local_path))
        key = str(edit.local_path)
        timer = self._timers.get(key)
        if timer is None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(QUIET_MS)
            timer.timeout.connect(lambda e=edit: self.check(e))
            self._timers[key] = timer
        timer.start()

    def check(self, edit: EditedFile) -> None:
        """Hash the file on a worker; a real change is reported (or uploaded at once in auto mode)."""

        def found(digest: str | None) -> None:
            if digest is None:
                return
            if self.auto_upload:
                self.send(edit, digest)
            else:
                self.change_found.emit(edit, digest)

        Task(self.runner.pool, edit.check).on_success(found).on_failure(lambda _e: None).start()

    def send(self, edit: EditedFile, digest: str) -> None:
        """Upload this change; on success the server's version becomes ``digest``."""
        if self.upload is None:
            return

        def done(ok: bool) -> None:
            if ok:
                edit.uploaded(digest)
                self.uploaded.emit(edit)
            else:
                edit.declined(digest)

        self.upload(edit, done)

    def decline(self, edit: EditedFile, digest: str) -> None:
        edit.declined(digest)

    def stop(self, edit: EditedFile) -> None:
        for p in (str(edit.local_path), str(edit.folder)):
            self.watcher.removePath(p)
        self.registry.stop(edit)

    def close(self) -> None:
        paths = self.watcher.files() + self.watcher.directories()
        if paths:
            self.watcher.removePaths(paths)
        try:
            self.registry.close()
        except QuayError:
            pass
