"""QtWebEngine for mail: an off-the-record profile that cannot fetch anything the user did not allow.

Three layers keep a message from phoning home, so that one mistake is not enough:

1. the sanitizer (:func:`app.core.mail.mime.sanitize_html`) removes remote references;
2. a Content-Security-Policy ``<meta>`` is the first thing in every document
   (:func:`wrap_document`): images only from ``cid:``/``data:``, no scripts, no
   fonts, no frames, no connections, unless the user allowed remote content;
3. :class:`_Interceptor`, a ``QWebEngineUrlRequestInterceptor`` on the profile,
   blocks every request except our own ``quay-mail:`` document and ``cid:``
   parts (served by :class:`_SchemeHandler` from the message itself) and
   ``data:``; ``http(s)`` passes only for a document the user allowed.

JavaScript, plugins, local storage, persistent cookies, page icons and
navigation are off. Call :func:`prepare` before the ``QApplication`` exists
(custom schemes and the shared GL context must be registered first); if the
engine cannot be imported or started, :func:`available` is False and the
message view uses its ``QTextBrowser`` fallback.
"""

from __future__ import annotations

import itertools
import os
import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QObject, Qt, QUrl, Signal

DOC_SCHEME = b"quay-mail"
CID_SCHEME = b"cid"

_prepared = False
_available: bool | None = None
_lock = threading.Lock()


def prepare() -> bool:
    """Register our URL schemes and GL sharing; call before QApplication exists. Safe to call twice."""
    global _prepared, _available
    if _prepared:
        return bool(_available)
    _prepared = True
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--no-sandbox" not in flags:
        # Chromium refuses to run its sandbox as root; only then do we turn it off.
        flags += " --no-sandbox"
    if "--renderer-process-limit" not in flags:
        # Every message is its own origin (quay-mail://<token>/), and Chromium starts a new renderer
        # process for each such navigation (~80 ms per message, and two renderers alive meanwhile).
        # The documents are sanitized, script-free and sandboxed by the CSP, so one renderer serves all.
        flags += " --renderer-process-limit=1"
    if "--no-sandbox" in flags.split() and "--no-zygote" not in flags:
        # The zygotes exist to start sandboxed renderers; without the sandbox (root) they are two idle
        # processes (~100 MB resident between them) and the one renderer is started directly.
        flags += " --no-zygote"
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags.strip()
    try:
        from PySide6.QtWebEngineCore import QWebEngineUrlScheme
    except ImportError:
        _available = False
        return False
    if QCoreApplication.instance() is not None:
        # Too late to register schemes: the engine would load our documents as unknown URLs.
        _available = False
        return False
    for name, syntax in ((DOC_SCHEME, QWebEngineUrlScheme.Syntax.Host), (CID_SCHEME, QWebEngineUrlScheme.Syntax.Path)):
        scheme = QWebEngineUrlScheme(name)
        scheme.setSyntax(syntax)
        # Not SecureScheme: Chromium would upgrade http images to https ("mixed content") after "Load once".
        # LocalScheme: a local page may load remote URLs only where the page's LocalContentCanAccessRemoteUrls
        # setting says so, which the view turns on only for a document the user allowed.
        scheme.setFlags(QWebEngineUrlScheme.Flag.LocalScheme | QWebEngineUrlScheme.Flag.LocalAccessAllowed)
        QWebEngineUrlScheme.registerScheme(scheme)
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    _available = True
    return True


def available() -> bool:
    """True if :func:`prepare` ran in time and the engine imports; the view then renders HTML with it."""
    return bool(_available)


def content_security_policy(allow_remote: bool) -> str:
    remote = " http: https:" if allow_remote else ""
    fonts = remote or " 'none'"
    return (
        "default-src 'none'; "
        f"img-src cid: data:{remote}; "
        f"style-src 'unsafe-inline'{remote}; "
        f"font-src{fonts}; "
        "script-src 'none'; object-src 'none'; frame-src 'none'; connect-src 'none'; "
        "media-src 'none'; form-action 'none'; base-uri 'none'"
    )


def wrap_document(body_html: str, allow_remote: bool, *, keep_light: bool = True) -> str:
    """The document the view loads: the CSP first, then the (already sanitized) message HTML."""
    csp = content_security_policy(allow_remote)
    light = (
        "<style>html{background:#ffffff;color:#000000;color-scheme:light}</style>"
        if keep_light
        else "<style>html{color-scheme:light dark}</style>"
    )
    return (
        f'<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta charset="utf-8">'
        f"{light}<style>body{{margin:8px;font-family:sans-serif;overflow-wrap:anywhere}}</style>"
        f"{body_html}"
    )


@dataclass
class Document:
    """One rendered message: its HTML, its ``cid:`` parts, and whether remote content is allowed."""

    html: bytes
    parts: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # content-id -> (type, data)
    allow_remote: bool = False


class Documents(QObject):
    """The documents the profile may serve, by token (``quay-mail://<token>/``), plus request accounting.

    Signals:
        blocked(str): a request was refused (its URL), for tests and diagnostics.
    """

    blocked = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._docs: dict[str, Document] = {}
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self.blocked_count = 0
        self.served_parts: list[str] = []  # cid: parts served (diagnostics and tests)

    def add(self, doc: Document) -> QUrl:
        token = f"m{next(self._counter)}"
        with self._lock:
            self._docs[token] = doc
            while len(self._docs) > 16:  # old documents of closed views
                self._docs.pop(next(iter(self._docs)))
        return QUrl(f"{DOC_SCHEME.decode()}://{token}/")

    def get(self, token: str) -> Document | None:
        with self._lock:
            return self._docs.get(token)

    def find_part(self, token: str, cid: str) -> tuple[str, bytes] | None:
        doc = self.get(token)
        return None if doc is None else doc.parts.get(cid)

    def note_blocked(self, url: str) -> None:
        self.blocked_count += 1
        self.blocked.emit(url)


_engine: _Engine | None = None


class _Engine:
    """The shared off-the-record profile with its interceptor and scheme handler."""

    def __init__(self) -> None:
        from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineSettings

        app = QCoreApplication.instance()
        self.documents = Documents()
        self.profile = QWebEngineProfile(app)  # no storage name: off the record
        self.profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies)
        self.profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
        self.profile.setSpellCheckEnabled(False)
        self.interceptor = _make_interceptor(self.documents)
        self.profile.setUrlRequestInterceptor(self.interceptor)
        self.handler = _make_scheme_handler(self.documents)
        self.profile.installUrlSchemeHandler(DOC_SCHEME, self.handler)
        self.profile.installUrlSchemeHandler(CID_SCHEME, self.handler)
        s = self.profile.settings()
        A = QWebEngineSettings.WebAttribute
        for attr, on in (
            (A.JavascriptEnabled, False),
            (A.JavascriptCanOpenWindows, False),
            (A.JavascriptCanAccessClipboard, False),
            (A.PluginsEnabled, False),
            (A.LocalStorageEnabled, False),
            (A.LocalContentCanAccessRemoteUrls, False),
            (A.LocalContentCanAccessFileUrls, False),
            (A.XSSAuditingEnabled, True),
            (A.AutoLoadIconsForPage, False),
            (A.TouchIconsEnabled, False),
            (A.HyperlinkAuditingEnabled, False),
            (A.DnsPrefetchEnabled, False),
            (A.PdfViewerEnabled, False),
            (A.NavigateOnDropEnabled, False),
            (A.WebGLEnabled, False),
            (A.Accelerated2dCanvasEnabled, False),
            (A.AllowRunningInsecureContent, False),
            (A.AllowGeolocationOnInsecureOrigins, False),
            (A.PlaybackRequiresUserGesture, True),
            (A.WebRTCPublicInterfacesOnly, True),
        ):
            s.setAttribute(attr, on)


def engine() -> _Engine:
    """The shared profile (created on first use, on the GUI thread)."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = _Engine()
        return _engine


def _make_interceptor(documents: Documents) -> QObject:
    from PySide6.QtWebEngineCore import QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor

    class _Interceptor(QWebEngineUrlRequestInterceptor):
        """Runs on the engine's IO thread: decide from the URL and the document's token only."""

        def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
            url = info.requestUrl()
            scheme = url.scheme().lower()
            if scheme in (DOC_SCHEME.decode(), CID_SCHEME.decode(), "data"):
                return
            first = info.firstPartyUrl()
            doc = documents.get(first.host()) if first.scheme() == DOC_SCHEME.decode() else None
            if doc is not None and doc.allow_remote and scheme in ("http", "https"):
                return
            info.block(True)
            documents.note_blocked(url.toString())

    return _Interceptor()


def _make_scheme_handler(documents: Documents) -> QObject:
    from PySide6.QtWebEngineCore import QWebEngineUrlRequestJob, QWebEngineUrlSchemeHandler

    class _SchemeHandler(QWebEngineUrlSchemeHandler):
        """Serves ``quay-mail://token/`` (the document) and ``cid:`` (its parts, found via the initiator)."""

        def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
            url = job.requestUrl()
            if url.scheme() == DOC_SCHEME.decode():
                doc = documents.get(url.host())
                if doc is None:
                    job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
                    return
                self._reply(job, b"text/html;charset=utf-8", doc.html)
                return
            cid = url.path().strip("<>")
            part = documents.find_part(job.initiator().host(), cid)
            documents.served_parts.append(cid)
            if part is None:
                job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
                return
            self._reply(job, part[0].encode("ascii", "replace"), part[1])

        @staticmethod
        def _reply(job: QWebEngineUrlRequestJob, ctype: bytes, data: bytes) -> None:
            buf = QBuffer(job)
            buf.setData(QByteArray(data))
            buf.open(QIODevice.OpenModeFlag.ReadOnly)
            job.reply(QByteArray(ctype), buf)

    return _SchemeHandler()
