"""Big attachments through the user's own file server: upload to a site folder, send a link block instead.

When the attachments of a message exceed a size (the user's, default 10 MB, or less when the
SMTP server announces a lower ``SIZE``, allowing for base64's growth), the composer offers to
put them on one of the user's own SFTP/FTP/FTPS sites. Each file goes, through the transfer
queue (so it shows there, resumes and retries), to ``<folder>/<random token>-<name>``: the
token keeps the link unguessable and never overwrites anything. The message then carries a
link block built from the site's public URL prefix (:class:`PublicUrls`, set per site), and
sending waits until :meth:`BigUpload.status` says every upload is done; a failed upload fails
the send with its reason.

:class:`BigAttachSettings` lives in ``big-attachments.json`` in the config folder (no secrets).
"""

from __future__ import annotations

import json
import posixpath
import secrets as _secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from app.core.errors import LocalIOError, QuayError
from app.core.fileio import atomic_write
from app.core.transfer.queue import ConflictPolicy, JobState, TransferQueue

__all__ = [
    "DEFAULT_THRESHOLD",
    "BigAttachSettings",
    "BigUpload",
    "BigUploadFailed",
    "LinkItem",
    "NotPublished",
    "effective_threshold",
    "link_block_html",
    "link_block_plain",
    "public_link",
]

DEFAULT_THRESHOLD = 10 * 1024 * 1024
#: base64 turns 3 bytes into 4 and adds a line end every 76 characters, plus headers.
ENCODED_GROWTH = 1.37


class BigUploadFailed(QuayError):
    """An upload of a big attachment failed: the message was not sent."""


class NotPublished(QuayError, ValueError):
    """The chosen folder is not under the site's published folder, so no public link can be made."""


def effective_threshold(user_threshold: int | None, smtp_size_limit: int | None) -> int:
    """The attachment total above which files go to the server: the user's size, or less if SMTP SIZE says so."""
    t = user_threshold if user_threshold and user_threshold > 0 else DEFAULT_THRESHOLD
    if smtp_size_limit and smtp_size_limit > 0:
        t = min(t, int(smtp_size_limit / ENCODED_GROWTH) - 64 * 1024)
    return max(t, 0)


@dataclass
class SitePublishing:
    """How one site's files are reachable on the web: ``root`` (remote folder) is served at ``prefix`` (URL)."""

    prefix: str
    root: str = "/"


@dataclass
class BigAttachSettings:
    """The user's choices: threshold, default site and folder, and each site's public URL prefix."""

    threshold: int = DEFAULT_THRESHOLD
    site_id: str = ""
    folder: str = ""
    sites: dict[str, SitePublishing] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> BigAttachSettings:
        if not path.is_file():
            return cls()
        try:
            data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as e:
            raise LocalIOError(f"Cannot read {path}: {e}", path=str(path)) from e
        sites = {
            str(k): SitePublishing(str(v.get("prefix", "")), str(v.get("root", "/") or "/"))
            for k, v in (data.get("sites") or {}).items()
            if isinstance(v, dict)
        }
        return cls(
            threshold=int(data.get("threshold") or DEFAULT_THRESHOLD),
            site_id=str(data.get("site_id") or ""),
            folder=str(data.get("folder") or ""),
            sites=sites,
        )

    def save(self, path: Path) -> None:
        data = {
            "version": 1,
            "threshold": self.threshold,
            "site_id": self.site_id,
            "folder": self.folder,
            "sites": {k: {"prefix": v.prefix, "root": v.root} for k, v in self.sites.items()},
        }
        atomic_write(path, json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"), mode=0o600)


def public_link(publishing: SitePublishing, remote_path: str) -> str:
    """The URL of ``remote_path``; :class:`NotPublished` if it is not under the published root."""
    if not publishing.prefix.lower().startswith(("https://", "http://")):
        raise NotPublished("The site has no public web address (https://...) set for its files.")
    root = posixpath.normpath("/" + publishing.root.strip("/"))
    path = posixpath.normpath("/" + remote_path.lstrip("/"))
    rel = posixpath.relpath(path, root)
    if rel.startswith(".."):
        raise NotPublished(f"{path} is outside the published folder {root}.")
    return publishing.prefix.rstrip("/") + "/" + quote(rel)


@dataclass(frozen=True)
class LinkItem:
    """One uploaded file as the message shows it."""

    name: str
    size: int
    url: str


def link_block_plain(heading: str, items: Sequence[LinkItem], size_text: Sequence[str]) -> str:
    """``heading`` then one ``name (size)`` line and its URL per file; ``size_text`` is the localized sizes."""
    lines = [heading]
    for item, size in zip(items, size_text, strict=True):
        lines.append(f"  {item.name} ({size})")
        lines.append(f"  {item.url}")
    return "\n".join(lines) + "\n"


def link_block_html(heading: str, items: Sequence[LinkItem], size_text: Sequence[str]) -> str:
    import html

    rows = "".join(
        f'<li><a href="{html.escape(i.url, quote=True)}">{html.escape(i.name)}</a> ({html.escape(s)})</li>'
        for i, s in zip(items, size_text, strict=True)
    )
    return f"<div><p>{html.escape(heading)}</p><ul>{rows}</ul></div>"


def remote_name(folder: str, filename: str, token: str | None = None) -> str:
    """``folder/token-name``: unguessable, never colliding with an existing file."""
    safe = filename.replace("/", "_").replace("\\", "_").strip() or "file"
    tok = token or _secrets.token_hex(6)
    return posixpath.join("/" + folder.strip("/"), f"{tok}-{safe}") if folder.strip("/") else f"/{tok}-{safe}"


@dataclass
class _Item:
    local: Path
    remote: str
    size: int
    link: LinkItem
    job_id: int = 0


class BigUpload:
    """The uploads of one message's big attachments on a :class:`TransferQueue` (the site's)."""

    def __init__(self, queue: TransferQueue, publishing: SitePublishing, folder: str) -> None:
        self.queue = queue
        self.publishing = publishing
        self.folder = folder
        self.items: list[_Item] = []

    def add(self, local: Path, name: str | None = None) -> LinkItem:
        """Plan one file (raises :class:`NotPublished` before anything is queued if no link can be made)."""
        size = local.stat().st_size
        remote = remote_name(self.folder, name or local.name)
        link = LinkItem(name or local.name, size, public_link(self.publishing, remote))
        self.items.append(_Item(local, remote, size, link))
        return link

    def start(self) -> list[int]:
        """Queue every planned file and start the queue's workers."""
        for it in self.items:
            if not it.job_id:
                it.job_id = self.queue.add_upload(it.local, it.remote, size=it.size, policy=ConflictPolicy.OVERWRITE)
        self.queue.start()
        return [it.job_id for it in self.items]

    @property
    def links(self) -> list[LinkItem]:
        return [it.link for it in self.items]

    def status(self) -> tuple[str, list[tuple[str, str]]]:
        """("done" | "running" | "failed", [(file name, error), ...])."""
        failures: list[tuple[str, str]] = []
        running = False
        for it in self.items:
            if not it.job_id:
                running = True
                continue
            job = self.queue.job(it.job_id)
            if job.state in (JobState.FAILED, JobState.CANCELLED, JobState.SKIPPED):
                failures.append((it.link.name, job.error or str(job.state)))
            elif job.state != JobState.DONE:
                running = True
        if failures:
            return "failed", failures
        return ("running" if running else "done"), []

    def progress(self) -> tuple[int, int]:
        """(bytes on the server, total bytes) over all files."""
        done = total = 0
        for it in self.items:
            total += it.size
            if it.job_id:
                job = self.queue.job(it.job_id)
                done += it.size if job.state == JobState.DONE else min(job.offset, it.size)
        return done, total
