"""What the result views (static/js/resultviews.js: chart, timeline, map) need from the server, all local.

    GET /map/units.json   every province-level unit of the gazetteer with its graph IRI, name, validity and the
                          seat it is drawn at (data/gazetteer/seats.csv)

`client_config(request)` is the JSON the pages embed for the script: where the outline and the units are, and how an
IRI becomes this site's page (the same rule as pages.page_url, so result links open the local page). `labels()` reads
a label for each IRI of a result through the request's reader (the query service), for the named query pages.
"""

from __future__ import annotations

import csv
from functools import cache
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from ttdn_graph import gazetteer
from ttdn_graph.graph.namespaces import TTDN, VOCAB
from ttdn_graph.ontology import ONTOLOGY_IRI
from ttdn_graph.paths import data_dir
from ttdn_graph.web.params import GuardedRoute, check_request

router = APIRouter(tags=["views"], route_class=GuardedRoute, dependencies=[Depends(check_request)])

MAX_LABELLED = 500  # IRIs labelled per result page (one VALUES query)


@cache
def seats() -> dict[str, dict[str, Any]]:
    """Province-level unit id → {name, seat, lat, lon, source} from data/gazetteer/seats.csv."""
    with open(data_dir() / "gazetteer" / "seats.csv", encoding="utf-8", newline="") as f:
        return {r["id"]: {"name": r["name"], "seat": r["seat"], "lat": float(r["lat"]), "lon": float(r["lon"]),
                          "source": r["source"]} for r in csv.DictReader(f)}


def unit_iri(base: str, unit_id: str) -> str:
    """A province-level unit's IRI, as ttdn_graph.resolve.iris mints it."""
    return f"{base}unit/{unit_id}"


def units(base: str) -> dict[str, dict[str, Any]]:
    """IRI → what the map draws: every province-level unit (63 before 1 July 2025, Huế, the 34 after)."""
    s = seats()
    out = {}
    for u in gazetteer.provinces():
        seat = s.get(u.id)
        if seat is None:
            continue
        out[unit_iri(base, u.id)] = {
            "id": u.id, "name": u.name, "seat": seat["seat"], "lat": seat["lat"], "lon": seat["lon"],
            "validFrom": u.valid_from.isoformat() if u.valid_from else None,
            "validUntil": u.valid_until.isoformat() if u.valid_until else None,
        }
    return out


@router.get("/map/units.json", include_in_schema=False)
def units_json(request: Request) -> JSONResponse:
    return JSONResponse({"units": units(request.app.state.base)}, headers={"Cache-Control": "max-age=3600"})


def client_config(request: Request) -> dict[str, Any]:
    root = request.scope.get("root_path", "") or ""
    return {"root": root, "base": request.app.state.base, "ontology": ONTOLOGY_IRI, "ttdn": TTDN, "vocab": VOCAB,
            "units": f"{root}/map/units.json", "outline": f"{root}/static/vendor/map/vietnam.geojson"}


def labels(reader, iris: list[str]) -> dict[str, str]:
    """IRI → its preferred label (skos:prefLabel, else rdfs:label) for at most MAX_LABELLED IRIs of a result."""
    picked = list(dict.fromkeys(iris))[:MAX_LABELLED]
    if not picked:
        return {}
    values = " ".join(str(ox.NamedNode(i)) for i in picked)
    q = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
         f"SELECT ?s (SAMPLE(COALESCE(?p, ?r)) AS ?l) WHERE {{ VALUES ?s {{ {values} }} "
         "OPTIONAL { ?s skos:prefLabel ?p } OPTIONAL { ?s rdfs:label ?r } } GROUP BY ?s")
    return {r["s"]: r["l"] for r in reader.query_values(q) if r.get("l")}


__all__ = ["MAX_LABELLED", "client_config", "labels", "router", "seats", "unit_iri", "units"]
