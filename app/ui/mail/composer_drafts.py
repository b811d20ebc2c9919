"""Crash-safe drafts: which composer windows were open, so their last autosave reopens after a crash.

Each open composer keeps one small journal file (``<data>/open-drafts/<token>.json``) naming
its draft in Local Folders/Drafts (:class:`~app.core.mail.drafts.DraftState`). A clean close
removes the file (the draft itself stays in Drafts, or is discarded if the user threw it away);
after a crash the files are still there and :func:`pending_drafts` lists them for reopening.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from app.core.fileio import atomic_write
from app.core.mail.drafts import DraftState
from app.core.paths import AppPaths


@dataclass
class JournalEntry:
    token: str
    account: str
    state: DraftState


def journal_dir(paths: AppPaths) -> Path:
    return paths.data / "open-drafts"


class DraftJournal:
    """The journal file of one open composer."""

    def __init__(self, paths: AppPaths, token: str | None = None) -> None:
        self.paths = paths
        self.token = token or uuid.uuid4().hex
        self.path = journal_dir(paths) / f"{self.token}.json"

    def write(self, state: DraftState, account: str) -> None:
        data = {"token": self.token, "account": account, "state": asdict(state)}
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(self.path, json.dumps(data).encode("utf-8"))

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def pending_drafts(paths: AppPaths) -> list[JournalEntry]:
    """Composers that were open when Quay stopped without closing them (oldest first)."""
    d = journal_dir(paths)
    if not d.is_dir():
        return []
    out: list[JournalEntry] = []
    stamped: list[tuple[float, Path]] = []
    for f in d.glob("*.json"):
        try:  # a composer may remove its journal between the listing and this look
            stamped.append((f.stat().st_mtime, f))
        except OSError:
            continue
    for _mtime, f in sorted(stamped):
        try:
            data = json.loads(f.read_text("utf-8"))
            st = data["state"]
            state = DraftState(
                message_id=str(st.get("message_id", "")),
                local_id=st.get("local_id"),
                server_uid=st.get("server_uid"),
                saved_at=st.get("saved_at"),
                server_error=str(st.get("server_error", "")),
                pending_server_delete=list(st.get("pending_server_delete") or []),
            )
            out.append(JournalEntry(str(data.get("token") or f.stem), str(data.get("account", "")), state))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return out
