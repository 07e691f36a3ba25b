"""WASI preview1 `poll_oneoff`: clock and fd subscriptions, interruptible by the run's end."""

from __future__ import annotations

import contextlib
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
SUBSCRIPTION_SIZE = 48
_SLICE = 0.05
_POLL_MASKS = {EVENT_FD_READ: select.POLLIN, EVENT_FD_WRITE: select.POLLOUT}
_POLL_ALWAYS = select.POLLERR | select.POLLHUP | select.POLLNVAL  # reported to every kind


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
    waiting: list[tuple[int, _Subscription]] = []  # (host fd, subscription)
    with contextlib.ExitStack() as held:  # keep every polled fd open until the poll returns
        for sub in subs:
            try:
                entry = held.enter_context(ctx.fds.acquire(sub.fd))
            except WasiError as exc:
                events.append(_event(sub.userdata, exc.errno, sub.kind))
                continue
            if entry.host_fd < 0 or entry.filetype == REGULAR_FILE:
                events.append(_event(sub.userdata, 0, sub.kind))
            else:
                waiting.append((entry.host_fd, sub))
        if events or not waiting:
            return events
        poller = select.poll()
        masks: dict[int, int] = {}
        for host_fd, sub in waiting:
            masks[host_fd] = masks.get(host_fd, 0) | _POLL_MASKS[sub.kind]
        for host_fd, mask in masks.items():
            poller.register(host_fd, mask)
        ready = dict(poller.poll(wait * 1000))
    return [
        _event(sub.userdata, 0, sub.kind)
        for host_fd, sub in waiting
        if ready.get(host_fd, 0) & (_POLL_MASKS[sub.kind] | _POLL_ALWAYS)
    ]
