"""WASI preview1 `poll_oneoff`: clock and fd subscriptions, interruptible by the run's end."""

from __future__ import annotations

import select
import struct
import time
from dataclasses import dataclass

from wasmpack_mt.host.wasi import errno
from wasmpack_mt.host.wasi.context import WasiContext
from wasmpack_mt.host.wasi.errno import WasiError
from wasmpack_mt.host.wasi.fdtable import REGULAR_FILE, StoppedError

EVENT_CLOCK, EVENT_FD_READ, EVENT_FD_WRITE = 0, 1, 2
SUBCLOCK_ABSTIME = 1
CLOCK_REALTIME = 0
SUBSCRIPTION_SIZE, EVENT_SIZE = 48, 32
_SLICE = 0.05


@dataclass
class _Subscription:
    userdata: int
    kind: int
    fd: int = 0
    deadline: float = 0.0  # time.monotonic() seconds, for clocks


def _parse(raw: bytes) -> _Subscription:
    userdata, kind = struct.unpack_from("<QB", raw, 0)
    if kind == EVENT_CLOCK:
        clock_id, timeout, _precision, flags = struct.unpack_from("<I4xQQH", raw, 16)
        now_ns = time.time_ns() if clock_id == CLOCK_REALTIME else time.monotonic_ns()
        delay_ns = timeout - now_ns if flags & SUBCLOCK_ABSTIME else timeout
        return _Subscription(userdata, kind, deadline=time.monotonic() + max(delay_ns, 0) / 1e9)
    if kind in (EVENT_FD_READ, EVENT_FD_WRITE):
        (fd,) = struct.unpack_from("<I", raw, 16)
        return _Subscription(userdata, kind, fd=fd)
    raise WasiError(errno.INVAL)


def poll_oneoff(ctx: WasiContext, in_ptr: int, out_ptr: int, count: int, nevents_ptr: int) -> int:
    """Wait for the first subscriptions to fire, write their events, and count them."""
    if count == 0:
        return errno.INVAL
    raw = ctx.memory.read(in_ptr, SUBSCRIPTION_SIZE * count)
    subs = [_parse(raw[i : i + SUBSCRIPTION_SIZE]) for i in range(0, len(raw), SUBSCRIPTION_SIZE)]
    clocks = [sub for sub in subs if sub.kind == EVENT_CLOCK]
    fd_subs = [sub for sub in subs if sub.kind != EVENT_CLOCK]
    deadline = min((sub.deadline for sub in clocks), default=None)
    events: list[bytes] = []
    while True:
        events = _fd_events(ctx, fd_subs, 0.0)
        if events:
            break
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            events = [_event(sub.userdata, 0, EVENT_CLOCK) for sub in clocks if sub.deadline <= now]
            break
        wait = _SLICE if deadline is None else min(_SLICE, deadline - now)
        if fd_subs:
            events = _fd_events(ctx, fd_subs, wait)
            if events:
                break
        elif ctx.stopping.wait(wait):
            raise StoppedError
        if ctx.stopping.is_set():
            raise StoppedError
    ctx.memory.write(out_ptr, b"".join(events))
    ctx.memory.set_u32(nevents_ptr, len(events))
    return errno.SUCCESS


def _event(userdata: int, error: int, kind: int, nbytes: int = 0) -> bytes:
    return struct.pack("<QHB5xQH6x", userdata, error, kind, nbytes, 0)


def _fd_events(ctx: WasiContext, subs: list[_Subscription], wait: float) -> list[bytes]:
    """Events for the fd subscriptions ready within `wait` seconds."""
    events: list[bytes] = []
    readers: dict[int, _Subscription] = {}
    writers: dict[int, _Subscription] = {}
    for sub in subs:
        try:
            entry = ctx.fds.get(sub.fd)
        except WasiError as exc:
            events.append(_event(sub.userdata, exc.errno, sub.kind))
            continue
        if entry.host_fd < 0 or entry.filetype == REGULAR_FILE:
            events.append(_event(sub.userdata, 0, sub.kind))
        else:
            (readers if sub.kind == EVENT_FD_READ else writers)[entry.host_fd] = sub
    if events or not (readers or writers):
        return events
    ready_read, ready_write, _ = select.select(list(readers), list(writers), [], wait)
    events += [_event(readers[fd].userdata, 0, EVENT_FD_READ) for fd in ready_read]
    events += [_event(writers[fd].userdata, 0, EVENT_FD_WRITE) for fd in ready_write]
    return events
