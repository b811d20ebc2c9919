"""Drag and drop formats of the Files tab, and the remote drag that downloads when the OS asks for files.

Formats:

* ``application/x-quay-remote-paths`` -- remote entries (JSON: connection id, folder, and for
  each entry its path, kind and size).  Our own panes read this: the local pane downloads them,
  the remote pane of the same connection moves them.
* ``text/uri-list`` -- file URLs, what file managers, desktops and the Mail tab's attachment bar
  send and accept.

Dragging out of the remote pane to the OS: Qt has no file-promise API, so
:class:`RemoteMimeData` offers ``text/uri-list`` without having it.  When the drop target asks for
it (at drop time), :meth:`RemoteMimeData.retrieveData` downloads the entries into a private
staging folder through the transfer queue, while a local event loop keeps the window painting and
a progress dialog shows how far it got (and can cancel), and then answers with the staged files'
URLs; the file manager copies them to where they were dropped.  Requests that arrive while the
mouse button is still down (some targets peek during the hover) get nothing, so hovering never
downloads.  How each system behaves:

* **Linux (X11 and Wayland)**: the target reads the selection at drop time; Qt calls
  ``retrieveData`` then; file managers (Nautilus, Dolphin, Thunar) copy from the staged path.
* **Windows**: Explorer calls ``IDataObject::GetData(CF_HDROP)`` on drop; Qt's OLE bridge calls
  ``retrieveData`` inside the drag's modal loop; Explorer copies the staged files.
* **macOS**: the pasteboard asks Qt for the promised type when Finder accepts the drop; Finder
  copies the staged files.

Staged files live until the Files tab closes (the file manager may copy them after the drop
returns).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, Qt, QUrl
from PySide6.QtGui import QGuiApplication

REMOTE_PATHS_MIME = "application/x-quay-remote-paths"
JOB_IDS_MIME = "application/x-quay-job-ids"
URI_LIST = "text/uri-list"


@dataclass(frozen=True)
class RemoteItem:
    path: str
    kind: str
    size: int | None


@dataclass(frozen=True)
class RemoteDrag:
    """What a remote drag carries: which connection, and which entries."""

    connection: str
    items: list[RemoteItem]


def encode_remote(connection: str, items: list[RemoteItem]) -> bytes:
    payload = {"connection": connection, "items": [{"path": i.path, "kind": i.kind, "size": i.size} for i in items]}
    return json.dumps(payload).encode("utf-8")


def decode_remote(md: QMimeData | None) -> RemoteDrag | None:
    """The remote entries in ``md`` (None when it holds none, or garbage)."""
    if md is None or not md.hasFormat(REMOTE_PATHS_MIME):
        return None
    try:
        raw: Any = json.loads(bytes(md.data(REMOTE_PATHS_MIME).data()).decode("utf-8"))
        items = [RemoteItem(str(i["path"]), str(i["kind"]), i.get("size")) for i in raw["items"]]
        return RemoteDrag(str(raw["connection"]), items)
    except (ValueError, KeyError, TypeError):
        return None


def local_paths(md: QMimeData | None) -> list[Path]:
    """The local files and folders among ``md``'s URLs (remote drags are never asked: no download)."""
    if md is None or md.hasFormat(REMOTE_PATHS_MIME) or not md.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in md.urls() if u.isLocalFile() and u.toLocalFile()]


def local_mime(paths: list[Path]) -> QMimeData:
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return md


class RemoteMimeData(QMimeData):
    """Remote entries being dragged; ``text/uri-list`` is produced on request by ``stage()``.

    ``stage()`` downloads the entries (running a local event loop) and returns the local paths,
    or None when the user cancelled or it failed.
    """

    def __init__(self, payload: bytes, stage: Callable[[], list[Path] | None]) -> None:
        super().__init__()
        self.setData(REMOTE_PATHS_MIME, QByteArray(payload))
        self._stage = stage
        self._staged: list[Path] | None = None
        self._busy = False
        self.stage_requests = 0  # how often a target asked for files (tests look)

    def formats(self) -> list[str]:
        return [REMOTE_PATHS_MIME, URI_LIST]

    def hasFormat(self, mimetype: str) -> bool:
        return mimetype in (REMOTE_PATHS_MIME, URI_LIST)

    def retrieveData(self, mimetype: str, preferred_type: Any) -> Any:
        if mimetype != URI_LIST:
            return super().retrieveData(mimetype, preferred_type)
        if self._staged is None:
            if self._busy or QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
                return QByteArray()  # still hovering: say nothing, download nothing
            self._busy = True
            self.stage_requests += 1
            try:
                self._staged = self._stage() or []
            finally:
                self._busy = False
        text = "".join(QUrl.fromLocalFile(str(p)).toString() + "\r\n" for p in self._staged)
        return QByteArray(text.encode("utf-8"))
