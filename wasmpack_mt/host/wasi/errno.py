"""WASI preview1 errno values and the one table mapping host OSError errnos to them."""

from __future__ import annotations

import errno as host_errno

# WASI preview1 errno names in numeric order, starting at 1 (0 is success).
# Each is the POSIX name without its leading "E".
_NAMES = [
    "2BIG",
    "ACCES",
    "ADDRINUSE",
    "ADDRNOTAVAIL",
    "AFNOSUPPORT",
    "AGAIN",
    "ALREADY",
    "BADF",
    "BADMSG",
    "BUSY",
    "CANCELED",
    "CHILD",
    "CONNABORTED",
    "CONNREFUSED",
    "CONNRESET",
    "DEADLK",
    "DESTADDRREQ",
    "DOM",
    "DQUOT",
    "EXIST",
    "FAULT",
    "FBIG",
    "HOSTUNREACH",
    "IDRM",
    "ILSEQ",
    "INPROGRESS",
    "INTR",
    "INVAL",
    "IO",
    "ISCONN",
    "ISDIR",
    "LOOP",
    "MFILE",
    "MLINK",
    "MSGSIZE",
    "MULTIHOP",
    "NAMETOOLONG",
    "NETDOWN",
    "NETRESET",
    "NETUNREACH",
    "NFILE",
    "NOBUFS",
    "NODEV",
    "NOENT",
    "NOEXEC",
    "NOLCK",
    "NOLINK",
    "NOMEM",
    "NOMSG",
    "NOPROTOOPT",
    "NOSPC",
    "NOSYS",
    "NOTCONN",
    "NOTDIR",
    "NOTEMPTY",
    "NOTRECOVERABLE",
    "NOTSOCK",
    "NOTSUP",
    "NOTTY",
    "NXIO",
    "OVERFLOW",
    "OWNERDEAD",
    "PERM",
    "PIPE",
    "PROTO",
    "PROTONOSUPPORT",
    "PROTOTYPE",
    "RANGE",
    "ROFS",
    "SPIPE",
    "SRCH",
    "STALE",
    "TIMEDOUT",
    "TXTBSY",
    "XDEV",
    "NOTCAPABLE",
]
WASI_ERRNO: dict[str, int] = {name: number for number, name in enumerate(_NAMES, start=1)}

SUCCESS = 0
AGAIN = WASI_ERRNO["AGAIN"]
BADF = WASI_ERRNO["BADF"]
EXIST = WASI_ERRNO["EXIST"]
FAULT = WASI_ERRNO["FAULT"]
INVAL = WASI_ERRNO["INVAL"]
IO = WASI_ERRNO["IO"]
ISDIR = WASI_ERRNO["ISDIR"]
LOOP = WASI_ERRNO["LOOP"]
NAMETOOLONG = WASI_ERRNO["NAMETOOLONG"]
NOENT = WASI_ERRNO["NOENT"]
NOSYS = WASI_ERRNO["NOSYS"]
NOTDIR = WASI_ERRNO["NOTDIR"]
NOTEMPTY = WASI_ERRNO["NOTEMPTY"]
NOTSOCK = WASI_ERRNO["NOTSOCK"]
NOTSUP = WASI_ERRNO["NOTSUP"]
SPIPE = WASI_ERRNO["SPIPE"]
NOTCAPABLE = WASI_ERRNO["NOTCAPABLE"]

_FROM_HOST: dict[int, int] = {
    getattr(host_errno, f"E{name}"): number
    for name, number in WASI_ERRNO.items()
    if hasattr(host_errno, f"E{name}")
}
_FROM_HOST[host_errno.EOPNOTSUPP] = NOTSUP  # the same number as ENOTSUP on Linux
_FROM_HOST[host_errno.EWOULDBLOCK] = AGAIN


class WasiError(Exception):
    """A WASI call fails with `errno` (returned to the guest, never raised into wasm)."""

    def __init__(self, errno: int) -> None:
        super().__init__(errno)
        self.errno = errno


def from_os_error(exc: OSError) -> int:
    """The WASI errno for a host OSError (EIO when the host errno has no WASI twin)."""
    return _FROM_HOST.get(exc.errno or 0, IO)
