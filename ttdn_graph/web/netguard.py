"""Take the network away from a query worker, at the OS level.

Oxigraph evaluates `SERVICE <http://…>` by making the HTTP request itself, from inside the worker. The token checks
in ttdn_graph.web.safety are only a guess at how the engine will parse a query; this module is the guarantee. A worker calls
`deny_network()` at start-up, before it opens the store, and from then on no thread of the process can open a
network socket, whatever the query text says:

* seccomp-BPF (mandatory, applied to every thread via SECCOMP_FILTER_FLAG_TSYNC): `socket`/`socketpair` are refused
  with EPERM for every address family except AF_UNIX; `io_uring_*` is refused (io_uring can create and connect
  sockets without the socket syscall); a foreign syscall ABI (x32, 32-bit compat) kills the process. Failure to
  install it raises NetGuardError, so callers fail closed.
* an empty network namespace via `unshare(CLONE_NEWNET)` (best effort, needs root/CAP_SYS_ADMIN): even a socket
  that slipped through would see no interface but a down loopback. It covers the calling thread and what it starts.

AF_UNIX stays available (the worker talks to its parent over an inherited socketpair), as do files. Sockets that
were already open before the call are not affected: spawn workers with close_fds.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import socket
import struct
import sys
from dataclasses import dataclass

__all__ = ["GuardReport", "NetGuardError", "deny_network"]


class NetGuardError(RuntimeError):
    """The network could not be denied (the seccomp layer is missing or did not hold)."""


@dataclass(frozen=True)
class GuardReport:
    seccomp: bool  # the seccomp filter is installed (always True when deny_network returns)
    tsync: bool  # it was installed on every thread of the process (seccomp(2) with TSYNC), not just the caller
    netns: bool  # the calling thread now lives in a new, empty network namespace
    detail: str


# -- constants (linux/filter.h, linux/seccomp.h, linux/audit.h, linux/prctl.h, linux/sched.h) --------------------
_BPF_LD_W_ABS = 0x00 | 0x00 | 0x20
_BPF_JEQ_K = 0x05 | 0x10 | 0x00
_BPF_JGE_K = 0x05 | 0x30 | 0x00
_BPF_RET_K = 0x06 | 0x00

_RET_KILL_PROCESS = 0x80000000
_RET_ERRNO = 0x00050000
_RET_ALLOW = 0x7FFF0000

_OFF_NR, _OFF_ARCH, _OFF_ARG0 = 0, 4, 16  # struct seccomp_data; args[0] low 32 bits (little endian)

_PR_SET_SECCOMP = 22
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_MODE_FILTER = 2
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_CLONE_NEWNET = 0x40000000
_X32_SYSCALL_BIT = 0x40000000


@dataclass(frozen=True)
class _Arch:
    audit_arch: int
    sys_seccomp: int
    socket: int
    socketpair: int
    io_uring: tuple[int, ...]  # setup, enter, register
    x32_bit: bool


_ARCHES = {
    "x86_64": _Arch(0xC000003E, 317, 41, 53, (425, 426, 427), x32_bit=True),
    "aarch64": _Arch(0xC00000B7, 277, 198, 199, (425, 426, 427), x32_bit=False),
}
_MACHINE_ALIASES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _arch() -> _Arch:
    if not sys.platform.startswith("linux"):
        raise NetGuardError(f"seccomp needs Linux, not {sys.platform}")
    name = _MACHINE_ALIASES.get(platform.machine().lower())
    if name is None:
        raise NetGuardError(f"unsupported machine {platform.machine()!r} (x86_64 and aarch64 only)")
    if struct.calcsize("P") != 8:  # a 32-bit (or x32) interpreter on a 64-bit kernel: the arch check would kill it
        raise NetGuardError("unsupported ABI: 32-bit interpreter on a 64-bit machine")
    return _ARCHES[name]


def _program(arch: _Arch) -> list[tuple[int, int, int, int]]:
    """The BPF program as (code, jt, jf, k); jump targets are resolved from labels."""
    eperm = _RET_ERRNO | errno.EPERM
    # (label, code, k, jump-if-true label, jump-if-false label); None = fall through
    src: list[tuple[str | None, int, int, str | None, str | None]] = [
        (None, _BPF_LD_W_ABS, _OFF_ARCH, None, None),
        (None, _BPF_JEQ_K, arch.audit_arch, "arch_ok", None),
        (None, _BPF_RET_K, _RET_KILL_PROCESS, None, None),
        ("arch_ok", _BPF_LD_W_ABS, _OFF_NR, None, None),
    ]
    if arch.x32_bit:
        src.append((None, _BPF_JGE_K, _X32_SYSCALL_BIT, "deny", None))
    src += [
        (None, _BPF_JEQ_K, arch.socket, "domain", None),
        (None, _BPF_JEQ_K, arch.socketpair, "domain", None),
        *[(None, _BPF_JEQ_K, nr, "deny", None) for nr in arch.io_uring],
        (None, _BPF_RET_K, _RET_ALLOW, None, None),
        ("domain", _BPF_LD_W_ABS, _OFF_ARG0, None, None),
        (None, _BPF_JEQ_K, int(socket.AF_UNIX), "allow", None),
        ("deny", _BPF_RET_K, eperm, None, None),
        ("allow", _BPF_RET_K, _RET_ALLOW, None, None),
    ]
    where = {label: i for i, (label, *_rest) in enumerate(src) if label}
    out = []
    for i, (_label, code, k, jt, jf) in enumerate(src):
        rel_t = where[jt] - i - 1 if jt else 0
        rel_f = where[jf] - i - 1 if jf else 0
        if not (0 <= rel_t < 256 and 0 <= rel_f < 256):
            raise NetGuardError("BPF jump out of range")
        out.append((code, rel_t, rel_f, k))
    return out


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    libc.prctl.restype = ctypes.c_int
    libc.unshare.restype = ctypes.c_int
    libc.unshare.argtypes = [ctypes.c_int]
    return libc


def _thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return -1  # unknown: treat as "maybe more than one"


def _install_seccomp(libc: ctypes.CDLL, arch: _Arch) -> bool:
    """Install the filter; True when every thread got it (TSYNC), False when only the (sole) calling thread did."""
    prog = _program(arch)
    filters = (_SockFilter * len(prog))(*[_SockFilter(*ins) for ins in prog])
    fprog = _SockFprog(len(prog), filters)

    ul = ctypes.c_ulong
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, ul(1), ul(0), ul(0), ul(0)) != 0:
        e = ctypes.get_errno()
        raise NetGuardError(f"prctl(PR_SET_NO_NEW_PRIVS) failed: {os.strerror(e)}")

    rc = libc.syscall(
        ctypes.c_long(arch.sys_seccomp),
        ul(_SECCOMP_SET_MODE_FILTER),
        ul(_SECCOMP_FILTER_FLAG_TSYNC),
        ctypes.byref(fprog),
    )
    if rc == 0:
        return True
    if rc > 0:  # TSYNC names a thread that could not be synchronised; nothing was installed
        raise NetGuardError(f"seccomp TSYNC failed: thread {rc} cannot take the filter")
    e = ctypes.get_errno()
    if e not in (errno.ENOSYS, errno.EINVAL):
        raise NetGuardError(f"seccomp(SET_MODE_FILTER, TSYNC) failed: {os.strerror(e)}")
    # No seccomp(2) or no TSYNC: prctl filters only the calling thread, which is enough only if it is the only one.
    if _thread_count() != 1:
        raise NetGuardError(f"seccomp TSYNC unavailable ({os.strerror(e)}) and the process has other threads")
    if libc.prctl(_PR_SET_SECCOMP, ul(_SECCOMP_MODE_FILTER), ctypes.byref(fprog), ul(0), ul(0)) != 0:
        e = ctypes.get_errno()
        raise NetGuardError(f"prctl(PR_SET_SECCOMP) failed: {os.strerror(e)}")
    return False


def _enter_empty_netns(libc: ctypes.CDLL) -> tuple[bool, str]:
    if libc.unshare(_CLONE_NEWNET) == 0:
        others = _thread_count() - 1
        scope = "" if others == 0 else f" (calling thread only; {others} other thread(s) keep the old namespace)"
        return True, "new empty network namespace" + scope
    e = ctypes.get_errno()
    return False, f"unshare(CLONE_NEWNET) failed: {errno.errorcode.get(e, e)} {os.strerror(e)}"


def _self_test() -> None:
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            s = socket.socket(family, socket.SOCK_STREAM)
        except OSError as exc:
            if exc.errno in (errno.EPERM, errno.EACCES):
                continue
            raise NetGuardError(f"self-test: socket({family.name}) failed oddly: {exc!r}") from exc
        s.close()
        raise NetGuardError(f"self-test: socket({family.name}) still succeeds")
    try:
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    except OSError as exc:
        raise NetGuardError(f"self-test: AF_UNIX socketpair broke: {exc!r}") from exc
    a.close()
    b.close()


def deny_network() -> GuardReport:
    """Make it impossible for this process to open network sockets; raise NetGuardError if that cannot be ensured.

    Call it early (before opening the store); it cannot be undone. The seccomp filter covers all threads that exist
    and any started later; the network namespace is a best-effort second layer.
    """
    arch = _arch()
    libc = _libc()
    tsync = _install_seccomp(libc, arch)
    netns, ns_detail = _enter_empty_netns(libc)
    _self_test()
    how = "seccomp(2)+TSYNC, all threads" if tsync else "prctl, single thread"
    return GuardReport(seccomp=True, tsync=tsync, netns=netns, detail=f"seccomp: {how}; netns: {ns_detail}")
