"""IMAP folders: modified UTF-7 names (RFC 3501 5.1.3), LIST with SPECIAL-USE and STATUS, NAMESPACE,
special folders for servers without SPECIAL-USE, and folder create / rename / delete / subscribe,
mirrored into the cache. The server side runs through :class:`~app.core.mail.imap.session.ImapSession`'s
imapclient methods; names here are Unicode, ``remote_name`` is the wire (modified UTF-7) form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from imapclient import imap_utf7

from app.core.errors import QuayError, ServerError
from app.core.mail.imap.response import Response, as_str
from app.core.mail.imap.session import ImapSession, Namespaces
from app.core.mail.store import Store

SPECIAL_USES = ("\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive", "\\All", "\\Flagged")

#: Common folder names per special use, for servers without SPECIAL-USE (compared case-insensitively,
#: earlier names preferred).
FALLBACK_NAMES: dict[str, tuple[str, ...]] = {
    "\\Sent": ("sent", "sent items", "sent messages", "sent mail", "gesendet", "đã gửi"),
    "\\Drafts": ("drafts", "draft", "entwürfe", "nháp"),
    "\\Trash": ("trash", "deleted items", "deleted messages", "bin", "papierkorb", "thùng rác"),
    "\\Junk": ("junk", "spam", "junk e-mail", "bulk mail"),
    "\\Archive": ("archive", "archives", "all mail"),
}

#: The name a special folder gets when Quay has to create it.
CREATE_NAMES: dict[str, str] = {
    "\\Sent": "Sent",
    "\\Drafts": "Drafts",
    "\\Trash": "Trash",
    "\\Junk": "Junk",
    "\\Archive": "Archive",
}


class NoSpecialFolder(QuayError, LookupError):
    """The account has no folder for this special use (``special_use``, e.g. ``\\Trash``).

    The UI asks the user: create one (:func:`ensure_special_folder`) or, for Delete, delete
    permanently instead.
    """

    def __init__(self, special_use: str) -> None:
        name = CREATE_NAMES.get(special_use, special_use.lstrip("\\"))
        super().__init__(f"This account has no {name} folder.")
        self.special_use = special_use


# ----------------------------------------------------------- modified UTF-7

_MODIFIED_BASE64 = re.compile(r"[A-Za-z0-9+,]+")


def encode_mutf7(name: str) -> str:
    """Unicode folder name -> IMAP modified UTF-7 (``Thư mục`` -> ``Th&AbA- m&HuU-c``), by imapclient."""
    encoded: bytes = imap_utf7.encode(name)
    return encoded.decode("ascii")


def decode_mutf7(name: str | bytes) -> str:
    """IMAP modified UTF-7 -> Unicode; malformed shifts are kept verbatim rather than failing.

    Each ``&...-`` shift is decoded by imapclient; imapclient alone raises on some malformed
    shifts and reads others leniently (``&`` alone as ``+``), and a folder list must not fail
    or change over one bad name.
    """
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
            chunk = s[i + 1 : j]
            try:
                if not _MODIFIED_BASE64.fullmatch(chunk):
                    raise ValueError(chunk)
                out.append(imap_utf7.base64_utf7_decode(bytearray(chunk.encode("ascii"))))
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


def personal_path(f: FolderInfo, ns: Namespaces) -> list[str] | None:
    """The folder's name components below the personal namespace, or None if it lives elsewhere.

    The namespace with the longest matching prefix owns a name (``""`` personal versus
    ``shared/`` or ``Other Users/``). A leading ``INBOX`` level counts as top level (``INBOX.Trash``
    on servers that keep folders below INBOX), so ``INBOX.Trash`` and ``Trash`` both give ``["Trash"]``.
    """
    remote = f.remote_name
    best: tuple[int, bool, str, str | None] | None = None
    kinds = ((True, ns.personal), (False, ns.other), (False, ns.shared))
    for personal, pairs in kinds:
        for prefix, delim in pairs:
            if _has_prefix(remote, prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), personal, prefix, delim)
    if best is None or not best[1]:
        return None
    _, _, prefix, ns_delim = best
    delim = f.delimiter or ns_delim
    rel = remote[len(prefix) :]
    if delim and _has_prefix(rel, "INBOX" + delim):
        rel = rel[len("INBOX") + len(delim) :]
    if not rel or rel.upper() == "INBOX":
        return None
    parts = rel.split(delim) if delim else [rel]
    return [decode_mutf7(p) for p in parts]


def _has_prefix(name: str, prefix: str) -> bool:
    """``prefix`` starts ``name``; the INBOX part compares case-insensitively (RFC 3501 5.1)."""
    if prefix[:5].upper() == "INBOX":
        return name[:5].upper() == "INBOX" and name[5:].startswith(prefix[5:])
    return name.startswith(prefix)


def _apply_fallback_special_uses(folders: list[FolderInfo], ns: Namespaces | None = None) -> None:
    """Special uses by name, for servers without SPECIAL-USE (RFC 6154).

    Only folders in the personal namespace qualify (a colleague's shared ``Trash`` must never
    receive the user's deleted mail); the least nested match wins (``Trash`` before
    ``Clients/Trash``), then the earlier name in :data:`FALLBACK_NAMES`, then the name. When
    nothing matches the use stays unassigned: :func:`ensure_special_folder` creates one on first use.
    """
    ns = ns or Namespaces()
    taken = {f.special_use for f in folders if f.special_use}
    for use, names in FALLBACK_NAMES.items():
        if use in taken:
            continue
        best: tuple[tuple[int, int, str], FolderInfo] | None = None
        for f in folders:
            if f.special_use is not None or not f.selectable:
                continue
            path = personal_path(f, ns)
            if path is None:
                continue
            leaf = path[-1].casefold()
            if leaf not in names:
                continue
            key = (len(path), names.index(leaf), f.name)
            if best is None or key < best[0]:
                best = (key, f)
        if best is not None:
            best[1].special_use = use


def list_folders(sess: ImapSession, ns: Namespaces | None = None) -> list[FolderInfo]:
    """LIST every folder with subscription state, special use and (LIST-STATUS) counts."""
    caps = sess.capabilities
    ret: list[str] = []
    if "LIST-EXTENDED" in caps:
        ret.append("SUBSCRIBED")
    if "SPECIAL-USE" in caps:
        ret.append("SPECIAL-USE")
    if "LIST-STATUS" in caps:
        ret.append("STATUS (MESSAGES UNSEEN)")
    lists, status_lines = sess.list_mailboxes(" ".join(ret))
    folders: dict[str, FolderInfo] = {}
    statuses: dict[str, tuple[int | None, int | None]] = {}
    for r in lists:
        info = parse_list_response(r)
        if info is not None:
            folders[info.remote_name] = info
    for r in status_lines:
        toks = r.tokens()
        if len(toks) >= 3 and isinstance(toks[2], list):
            vals = {as_str(toks[2][i]).upper(): int(as_str(toks[2][i + 1])) for i in range(0, len(toks[2]) - 1, 2)}
            statuses[as_str(toks[1])] = (vals.get("MESSAGES"), vals.get("UNSEEN"))
    if "LIST-EXTENDED" not in caps:
        subscribed = sess.list_subscribed()
        for f in folders.values():
            f.subscribed = f.remote_name in subscribed
    for name, (messages, unseen) in statuses.items():
        if name in folders:
            folders[name].messages, folders[name].unseen = messages, unseen
    out = sorted(folders.values(), key=lambda f: (f.name.upper() != "INBOX", f.name))
    if set(FALLBACK_NAMES) - {f.special_use for f in out}:
        _apply_fallback_special_uses(out, ns if ns is not None else sess.namespaces())
    return out


def namespace(sess: ImapSession) -> tuple[str, str | None]:
    """The (first) personal namespace (prefix, delimiter); ("", None) if the server has no NAMESPACE."""
    return sess.namespaces().personal[0]


def status(sess: ImapSession, remote_name: str) -> dict[str, int]:
    """STATUS counts of one folder (MESSAGES, UNSEEN, UIDNEXT, UIDVALIDITY)."""
    return sess.status(remote_name)


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


def create_folder(
    sess: ImapSession,
    store: Store,
    account_id: int,
    name: str,
    *,
    subscribe: bool = True,
    special_use: str | None = None,
    delimiter: str | None = None,
) -> int:
    """CREATE (and SUBSCRIBE) a folder named in Unicode (its full name, prefix included); returns its cache id."""
    remote = encode_mutf7(name)
    sess.create_mailbox(remote)
    if subscribe:
        sess.subscribe(remote)
    return store.ensure_imap_folder(
        account_id, name, remote, subscribed=subscribe, special_use=special_use, delimiter=delimiter
    )


def ensure_special_folder(sess: ImapSession, store: Store, account_id: int, special_use: str) -> int:
    """The cache id of the account's folder for ``special_use``, creating it on the server if there is none.

    The new folder goes to the top of the personal namespace (``Trash``, or ``INBOX.Trash``
    where folders live below INBOX). Raises :class:`NoSpecialFolder` for a use Quay does not create.
    """
    found = store.folder_by_special_use(account_id, special_use)
    if found is not None:
        return found.id
    if special_use not in CREATE_NAMES:
        raise NoSpecialFolder(special_use)
    prefix, delim = sess.namespaces().personal[0]
    name = decode_mutf7(prefix) + CREATE_NAMES[special_use]
    return create_folder(sess, store, account_id, name, special_use=special_use, delimiter=delim)


def rename_folder(sess: ImapSession, store: Store, account_id: int, old: str, new: str) -> None:
    old_remote = _remote(store, account_id, old)
    new_remote = encode_mutf7(new)
    sess.rename_mailbox(old_remote, new_remote)
    f = store.folder_by_name(account_id, old)
    if f is not None:
        store.rename_folder(f.id, new, new_remote)


def delete_folder(sess: ImapSession, store: Store, account_id: int, name: str) -> None:
    remote = _remote(store, account_id, name)
    sess.delete_mailbox(remote)
    try:
        sess.subscribe(remote, False)
    except ServerError:
        pass
    f = store.folder_by_name(account_id, name)
    if f is not None:
        store.delete_folder(f.id)


def set_subscribed(sess: ImapSession, store: Store, account_id: int, name: str, subscribed: bool) -> None:
    remote = _remote(store, account_id, name)
    sess.subscribe(remote, subscribed)
    f = store.folder_by_name(account_id, name)
    if f is not None:
        store.update_folder_state(f.id, subscribed=int(subscribed))
