"""The WASI preview1 import table: the raw-argument adapter and the small calls.

The signatures live in `wasmpack_mt.wasm.wasi_abi`, which `wasmpack check` reads too.

Every function takes unsigned integer arguments and returns a WASI errno; a
`WasiError`, a guest pointer out of bounds (EFAULT) or a host `OSError` become
that errno. Nothing raises into the engine: a call that must end its thread
(`proc_exit`, a blocking call interrupted by the run's end) raises `ThreadExit`,
which `native.define_host_func` turns into a trap.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from operator import and_

from wasmpack_mt.host.wasi import errno
from wasmpack_mt.host.wasi.context import WasiContext
from wasmpack_mt.host.wasi.errno import WasiError
from wasmpack_mt.host.wasi.fd import FdCalls
from wasmpack_mt.host.wasi.fdtable import SOCKET_TYPES, StoppedError
from wasmpack_mt.host.wasi.paths import PathCalls
from wasmpack_mt.host.wasi.poll import poll_oneoff
from wasmpack_mt.host.wasi.seam import GuestFault, RunHandle, ThreadExit
from wasmpack_mt.wasm.wasi_abi import SIGNATURES

_MASKS = {"i": 0xFFFFFFFF, "I": 0xFFFFFFFFFFFFFFFF}
_CLOCKS = {
    0: (time.CLOCK_REALTIME, time.time_ns),
    1: (time.CLOCK_MONOTONIC, time.monotonic_ns),
    2: (time.CLOCK_PROCESS_CPUTIME_ID, time.process_time_ns),
    3: (time.CLOCK_THREAD_CPUTIME_ID, time.thread_time_ns),
}


WasiFunction = Callable[..., int]
"""A WASI function: integer arguments (as wasm passes them) in, a WASI errno out."""


class Preview1:
    """The WASI functions of one run, bound to its context and to the run (`RunHandle`)."""

    def __init__(self, ctx: WasiContext, run: RunHandle) -> None:
        self.ctx = ctx
        self.mem = ctx.memory
        self.run = run
        self._fd = FdCalls(ctx)
        self._path = PathCalls(ctx)

    def function(self, name: str) -> WasiFunction | None:
        """The WASI function `name`, or None if it is not WASI preview1.

        It reads its arguments as unsigned and returns an errno; the only thing
        it raises is `ThreadExit` (`proc_exit`, or a blocking call the run's end
        interrupted).
        """
        kinds = SIGNATURES.get(name)
        if kinds is None:
            return None
        target = getattr(self, name, None) or getattr(self._fd, name, None)
        call = target or getattr(self._path, name)
        masks = [_MASKS[kind] for kind in kinds]

        def function(*raw_args: int) -> int:
            try:
                result: int = call(*map(and_, raw_args, masks))
            except WasiError as exc:
                result = exc.errno
            except GuestFault:
                result = errno.FAULT
            except StoppedError:
                raise ThreadExit from None
            except OSError as exc:
                result = errno.from_os_error(exc)
            except (OverflowError, ValueError):  # an offset, size or name the host cannot take
                result = errno.INVAL
            return result

        return function

    # -- args and environment --
    def _strings_get(self, strings: list[bytes], pointers: int, buffer: int) -> int:
        for index, item in enumerate(strings):
            self.mem.set_u32(pointers + 4 * index, buffer)
            self.mem.write(buffer, item + b"\0")
            buffer += len(item) + 1
        return errno.SUCCESS

    def _sizes_get(self, strings: list[bytes], count_ptr: int, size_ptr: int) -> int:
        self.mem.set_u32(count_ptr, len(strings))
        self.mem.set_u32(size_ptr, sum(len(item) + 1 for item in strings))
        return errno.SUCCESS

    def args_get(self, argv: int, buffer: int) -> int:
        return self._strings_get(self.ctx.args, argv, buffer)

    def args_sizes_get(self, count_ptr: int, size_ptr: int) -> int:
        return self._sizes_get(self.ctx.args, count_ptr, size_ptr)

    def environ_get(self, environ: int, buffer: int) -> int:
        return self._strings_get(self.ctx.environ, environ, buffer)

    def environ_sizes_get(self, count_ptr: int, size_ptr: int) -> int:
        return self._sizes_get(self.ctx.environ, count_ptr, size_ptr)

    # -- clocks, randomness, scheduling --
    def clock_res_get(self, clock_id: int, resolution_ptr: int) -> int:
        if clock_id not in _CLOCKS:
            return errno.INVAL
        resolution = time.clock_getres(_CLOCKS[clock_id][0])
        self.mem.set_u64(resolution_ptr, max(1, int(resolution * 1e9)))
        return errno.SUCCESS

    def clock_time_get(self, clock_id: int, _precision: int, time_ptr: int) -> int:
        if clock_id not in _CLOCKS:
            return errno.INVAL
        self.mem.set_u64(time_ptr, _CLOCKS[clock_id][1]())
        return errno.SUCCESS

    def random_get(self, buffer: int, length: int) -> int:
        target = self.mem.view(buffer, length)  # bounds-checked before any allocation
        target[:] = os.urandom(length)
        return errno.SUCCESS

    def sched_yield(self) -> int:
        os.sched_yield()
        return errno.SUCCESS

    def poll_oneoff(self, in_ptr: int, out_ptr: int, count: int, nevents_ptr: int) -> int:
        return poll_oneoff(self.ctx, in_ptr, out_ptr, count, nevents_ptr)

    # -- process --
    def proc_exit(self, code: int) -> int:
        self.run.exit(code)
        raise ThreadExit

    def proc_raise(self, _signal: int) -> int:
        return errno.NOSYS

    # -- sockets: not supported; a bad fd is EBADF, and a file ENOTSOCK where POSIX says so --
    def sock_accept(self, fd: int, *_args: int) -> int:
        with self.ctx.fds.acquire(fd):
            return errno.NOTSUP

    def sock_shutdown(self, fd: int, *_args: int) -> int:
        with self.ctx.fds.acquire(fd) as entry:
            if entry.filetype not in SOCKET_TYPES:
                return errno.NOTSOCK
        return errno.NOTSUP

    sock_recv = sock_send = sock_shutdown
