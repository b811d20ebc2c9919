"""The test pyftpdlib server (tests/servers/ftp_runner.py) plus the HASH command, for the transfer benchmark.

pyftpdlib offers no way to ask the server for a file's checksum, so the transfer
queue verifies plain pyftpdlib transfers by size only. Real servers (ProFTPD with
mod_digest, FileZilla Server, ...) offer ``HASH`` (draft-bryan-ftpext-hash); this
variant does too, so the benchmark shows what our verification costs when a
server can hash. Run as ``python -m bench.ftpd_hash --config FILE`` by
``FtpServer(runner="bench.ftpd_hash")``.
"""

from __future__ import annotations

import hashlib
import sys
from typing import Any

from pyftpdlib.handlers import FTPHandler

from tests.servers import ftp_runner

ALGOS = {"SHA-256": "sha256", "SHA-1": "sha1", "MD5": "md5"}
FEATURE = "HASH SHA-256*;SHA-1;MD5"


class HashMixin:
    """``HASH path`` -> ``213 SHA-256 0-(size-1) hexdigest path``; ``OPTS HASH algo`` picks the algorithm."""

    # Provided by the pyftpdlib handler this is mixed into:
    respond: Any
    fs: Any
    _extra_feats: list[str]

    proto_cmds = dict(
        FTPHandler.proto_cmds,
        HASH={"perm": "r", "auth": True, "arg": True, "help": "Syntax: HASH <SP> file-name (file checksum)."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._extra_feats.append(FEATURE)
        self._hash_algo = "SHA-256"

    def ftp_OPTS(self, line: str) -> None:
        cmd, _, arg = line.partition(" ")
        if cmd.upper() != "HASH":
            super().ftp_OPTS(line)  # type: ignore[misc]
            return
        if not arg:
            self.respond(f"200 {self._hash_algo}")
        elif arg.upper() in ALGOS:
            self._hash_algo = arg.upper()
            self.respond(f"200 {self._hash_algo}")
        else:
            self.respond("504 Unknown algorithm.")

    def ftp_HASH(self, path: str) -> None:
        fs = self.fs
        if not fs.isfile(fs.realpath(path)):
            self.respond("550 Not a file.")
            return
        h = hashlib.new(ALGOS[self._hash_algo])
        size = 0
        with open(path, "rb") as f:  # blocking, like the rest of this test server's file work
            while chunk := f.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
        self.respond(f"213 {self._hash_algo} 0-{max(0, size - 1)} {h.hexdigest()} {fs.fs2ftp(path)}")


def main() -> int:
    build = ftp_runner.build_handlers

    def with_hash(cfg: dict[str, Any]) -> Any:
        return tuple(type(h.__name__ + "Hash", (HashMixin, h), {}) for h in build(cfg))

    ftp_runner.build_handlers = with_hash  # main() looks it up at call time
    return ftp_runner.main()


if __name__ == "__main__":
    sys.exit(main())
