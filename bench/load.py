"""Load benchmark: plan files into a fresh embedded store, in a child process, for given sizes and `--jobs`.

The load runs in its own process so that its memory can be measured alone: the parent samples the resident set
of the whole process tree (the loader and its extraction workers) with psutil, and the child reports its own CPU
time and peak RSS (getrusage, itself and its reaped workers). CPU time is reported next to wall time because the
machine may be shared: wall time says what a user waits, CPU time what the work costs.

    python -m bench.load CORPUS_DIR STORE_DIR [--jobs 2]      # one load, figures as JSON
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# -- the corpus --------------------------------------------------------------------------------------------------
def make_corpus(n: int, out_dir: Path) -> dict:
    """`n` plan files in `out_dir` (reused when already there): bench.corpus.generate, the synthetic national
    corpus, when it is importable; else copies of the seed plans with distinct names and plan numbers."""
    out_dir.mkdir(parents=True, exist_ok=True)
    have = plan_files(out_dir)
    marker = out_dir / ".source"
    if len(have) >= n and marker.exists():
        return {"source": marker.read_text(encoding="utf-8").strip(), "files": n}
    for f in have:
        f.unlink()
    try:
        from bench.corpus import generate
    except ImportError:
        _seed_copies(n, out_dir)
        source = "seed copies (bench.corpus not available)"
    else:
        generate(n, out_dir)
        source = "bench.corpus.generate(seed=2019)"
    marker.write_text(source, encoding="utf-8")
    return {"source": source, "files": n}


def plan_files(folder: Path, n: int | None = None) -> list[Path]:
    """The first `n` plan files of a corpus folder, in name order (the generator's order)."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                   and p.suffix.lower() in (".txt", ".md", ".docx", ".pdf", ".html", ".json"))
    return files if n is None else files[:n]


def _seed_copies(n: int, out_dir: Path) -> None:
    seeds = sorted((ROOT / "data" / "plans").glob("*.txt"))
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in seeds]
    for i in range(n):
        stem, text = texts[i % len(texts)]
        text = re.sub(r"(Số:\s*)\d+(/KH-)", lambda m, i=i: f"{m.group(1)}{10000 + i}{m.group(2)}", text, count=1)
        (out_dir / f"{i:05d}_{stem}.txt").write_text(text, encoding="utf-8")


def corpus_megabytes(files: list[Path]) -> float:
    return round(sum(f.stat().st_size for f in files) / 1e6, 2)


# -- one load, measured ------------------------------------------------------------------------------------------
def dir_megabytes(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def _tree_rss(proc) -> int:
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run(files: list[Path], store_dir: Path, jobs: int, timeout: float = 3600.0) -> dict:
    """Load `files` into a new store at `store_dir` with `jobs` extraction workers; figures as a dict."""
    import psutil

    if store_dir.exists():
        shutil.rmtree(store_dir)
    list_file = store_dir.with_name(store_dir.name + ".list")  # not ".files": the originals folder beside a store
    list_file.write_text("\n".join(str(f) for f in files), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    err_file = store_dir.with_name(store_dir.name + ".stderr")
    t0 = time.perf_counter()
    with open(err_file, "w", encoding="utf-8") as err_out:  # a file, not a pipe: it never fills up and blocks
        proc = subprocess.Popen([sys.executable, "-m", "bench.load", "--child", str(list_file), str(store_dir),
                                 "--jobs", str(jobs)], stdout=subprocess.PIPE, stderr=err_out, cwd=ROOT,
                                env=env, text=True)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(ps))
        if time.perf_counter() - t0 > timeout:
            proc.kill()
            break
        time.sleep(0.1)
    out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    err = err_file.read_text(encoding="utf-8", errors="replace")
    list_file.unlink(missing_ok=True)
    err_file.unlink(missing_ok=True)
    if proc.returncode != 0:
        return {"error": f"load exited {proc.returncode}: {err.strip()[-800:]}", "jobs": jobs, "plans": len(files)}
    child = json.loads(out.strip().splitlines()[-1])
    plans = child["loaded"]
    return {
        "plans": len(files),
        "jobs": jobs,
        "loaded": plans,
        "failed": child["failed"],
        "triples_written": child["triples"],
        "store_quads": child["store_quads"],
        "wall_seconds": round(wall, 2),
        "load_seconds": child["seconds"],
        "cpu_seconds": child["cpu_seconds"],
        "inference_seconds": child["inference_seconds"],
        "description_seconds": child.get("description_seconds"),  # the VoID/DCAT description (store.description)
        "plans_per_s": round(plans / child["seconds"], 1) if child["seconds"] else None,
        "triples_per_s": round(child["triples"] / child["seconds"]) if child["seconds"] else None,
        "peak_rss_mb_tree": round(peak / 2**20, 1),
        "peak_rss_mb_loader": child["maxrss_mb_self"],
        "peak_rss_mb_worker": child["maxrss_mb_children"],
        "store_mb": dir_megabytes(store_dir),
    }


def _child(list_file: Path, store_dir: Path, jobs: int) -> int:
    from ttdn_graph.loader import load_paths
    from ttdn_graph.store import EmbeddedStore

    files = [Path(line) for line in list_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    store = EmbeddedStore(store_dir)
    summary = load_paths(files, store, jobs=jobs, progress=False)
    quads = store.count_triples()
    store.close()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "loaded": len(summary.loaded),
        "failed": len(summary.failed),
        "triples": summary.triples,
        "store_quads": quads,
        "seconds": round(summary.seconds, 2),
        "inference_seconds": round(summary.inference.seconds, 2) if summary.inference else None,
        "description_seconds": round(summary.description.seconds, 2) if summary.description else None,
        "cpu_seconds": round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 2),
        "maxrss_mb_self": round(me.ru_maxrss / 1024, 1),  # Linux: kB
        "maxrss_mb_children": round(kids.ru_maxrss / 1024, 1),
    }))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="folder of plan files (with --child: a file listing them)")
    ap.add_argument("store", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        return _child(a.corpus, a.store, a.jobs)
    print(json.dumps(run(plan_files(a.corpus), a.store, a.jobs), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
