"""Packaging: the wheel carries what the package reads (named queries, ontology, vocabularies, gazetteers, templates,
static files), and a non-editable install works from outside the checkout, web app and query workers included."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from setuptools import find_packages

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "data" / "plans").glob("*.txt"))[1]  # Kon Tum 215/KH-UBND
RESOURCES = {"vocab": "data/vocab", "lexicon": "data/lexicon", "gazetteer": "data/gazetteer", "ontology": "ontology", "queries": "queries"}


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_package_is_listed_and_the_resources_map_the_top_level_folders():
    cfg = _config()
    code = sorted(find_packages(str(ROOT), include=["ttdn_graph*"]))
    listed = cfg["packages"]
    assert sorted(p for p in listed if not p.startswith("ttdn_graph.resources.")) == code
    assert "api" not in {p.split(".")[0] for p in find_packages(str(ROOT))}  # the web app lives in ttdn_graph.web
    assert cfg["package-dir"] == {f"ttdn_graph.resources.{k}": v for k, v in RESOURCES.items()}
    assert {f"ttdn_graph.resources.{k}" for k in RESOURCES} <= set(listed)
    assert not (ROOT / "ttdn_graph" / "resources").exists()  # copies live only in built wheels


def _copy_source(dest: Path) -> None:
    """What a build reads, without the seed plans, caches or anything else of the checkout."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for f in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / f, dest / f)
    for d in ("ttdn_graph", "ontology", "queries", "data/vocab", "data/lexicon", "data/gazetteer"):
        shutil.copytree(ROOT / d, dest / d, ignore=ignore)


def _run(args: list, cwd: Path, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, (args, proc.stdout[-2000:], proc.stderr[-3000:])
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """The wheel built from a copy of the sources, installed (not editable) into a fresh venv whose only other
    packages are this venv's dependencies (a .pth line: the editable install of the checkout is not seen)."""
    tmp = tmp_path_factory.mktemp("packaging")
    src, dist, venv, outside = tmp / "src", tmp / "dist", tmp / "venv", tmp / "elsewhere"
    for d in (src, dist, outside):
        d.mkdir()
    _copy_source(src)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TTDN_", "PYTHON")) and k not in ("VIRTUAL_ENV",)}
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-w", str(dist), "-q"],
                           cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
    if build.returncode != 0 and "satisfies the requirement setuptools" in build.stderr:
        pytest.skip(f"the build backend cannot be installed (no package index): {build.stderr[-300:]}")
    assert build.returncode == 0, build.stderr[-3000:]
    wheel = next(dist.glob("ttdn_graph-*.whl"))
    _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp, env)
    python = venv / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp, env)
                .stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel], tmp, env)
    return {"wheel": wheel, "python": python, "venv": venv, "site": site, "cwd": outside, "env": env}


@pytest.mark.slow
def test_the_wheel_carries_the_resources_but_not_the_seed_plans(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for key, folder in RESOURCES.items():
        shipped = {n.rsplit("/", 1)[-1] for n in names if n.startswith(f"ttdn_graph/resources/{key}/")}
        want = {p.name for p in (ROOT / folder).iterdir()
                if p.suffix in (".csv", ".json", ".ttl", ".rq", ".md") and p.is_file()}
        assert want and want <= shipped, (key, want - shipped)
    assert not any(n.endswith(".txt") and "plans" in n for n in names)
    assert {"ttdn_graph/web/templates/ontology.html", "ttdn_graph/web/static/css/site.css",
            "ttdn_graph/web/static/vendor/yasgui/yasgui.min.js", "ttdn_graph/schema/record.schema.json",
            "ttdn_graph/views/templates/network.html", "ttdn_graph/web/worker.py"} <= names
    assert not any(n.startswith("api/") for n in names)


CHECK = """
import json, sys
import ttdn_graph, ttdn_graph.paths as paths
from ttdn_graph.queries import load_queries
from ttdn_graph.ontology import ontology_triples
from ttdn_graph.lexicon import instrument_types
from ttdn_graph.themes import assign_themes
print(json.dumps({
    "file": ttdn_graph.__file__, "in_checkout": paths.in_checkout(), "data": str(paths.data_dir()),
    "queries": sorted(load_queries()), "ontology": len(ontology_triples()), "types": len(instrument_types()),
    "themes": sorted(assign_themes("Tuyên truyền về chủ quyền biển, đảo Việt Nam")),
    "modules": sorted(m for m in sys.modules if m == "api" or m.startswith("api.")),
}))
"""


@pytest.mark.slow
def test_the_installed_package_finds_its_queries_ontology_and_vocabularies(installed):
    out = json.loads(_run([installed["python"], "-c", CHECK], installed["cwd"], installed["env"]).stdout)
    assert Path(out["file"]).is_relative_to(installed["site"]) and not out["in_checkout"]
    assert Path(out["data"]).is_relative_to(installed["site"])
    assert out["queries"] == sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    from ttdn_graph.lexicon import instrument_types
    from ttdn_graph.ontology import ontology_triples

    assert out["ontology"] == len(ontology_triples()) and out["types"] == len(instrument_types()) > 0
    assert "sea-islands" in out["themes"] and out["modules"] == []


@pytest.mark.slow
def test_the_installed_cli_extracts_loads_and_serves(installed):
    python, cwd, env = installed["python"], installed["cwd"], installed["env"]
    ttdn = installed["venv"] / "bin" / "ttdn"
    assert ttdn.read_text(encoding="utf-8").startswith(f"#!{python}")
    rec = json.loads(_run([ttdn, "extract", SEED, "--format", "json"], cwd, env).stdout)
    rec = rec[0] if isinstance(rec, list) else rec
    assert rec["plan"]["number"] == "215/KH-UBND" and len(rec["tasks"]) > 20
    load = _run([ttdn, "load", SEED, "--store", cwd / "store"], cwd, env)
    assert "loaded 1 document(s)" in load.stderr and "ontology: " in load.stderr and "written" in load.stderr
    # the web app from the installed copy: pages (templates, static files) and a query through a worker process
    # started as `python -m ttdn_graph.web.worker` from the installed copy
    app = f"""
import json
from fastapi.testclient import TestClient
from ttdn_graph.web.app import create_app
app = create_app(store_path={str(cwd / "store")!r}, workers=1)
with TestClient(app) as c:
    out = {{p: c.get(p).status_code for p in ("/", "/ontology", "/static/css/site.css", "/vocab/theme/sea-islands")}}
    r = c.get("/queries/most-cited", params={{"format": "json"}})
    out["most-cited"] = [r.status_code, len(r.json().get("rows", r.json().get("results", {{}}).get("bindings", [])))]
    r = c.get("/sparql", params={{"query": "ASK {{ ?s a <https://w3id.org/ttdn/ontology#Task> }}"}},
              headers={{"Accept": "application/sparql-results+json"}})
    out["sparql"] = [r.status_code, r.json().get("boolean")]
print(json.dumps(out))
"""
    out = json.loads(_run([python, "-c", app], cwd, env).stdout.strip().splitlines()[-1])
    assert out["/"] == out["/ontology"] == out["/static/css/site.css"] == out["/vocab/theme/sea-islands"] == 200
    assert out["most-cited"][0] == 200 and out["most-cited"][1] > 0
    assert out["sparql"] == [200, True]
