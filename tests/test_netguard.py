"""ttdn_graph.web.netguard: after deny_network() a process cannot reach the network, not even through Oxigraph's SERVICE.

Everything that applies the filter does so in a child interpreter; the pytest process itself is never filtered.
The only listeners are on 127.0.0.1 (port 0), in this process, and they count the connections they accept.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bench.listener import Listener

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.machine().lower() not in {"x86_64", "amd64", "aarch64", "arm64"},
    reason="seccomp filter is Linux x86_64/aarch64 only",
)


def run_child(code: str) -> dict:
    """Run `code` in a fresh interpreter (repo root on the path, no proxy settings); it prints one JSON line last."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], timeout=60, capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert proc.returncode == 0, f"child failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


QUERY_CHILD = """
import json, sys
import pyoxigraph
report = None
if {deny!r}:
    from ttdn_graph.web.netguard import deny_network
    report = repr(deny_network())
results = {{}}
for name, q in {queries!r}.items():
    try:
        rows = list(pyoxigraph.Store().query(q))
        results[name] = {{"ok": True, "rows": len(rows)}}
    except Exception as exc:
        results[name] = {{"ok": False, "error": type(exc).__name__ + ": " + str(exc)}}
print(json.dumps({{"report": report, "results": results}}))
"""


def service_query(port: int) -> str:
    return f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"


def test_control_service_reaches_the_listener_without_the_guard():
    """Proves the other tests can fail: this pyoxigraph build really calls out for SERVICE."""
    with Listener() as srv:
        out = run_child(QUERY_CHILD.format(deny=False, queries={"plain": service_query(srv.port)}))
        n = len(srv.close())
    assert out["report"] is None
    assert n >= 1, out
    assert srv.hits[0].startswith(b"POST /sparql"), srv.hits


def test_service_cannot_connect_after_deny_network():
    with Listener() as srv:
        out = run_child(QUERY_CHILD.format(deny=True, queries={"plain": service_query(srv.port)}))
        n = len(srv.close())
    assert n == 0
    assert "seccomp=True" in out["report"]
    res = out["results"]["plain"]
    assert res["ok"] is False, res
    assert "Operation not permitted" in res["error"] or "PermissionError" in res["error"], res


SHAPES = {
    "silent": "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{p}/sparql> {{ ?s ?p ?o }} }}",
    "optional": "SELECT * WHERE {{ BIND(1 AS ?x) OPTIONAL {{ SERVICE <http://127.0.0.1:{p}/sparql> {{ ?s ?p ?o }} }} }}",
    "subquery": "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <http://127.0.0.1:{p}/sparql> {{ ?s ?p ?o }} }} }} }}",
    "https": "SELECT * WHERE {{ SERVICE <https://127.0.0.1:{p}/sparql> {{ ?s ?p ?o }} }}",
    "prefixed": "PREFIX ex: <http://127.0.0.1:{p}/> SELECT * WHERE {{ SERVICE ex:s {{ ?s ?p ?o }} }}",
}


@pytest.mark.parametrize("deny", [False, True], ids=["control", "denied"])
def test_service_shapes(deny):
    """Each shape gets its own listener: without the guard each one is reached, with it none is."""
    listeners = {name: Listener() for name in SHAPES}
    try:
        queries = {name: shape.format(p=listeners[name].port) for name, shape in SHAPES.items()}
        out = run_child(QUERY_CHILD.format(deny=deny, queries=queries))
    finally:
        counts = {name: len(srv.close()) for name, srv in listeners.items()}
    if deny:
        assert counts == dict.fromkeys(SHAPES, 0), (counts, out)
        for name in ("optional", "subquery", "https", "prefixed"):
            assert out["results"][name]["ok"] is False, (name, out)
    else:
        assert all(n >= 1 for n in counts.values()), (counts, out)


def test_sockets_refused_but_unix_and_files_work():
    out = run_child(
        f"""
        import ctypes, errno, json, platform, socket
        from ttdn_graph.web.netguard import deny_network
        r = deny_network()
        res = {{"seccomp": r.seccomp, "tsync": r.tsync, "netns": r.netns, "detail": r.detail}}
        for fam in ("AF_INET", "AF_INET6"):
            try:
                socket.socket(getattr(socket, fam), socket.SOCK_STREAM).close()
                res[fam] = "opened"
            except PermissionError as e:
                res[fam] = "PermissionError"
            except OSError as e:
                res[fam] = "OSError %s" % e.errno
        try:
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
            res["udp"] = "opened"
        except PermissionError:
            res["udp"] = "PermissionError"
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        a.sendall(b"ping")
        res["pair"] = b.recv(4).decode()
        res["file"] = len(open({str(ROOT / "pyproject.toml")!r}, "rb").read()) > 0
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        def raw(nr, *args):
            rc = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
            return rc, ctypes.get_errno()
        res["io_uring_setup"] = raw(425, 1, 0)
        if platform.machine().lower() in ("x86_64", "amd64"):
            res["x32_socket"] = raw(0x40000000 + 41, socket.AF_INET, socket.SOCK_STREAM, 0)
        print(json.dumps(res))
        """
    )
    assert out["seccomp"] is True and out["tsync"] is True, out
    assert out["AF_INET"] == out["AF_INET6"] == out["udp"] == "PermissionError", out
    assert out["pair"] == "ping" and out["file"] is True
    assert out["io_uring_setup"] == [-1, 1], out  # EPERM from the filter, not EFAULT from the kernel
    if "x32_socket" in out:
        assert out["x32_socket"] == [-1, 1], out


def test_threads_started_before_the_guard_are_covered():
    """TSYNC: a thread already running when deny_network() is called cannot open an inet socket either."""
    with Listener() as srv:
        out = run_child(
            f"""
            import json, socket, threading
            from ttdn_graph.web.netguard import deny_network
            go, result = threading.Event(), {{}}
            def worker():
                go.wait(20)
                try:
                    socket.create_connection(("127.0.0.1", {srv.port}), timeout=5).close()
                    result["r"] = "connected"
                except PermissionError:
                    result["r"] = "PermissionError"
                except OSError as e:
                    result["r"] = "OSError %s" % e.errno
            t = threading.Thread(target=worker)
            t.start()
            r = deny_network()
            go.set()
            t.join(20)
            print(json.dumps({{"r": result.get("r"), "tsync": r.tsync, "detail": r.detail}}))
            """
        )
        n = len(srv.close())
    assert out["r"] == "PermissionError", out
    assert out["tsync"] is True, out
    assert n == 0


def test_unsupported_machine_is_refused(monkeypatch):
    """Only the platform check runs here (in-process): nothing is installed when the machine is not supported."""
    from ttdn_graph.web import netguard

    monkeypatch.setattr(netguard.platform, "machine", lambda: "riscv64")
    with pytest.raises(netguard.NetGuardError, match="unsupported machine"):
        netguard._arch()


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv to drop to nobody")
def test_without_privileges_netns_is_skipped_but_seccomp_holds():
    """As an unprivileged user unshare(CLONE_NEWNET) fails with EPERM: recorded, not raised; seccomp still applies."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = str(ROOT)
    code = "from ttdn_graph.web.netguard import deny_network; r = deny_network(); print(r.seccomp, r.netns, r.detail)"
    proc = subprocess.run(
        ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", sys.executable, "-c", code],
        timeout=60,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("True False"), proc.stdout
    assert "EPERM" in proc.stdout
