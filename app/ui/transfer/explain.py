"""Errors of the file-transfer core in the user's language, from the one table in :mod:`app.ui.errors`.

:func:`explain` takes an exception; :func:`explain_job_error` takes what a failed transfer job
stored (its error kind, the class name, and its English message).  Both are built from the error's
kind and facts, never from the English wording; the English message is kept for the tooltip and the
message log.
"""

from __future__ import annotations

import posixpath

from app.ui.errors import ErrorText, translated, translated_stored


def explain(exc: BaseException) -> str:
    """The title, what happened and what to do next (the exception's own text goes to the log)."""
    t: ErrorText = translated(exc)
    return f"{t.title} — {t.explanation} {t.next_step}".strip()


def explain_job_error(kind: str | None, message: str | None, host: str = "", path: str = "") -> str:
    """The translated summary of a failed job: its stored ``kind`` decides, ``message`` is only detail."""
    known = {"host": host, "path": posixpath.basename(path.rstrip("/")) or path}
    return translated_stored(kind, message, known).explanation
