"""A reproducible wheel file: sorted entries, fixed times and modes, RECORD with sha256."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import time
import zipfile
from collections.abc import Mapping
from pathlib import Path

from wasmpack_mt.atomic import write_output
from wasmpack_mt.errors import UsageError

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip entry can hold; used unless SOURCE_DATE_EPOCH says otherwise."""
FILE_MODE = 0o644


def record_hash(data: bytes) -> str:
    """`sha256=<urlsafe base64, unpadded>`, the RECORD hash format."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def entry_time() -> tuple[int, int, int, int, int, int]:
    """The timestamp of every entry: SOURCE_DATE_EPOCH (UTC) if set, else 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    try:
        seconds = int(epoch)
    except ValueError:
        raise UsageError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds; fix or unset it"
        ) from None
    stamp = time.gmtime(max(seconds, 315532800))  # zip cannot hold times before 1980
    return (stamp.tm_year, stamp.tm_mon, stamp.tm_mday, stamp.tm_hour, stamp.tm_min, stamp.tm_sec)


def wheel_bytes(files: Mapping[str, bytes], dist_info: str) -> bytes:
    """The zip of `files` (archive paths) plus `<dist_info>/RECORD`, which comes last."""
    record_path = f"{dist_info}/RECORD"
    names = sorted(files, key=lambda name: (name.startswith(f"{dist_info}/"), name))
    record = "".join(f"{name},{record_hash(files[name])},{len(files[name])}\n" for name in names)
    record += f"{record_path},,\n"
    stamp = entry_time()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*((n, files[n]) for n in names), (record_path, record.encode())]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = (0o100000 | FILE_MODE) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def write_wheel(path: Path, files: Mapping[str, bytes], dist_info: str) -> Path:
    """Write the wheel atomically (temporary file + rename); return `path`."""
    data = wheel_bytes(files, dist_info)
    return write_output(path, data)
