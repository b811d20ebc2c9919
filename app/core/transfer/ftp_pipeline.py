"""FTP's many-small-files engine: pipelined commands so a batch of small files waits as little as possible.

Each file still needs its own data connection (EPSV/PASV, RETR or STOR,
226).  What this engine overlaps:

* downloads: the next file's passive request goes out as soon as the data
  connection reports EOF, ahead of the 226 being read;
* uploads: once a file's 226 is in (not before: the server may still be
  writing it), the next passive request, then MFMT, SITE CHMOD and SIZE (or
  MLST) for the finished file go out in one write; on plain FTP the next
  file's bytes follow its STOR without waiting for the 150.

It drives an :class:`~app.core.transfer.ftp.FtpSession` through the session's
data-connection methods (``control``, ``guard``, ``read_passive_reply``,
``start_transfer`` ...), never its private state.  Active mode and TYPE A
files take the session's general path.  Per-file errors (550...) come back
per item; a connection-level failure raises and the session reconnects.
"""

from __future__ import annotations

import contextlib
import ftplib
import io
import socket
import ssl
import time
from typing import TYPE_CHECKING, Any, BinaryIO

from app.core.errors import LocalIOError, NetworkError, QuayError, ServerError, TlsError
from app.core.transfer.base import SmallDownload, SmallUpload, write_fully
from app.core.transfer.listing import parse_mlsd_line

if TYPE_CHECKING:
    from app.core.transfer.ftp import FtpControl, FtpSession

__all__ = ["FtpPipeline"]


def _mlst_size(resp: str) -> int | None:
    """The size fact of an MLST reply (``250-...`` / `` type=file;size=N; name`` / ``250 End``), or None."""
    for line in resp.splitlines()[1:]:
        if line.startswith(" "):
            entry = parse_mlsd_line(line[1:])
            return entry.size if entry is not None else None
    return None


def _write_local(f: BinaryIO, data: memoryview, what: str) -> LocalIOError | None:
    """Write ``data`` to the local file; a failure (disk full...) is returned for that file, not raised."""
    try:
        written = f.write(data)
        if written is not None and written < len(data):
            write_fully(f.write, data[written:])
    except OSError as e:
        return LocalIOError(f"{what}: writing the local file failed: {e.strerror or e}")
    return None


class FtpPipeline:
    """The small-file engine of one :class:`FtpSession` (made once per session, used by its thread)."""

    def __init__(self, session: FtpSession) -> None:
        self._s = session

    def _reply_error(self, exc: ftplib.Error, what: str) -> QuayError:
        """A per-file error reply inside a batch; a connection-level one (421) ends the batch."""
        mapped = self._s.map_reply(exc, what)
        if isinstance(mapped, NetworkError):
            self._s.abandon()
            raise mapped from exc
        return mapped

    # --- downloads ------------------------------------------------------------------------------

    def download(self, items: list[SmallDownload]) -> list[Exception | None]:
        """See :meth:`FtpSession.download_small_files`."""
        s = self._s
        out: list[Exception | None] = [None] * len(items)
        if not s.passive or any(s.is_ascii(r) for r, _f, _s in items):
            for i, (remote, f, _size) in enumerate(items):  # active mode or TYPE A: the general path
                try:
                    s.download(remote, f)
                except (ServerError, LocalIOError) as e:
                    out[i] = e
            return out
        client = s.control()
        view = s.transfer_buffer()
        room = len(view)
        pending = False  # a passive request for the next file is on its way
        try:
            with s.guard("download"):
                s.set_type("I")
                cmd = s.passive_command()
                peer = client.peer_host()
                for i, (remote, f, _size) in enumerate(items):
                    what = f"download {remote}"
                    if not pending:
                        client.putline(cmd)
                    pending = False
                    address = s.read_passive_reply(client, cmd, peer)
                    cmd = s.passive_command()  # EPSV may have been refused just now
                    try:
                        conn = s.start_transfer(f"RETR {remote}", address)
                    except (ftplib.error_reply, ftplib.error_proto):
                        raise
                    except ftplib.Error as e:
                        out[i] = self._reply_error(e, what)
                        continue
                    recv_into = conn.recv_into
                    local_error: LocalIOError | None = None
                    n = 0
                    try:
                        while True:
                            got = recv_into(view[n:])
                            if not got:
                                break
                            n += got
                            if n == room:
                                local_error = local_error or _write_local(f, view, what)
                                n = 0
                    except BlockingIOError as e:  # SO_RCVTIMEO expired (see ftp.kernel_timeout_connect)
                        conn.close()
                        raise NetworkError(f"{what}: the data connection timed out") from e
                    except BaseException:
                        conn.close()
                        raise
                    if n:
                        local_error = local_error or _write_local(f, view[:n], what)
                    out[i] = local_error  # the data was drained either way: the control connection stays in step
                    s.close_data(conn)
                    if i + 1 < len(items):
                        client.putline(cmd)  # the next request overlaps this file's 226
                        pending = True
                    try:
                        client.voidresp()
                    except (ftplib.error_temp, ftplib.error_perm) as e:
                        out[i] = self._reply_error(e, what)
        except BaseException:
            s.abandon()  # replies may still be outstanding: the worker reconnects
            raise
        return out

    # --- uploads --------------------------------------------------------------------------------

    def _send_small(
        self, conn: socket.socket, data: bytes, what: str, out: list[Exception | int | None], i: int
    ) -> bool:
        """Send one small file on an open (TLS) data connection and close it; False when it failed (in ``out``)."""
        try:
            if data:
                conn.sendall(data)
        except ssl.SSLError as e:
            conn.close()
            raise TlsError(f"{what}: TLS error on the data connection: {e.reason or e}") from e
        except OSError as e:
            err = self._s.upload_failure(conn, what, e)
            if isinstance(err, NetworkError):
                raise err from e
            out[i] = err
            return False
        self._s.close_data(conn)
        return True

    def _store_send(self, client: FtpControl, cmd: str, address: tuple[str, int], data: bytes) -> OSError | None:
        """Plain FTP: connect, send ``cmd`` and the file's bytes right behind it, close; the 150 is read later.

        The server reads the data connection once it has processed the command,
        so the bytes need not wait for the 150: one round trip less per file.
        Returns the error of sending, if any (read the reply to learn why).
        """
        conn = self._s.small_data_connect(address)
        send_error: OSError | None = None
        try:
            client.putline(cmd)
            try:
                if data:
                    conn.sendall(data)
            except OSError as e:  # most likely the server refused the command and closed the connection
                send_error = e
        finally:
            conn.close()
        return send_error

    def _store_reply(self, client: FtpControl, what: str, send_error: OSError | None) -> QuayError | None:
        """The preliminary reply to a STOR sent by :meth:`_store_send`: None (150), or the file's error."""
        try:
            resp = client.getresp()
            if resp[0] == "2":
                resp = client.getresp()
        except (ftplib.error_temp, ftplib.error_perm) as e:
            return self._reply_error(e, what)
        if resp[0] != "1":
            raise ftplib.error_reply(resp)
        if send_error is not None:
            raise NetworkError(f"{what}: data connection failed: {send_error}") from send_error
        return None

    def _read_follow_ups(self, client: FtpControl, owed: tuple[int, str, list[str]] | None, out: list[Any]) -> None:
        """Read the replies to a file's MFMT/SITE CHMOD (errors ignored) and SIZE/MLST (its size, into ``out``)."""
        if owed is None:
            return
        i, what, kinds = owed
        size: int | None = None
        for kind in kinds:
            try:
                resp = client.getresp()
            except (ftplib.error_temp, ftplib.error_perm) as e:
                if kind != "set" and out[i] is None:
                    out[i] = self._reply_error(e, what)
                continue
            if kind == "mlst":
                size = _mlst_size(resp)
            elif kind == "size":
                with contextlib.suppress(ValueError):
                    size = int(resp[3:].strip())
        if out[i] is None:
            out[i] = size

    def _one_by_one(self, items: list[SmallUpload]) -> list[Exception | int | None]:
        """Active mode or TYPE A: the session's general path, file after file."""
        s = self._s
        out: list[Exception | int | None] = [None] * len(items)
        for i, (data, remote, mtime, mode) in enumerate(items):
            try:
                s.upload_with_attributes(io.BytesIO(data), remote, mtime=mtime, mode=mode)
                out[i] = s.size(remote)
            except (ServerError, LocalIOError) as e:
                out[i] = e
        return out

    def upload(self, items: list[SmallUpload]) -> list[Exception | int | None]:
        """See :meth:`FtpSession.upload_small_files`."""
        s = self._s
        if not s.passive or any(s.is_ascii(r) for _d, r, _m, _p in items):
            return self._one_by_one(items)
        out: list[Exception | int | None] = [None] * len(items)
        client = s.control()
        features = s.features
        pending = False  # the next file's passive request is on its way (ahead of ``owed``'s replies)
        owed: tuple[int, str, list[str]] | None = None  # a file whose follow-up replies are still unread
        try:
            with s.guard("upload"):
                s.set_type("I")
                cmd = s.passive_command()
                peer = client.peer_host()
                for i, (data, remote, mtime, mode) in enumerate(items):
                    what = f"upload {remote}"
                    if not pending:
                        client.putline(cmd)
                    pending = False
                    address = s.read_passive_reply(client, cmd, peer)
                    cmd = s.passive_command()
                    refused: QuayError | None = None
                    if not s.data_protected:
                        # STOR and the bytes go out now; the previous file's replies arrive before the 150.
                        s.last_data_address = address
                        send_error = self._store_send(client, f"STOR {remote}", address, data)
                        self._read_follow_ups(client, owed, out)
                        owed = None
                        refused = self._store_reply(client, what, send_error)
                    else:
                        self._read_follow_ups(client, owed, out)
                        owed = None
                        try:
                            conn = s.start_transfer(f"STOR {remote}", address)
                        except (ftplib.error_reply, ftplib.error_proto):
                            raise
                        except ftplib.Error as e:
                            refused = self._reply_error(e, what)
                        else:
                            if not self._send_small(conn, data, what, out, i):
                                continue
                    if refused is not None:
                        out[i] = refused
                        continue
                    # The 226 comes before any follow-up: the server may still be writing the file until then.
                    follow: list[tuple[str, str]] = []
                    try:
                        client.voidresp()  # 226 (or 451/552: the upload failed)
                    except (ftplib.error_temp, ftplib.error_perm) as e:
                        out[i] = self._reply_error(e, what)
                    else:
                        if mtime is not None and "MFMT" in features:
                            stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(int(mtime)))
                            follow.append(("set", f"MFMT {stamp} {remote}"))
                        if mode is not None:
                            follow.append(("set", f"SITE CHMOD {mode & 0o7777:o} {remote}"))
                        if "SIZE" in features:  # cheaper for the server than MLST (no facts to build)
                            follow.append(("size", f"SIZE {remote}"))
                        elif "MLST" in features:
                            follow.append(("mlst", f"MLST {remote}"))
                    # The next passive request goes first, so the next file can start before these replies are in.
                    lines = [cmd] if i + 1 < len(items) else []
                    pending = bool(lines)
                    lines += [c for _k, c in follow]
                    if lines:
                        client.putlines(lines)
                    if follow:
                        owed = (i, what, [k for k, _c in follow])
                self._read_follow_ups(client, owed, out)
        except BaseException:
            s.abandon()  # replies may still be outstanding: the worker reconnects
            raise
        return out
