"""Edit a remote file in a local program: upload it again only when its bytes really changed.

The UI drives the flow; this module keeps the state and makes the decisions, without Qt:

1. :meth:`EditRegistry.start` gives an :class:`EditedFile` whose ``local_path`` lies in a private
   folder of its own (two remote ``index.html`` never share a file), named through
   :mod:`app.core.transfer.localpaths` so a hostile remote name cannot escape it.
2. After the download, :meth:`EditedFile.set_baseline` records the SHA-256 of what the server has.
3. Whenever the file watcher reports something (a write, an editor's new file renamed over the
   old one, a mere ``touch``), :meth:`EditedFile.check` reads the file again and returns the new
   digest only when the content differs from the last version the server has.  Touching or
   re-saving unchanged content returns ``None``: nothing is uploaded.
4. After a successful upload :meth:`EditedFile.uploaded` moves the baseline to that digest.

Editors that save by writing ``name.tmp`` and renaming it over ``name`` replace the inode; a
watcher on the file alone then goes quiet, which is why the UI also watches the folder and
:meth:`EditedFile.check` only ever looks at the path.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import LocalIOError
from app.core.transfer.localpaths import local_path_for

__all__ = ["EditRegistry", "EditedFile", "file_sha256"]


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a local file (streamed, so a big file costs no memory)."""
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as e:
        raise LocalIOError(f"cannot read {path}: {e.strerror or e}", path=str(path)) from e


@dataclass
class EditedFile:
    """One remote file being edited locally.  ``connection`` names the connection it belongs to."""

    connection: str
    remote_path: str
    local_path: Path
    baseline: str | None = None  # SHA-256 of the content the server has
    pending: str | None = None  # a changed digest being uploaded (or waiting for the user's answer)
    declined_digest: str | None = None  # a change the user chose not to upload
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def folder(self) -> Path:
        return self.local_path.parent

    def set_baseline(self) -> str:
        """Hash the freshly downloaded file: this is what the server has."""
        digest = file_sha256(self.local_path)
        with self._lock:
            self.baseline = digest
            self.pending = None
        return digest

    def check(self) -> str | None:
        """The new digest when the file's content differs from the server's (and is not already pending).

        ``None`` when the file is unchanged, missing for a moment (an editor mid-rename), or the same
        change was already reported.
        """
        if not self.local_path.is_file():
            return None
        digest = file_sha256(self.local_path)
        with self._lock:
            if digest in (self.baseline, self.pending, self.declined_digest):
                return None
            self.pending = digest
            return digest

    def uploaded(self, digest: str) -> None:
        """The server now has the content with ``digest``."""
        with self._lock:
            self.baseline = digest
            if self.pending == digest:
                self.pending = None

    def declined(self, digest: str) -> None:
        """The user chose not to upload this change; a later, different save asks again."""
        with self._lock:
            if self.pending == digest:
                self.pending = None
            self.declined_digest = digest  # the same bytes saved again do not ask twice


class EditRegistry:
    """The files being edited, each in its own folder under one private root (removed by :meth:`close`)."""

    def __init__(self, root: Path | None = None) -> None:
        self._own_root = root is None
        self.root = Path(tempfile.mkdtemp(prefix="quay-edit-")) if root is None else root
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        self._files: dict[tuple[str, str], EditedFile] = {}
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def start(self, connection: str, remote_path: str) -> EditedFile:
        """The edit of ``remote_path`` on ``connection`` (the same object when it is already open)."""
        with self._lock:
            existing = self._files.get((connection, remote_path))
            if existing is not None:
                return existing
            folder = self.root / f"e{next(self._counter)}"
            folder.mkdir(mode=0o700)
            name = remote_path.rstrip("/").rsplit("/", 1)[-1]
            edit = EditedFile(connection, remote_path, local_path_for(folder, name))
            self._files[(connection, remote_path)] = edit
            return edit

    def find(self, local_path: Path) -> EditedFile | None:
        """The edit whose file (or folder) is ``local_path``."""
        with self._lock:
            for edit in self._files.values():
                if local_path in (edit.local_path, edit.folder):
                    return edit
        return None

    def all(self) -> list[EditedFile]:
        with self._lock:
            return list(self._files.values())

    def stop(self, edit: EditedFile) -> None:
        """Forget one edit and remove its private folder."""
        with self._lock:
            self._files.pop((edit.connection, edit.remote_path), None)
        shutil.rmtree(edit.folder, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            self._files.clear()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)
