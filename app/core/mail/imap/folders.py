"""IMAP folders: modified UTF-7 names (RFC 3501 5.1.3), LIST with SPECIAL-USE and STATUS, NAMESPACE,
and folder create / rename / delete / subscribe, mirrored into the cache."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from app.core.errors import ServerError
from app.core.mail.imap.response import Response, as_str
from app.core.mail.imap.session import ImapSession, quote_mailbox
from app.core.mail.store import Store

SPECIAL_USES = ("\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive", "\\All", "\\Flagged")

#: Common folder names per special use, for servers without SPECIAL-USE (compared case-insensitively).
FALLBACK_NAMES: dict[str, tuple[str, ...]] = {
    "\\Sent": ("sent", "sent items", "sent messages", "sent mail", "gesendet", "đã gửi"),
    "\\Drafts": ("drafts", "draft", "entwürfe", "nháp"),
    "\\Trash": ("trash", "deleted items", "deleted messages", "bin", "papierkorb", "thùng rác"),
    "\\Junk": ("junk", "spam", "junk e-mail", "bulk mail"),
    "\\Archive": ("archive", "archives", "all mail"),
}


# ----------------------------------------------------------- modified UTF-7


def encode_mutf7(name: str) -> str:
    """Unicode folder name -> IMAP modified UTF-7 (``Thư mục`` -> ``Th&AbA- m&,upj-``)."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            b64 = base64.b64encode("".join(run).encode("utf-16-be")).decode("ascii").rstrip("=")
            out.append("&" + b64.replace("/", ",") + "-")
            run.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


def decode_mutf7(name: str | bytes) -> str:
    """IMAP modified UTF-7 -> Unicode; malformed shifts are kept verbatim rather than failing."""
    s = name.decode("utf-8", "replace") if isinstance(name, bytes) else name
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch != "&":
            out.append(ch)
            i += 1
            continue
        j = s.find("-", i + 1)
        if j < 0:
            out.append(s[i:])
            break
        if j == i + 1:
            out.append("&")
        else:
            chunk = s[i + 1 : j].replace(",", "/")
            try:
                raw = base64.b64decode(chunk + "=" * (-len(chunk) % 4), validate=True)
                out.append(raw.decode("utf-16-be"))
            except (ValueError, UnicodeDecodeError):
                out.append(s[i : j + 1])
        i = j + 1
    return "".join(out)


# ------------------------------------------------------------------- LIST


@dataclass
class FolderInfo:
    """One LIST entry: the wire name, the decoded name, delimiter, attributes, special use, counts."""

    remote_name: str
    name: str
    delimiter: str | None
    attributes: list[str] = field(default_factory=list)
    special_use: str | None = None
    subscribed: bool = False
    messages: int | None = None
    unseen: int | None = None

    @property
    def selectable(self) -> bool:
        return not any(a.lower() in ("\\noselect", "\\nonexistent") for a in self.attributes)


def parse_list_response(resp: Response) -> FolderInfo | None:
    """``* LIST (\\HasNoChildren \\Sent) "/" "Sent"`` -> FolderInfo (also LSUB); None if not a LIST line."""
    toks = resp.tokens()
    if len(toks) < 4 or not isinstance(toks[0], str) or toks[0].upper() not in ("LIST", "LSUB"):
        return None
    attrs_tok = toks[1]
    attrs = [as_str(a) for a in attrs_tok] if isinstance(attrs_tok, list) else []
    delim = None if toks[2] is None else as_str(toks[2])
    remote = as_str(toks[3])
    special = next((a for a in attrs if a.lower() in {s.lower() for s in SPECIAL_USES}), None)
    if special is not None:
        special = next(s for s in SPECIAL_USES if s.lower() == special.lower())
    subscribed = toks[0].upper() == "LSUB" or any(a.lower() == "\\subscribed" for a in attrs)
    return FolderInfo(remote, decode_mutf7(remote), delim, attrs, special, subscribed)


def _apply_fallback_special_uses(folders: list[FolderInfo]) -> None:
    taken = {f.special_use for f in folders if f.special_use}
    for use, names in FALLBACK_NAMES.items():
        if use in taken:
            continue
        for f in folders:
            leaf = f.name.rsplit(f.delimiter, 1)[-1] if f.delimiter else f.name
            if f.special_use is None and leaf.casefold() in names:
                f.special_use = use
                break


def list_folders(sess: ImapSession) -> list[FolderInfo]:
    """LIST every folder with subscription state, special use and (LIST-STATUS) counts."""
    caps = sess.capabilities
    ret: list[str] = []
    if "LIST-EXTENDED" in caps:
        ret.append("SUBSCRIBED")
    if "SPECIAL-USE" in caps:
        ret.append("SPECIAL-USE")
    if "LIST-STATUS" in caps:
        ret.append("STATUS (MESSAGES UNSEEN)")
    args: list[bytes | str] = [b'""', b'"*"']
    if ret:
        args.append(f"RETURN ({' '.join(ret)})")
    untagged, _ = sess.command("LIST", *args)
    folders: dict[str, FolderInfo] = {}
    statuses: dict[str, tuple[int | None, int | None]] = {}
    for r in untagged:
        if r.tag != "*":
            continue
        if r.status == "LIST":
            info = parse_list_response(r)
            if info is not None:
                folders[info.remote_name] = info
        elif r.status == "STATUS":
            toks = r.tokens()
            if len(toks) >= 3 and isinstance(toks[2], list):
                vals = {as_str(toks[2][i]).upper(): int(as_str(toks[2][i + 1])) for i in range(0, len(toks[2]) - 1, 2)}
                statuses[as_str(toks[1])] = (vals.get("MESSAGES"), vals.get("UNSEEN"))
    if "LIST-EXTENDED" not in caps:
        lsub, _ = sess.command("LSUB", b'""', b'"*"')
        subscribed = {i.remote_name for i in (parse_list_response(r) for r in lsub) if i is not None}
        for f in folders.values():
            f.subscribed = f.remote_name in subscribed
    for name, (messages, unseen) in statuses.items():
        if name in folders:
            folders[name].messages, folders[name].unseen = messages, unseen
    out = sorted(folders.values(), key=lambda f: (f.name.upper() != "INBOX", f.name))
    _apply_fallback_special_uses(out)
    return out


def namespace(sess: ImapSession) -> tuple[str, str | None]:
    """The personal namespace (prefix, delimiter); ("", None) if the server has no NAMESPACE."""
    if "NAMESPACE" not in sess.capabilities:
        return "", None
    untagged, _ = sess.command("NAMESPACE")
    for r in untagged:
        if r.status == "NAMESPACE":
            toks = r.tokens()
            personal = toks[1] if len(toks) > 1 else None
            if isinstance(personal, list) and personal and isinstance(personal[0], list):
                first = personal[0]
                prefix = as_str(first[0]) if first else ""
                delim = as_str(first[1]) if len(first) > 1 and first[1] is not None else None
                return prefix, delim
    return "", None


def status(sess: ImapSession, remote_name: str) -> dict[str, int]:
    """STATUS counts of one folder (MESSAGES, UNSEEN, UIDNEXT, UIDVALIDITY)."""
    untagged, _ = sess.command("STATUS", quote_mailbox(remote_name), "(MESSAGES UNSEEN UIDNEXT UIDVALIDITY)")
    for r in untagged:
        if r.status == "STATUS":
            toks = r.tokens()
            if len(toks) >= 3 and isinstance(toks[2], list):
                items = toks[2]
                return {as_str(items[i]).upper(): int(as_str(items[i + 1])) for i in range(0, len(items) - 1, 2)}
    return {}


def refresh_folders(sess: ImapSession, store: Store, account_id: int) -> list[FolderInfo]:
    """LIST the server's folders into the cache; forget cached IMAP folders that no longer exist."""
    infos = list_folders(sess)
    seen: set[str] = set()
    for f in infos:
        fid = store.ensure_imap_folder(
            account_id,
            f.name,
            f.remote_name,
            delimiter=f.delimiter,
            special_use=f.special_use,
            subscribed=f.subscribed,
            attributes=" ".join(f.attributes),
        )
        if f.messages is not None:
            store.update_folder_state(fid, server_total=f.messages, server_unseen=f.unseen)
        seen.add(f.name)
    for cached in store.folders(account_id):
        if cached.kind == "imap" and cached.name not in seen:
            store.delete_folder(cached.id)
    return infos


def _remote(store: Store, account_id: int, name: str) -> str:
    f = store.folder_by_name(account_id, name)
    return f.remote_name if f is not None and f.remote_name else encode_mutf7(name)


def create_folder(sess: ImapSession, store: Store, account_id: int, name: str, *, subscribe: bool = True) -> int:
    """CREATE (and SUBSCRIBE) a folder named in Unicode; returns its cache id."""
    remote = encode_mutf7(name)
    try:
        sess.command("CREATE", quote_mailbox(remote))
    except ServerError as e:
        if "ALREADYEXISTS" not in e.reply.upper():
            raise
    if subscribe:
        sess.command("SUBSCRIBE", quote_mailbox(remote))
    return store.ensure_imap_folder(account_id, name, remote, subscribed=subscribe)


def rename_folder(sess: ImapSession, store: Store, account_id: int, old: str, new: str) -> None:
    old_remote = _remote(store, account_id, old)
    new_remote = encode_mutf7(new)
    sess.command("RENAME", quote_mailbox(old_remote), quote_mailbox(new_remote))
    f = store.folder_by_name(account_id, old)
    if f is not None:
        store.rename_folder(f.id, new, new_remote)


def delete_folder(sess: ImapSession, store: Store, account_id: int, name: str) -> None:
    remote = _remote(store, account_id, name)
    if sess.selected == remote:
        sess.command("UNSELECT" if "UNSELECT" in sess.capabilities else "CLOSE")
        sess.selected = None
    sess.command("DELETE", quote_mailbox(remote))
    try:
        sess.command("UNSUBSCRIBE", quote_mailbox(remote))
    except ServerError:
        pass
    f = store.folder_by_name(account_id, name)
    if f is not None:
        store.delete_folder(f.id)


def set_subscribed(sess: ImapSession, store: Store, account_id: int, name: str, subscribed: bool) -> None:
    remote = _remote(store, account_id, name)
    sess.command("SUBSCRIBE" if subscribed else "UNSUBSCRIBE", quote_mailbox(remote))
    f = store.folder_by_name(account_id, name)
    if f is not None:
        store.update_folder_state(f.id, subscribed=int(subscribed))
