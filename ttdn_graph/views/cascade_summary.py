"""The cascade down from an instrument as its summary: layers central → ministry → province → department/commune,
clustered by province, filterable by province and year.

Read from the load-time cascade summaries (store.cube: one cell per depth × province × year, with its items as
ttdn:cellItem and each item's ttdn:layer), never from the whole cascade: a national directive's cascade of
thousands of plans draws as one node per central or ministry instrument and, per province, one node for the
province's own plans and one for those of its departments, districts and communes. Chosen a province, its plans are
drawn one by one (up to MAX_ITEMS). Nodes get fixed positions (no physics): the root on top, the central and
ministry rows below it, then the provinces in a grid of clusters, each its province node over its local node — so
two hundred nodes stay legible.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from ttdn_graph.graph.namespaces import RDFS, SKOS, TTDN
from ttdn_graph.resolve.tiers import LAYERS
from ttdn_graph.views.iri import values_pairs
from ttdn_graph.views.labels import labels
from ttdn_graph.views.model import LegendItem, Link, ViewEdge, ViewGraph, ViewNode, shorten, tooltip
from ttdn_graph.views.palette import BASIS_COLOR, IMPLEMENTS_COLOR
from ttdn_graph.views.sorting import vi_key

MAX_ITEMS = 300  # a province's items drawn one by one
MAX_NATIONAL = 40  # central or ministry instruments drawn one by one per layer, before the rest become one node
COLUMNS = 11  # province clusters per row
FONT = 22  # labels stay legible with sixty-odd clusters fitted to the page
CLUSTER_X, CLUSTER_ROW, LAYER_GAP = 215, 175, 72  # a cluster's width, a row of clusters' height, province → local
LAYER_COLOR = {"central": "#c0392b", "ministry": "#7d3c98", "province": "#1e8449", "local": "#2874a6"}
LAYER_NAME = {code: (vi, en) for code, vi, en in LAYERS}
EDGE_KINDS = {f"{TTDN}legalBasis": "legalBasis", f"{TTDN}implements": "implements"}
DERIVES_COLOR = "#aab7b8"


@dataclass
class Cell:
    depth: int
    unit: str
    year: int | None
    plans: int
    instruments: int
    tasks: int
    earliest: int | None
    median: float | None


@dataclass
class Group:
    """What one province (or the country) holds in one layer, within the filters."""

    items: int = 0
    tasks: int = 0
    depths: set[int] = field(default_factory=set)


def _int(r: dict, k: str) -> int | None:
    return int(r[k].value) if r.get(k) is not None else None


def summary_cells(store: Any, root: str, year: int | None = None) -> list[Cell]:
    """The root's cascade cells (all years, or one)."""
    rows = store.query(f"""SELECT ?depth ?unit ?year ?plans ?others ?tasks ?earliest ?median WHERE {{
  ?cell <{TTDN}refInstrument> <{root}> ; <{TTDN}refDepth> ?depth ; <{TTDN}refUnit> ?unit ;
        <{TTDN}planCount> ?plans ; <{TTDN}taskCount> ?tasks .
  OPTIONAL {{ ?cell <{TTDN}refYear> ?year }}
  OPTIONAL {{ ?cell <{TTDN}instrumentCount> ?others }}
  OPTIONAL {{ ?cell <{TTDN}earliestLagDays> ?earliest }}
  OPTIONAL {{ ?cell <{TTDN}medianLagDays> ?median }}
}}""")
    cells = [Cell(_int(r, "depth") or 0, r["unit"].value, _int(r, "year"), _int(r, "plans") or 0,
                  _int(r, "others") or 0, _int(r, "tasks") or 0, _int(r, "earliest"),
                  float(r["median"].value) if r.get("median") is not None else None) for r in rows]
    return [c for c in cells if year is None or c.year == year]


def _items(store: Any, root: str, units: list[str] | None, year: int | None) -> list[dict[str, Any]]:
    """(item, unit, depth, year, layer, tasks) of the root's cells, for the units given (all when None)."""
    where = f"VALUES ?unit {{ {' '.join(f'<{u}>' for u in units)} }}" if units else ""
    rows = store.query(f"""SELECT ?item ?unit ?depth ?year ?layer ?tasks WHERE {{ {where}
  ?cell <{TTDN}refInstrument> <{root}> ; <{TTDN}refUnit> ?unit ; <{TTDN}refDepth> ?depth ; <{TTDN}cellItem> ?item .
  OPTIONAL {{ ?cell <{TTDN}refYear> ?year }}
  OPTIONAL {{ ?item <{TTDN}layer> ?layer }}
  OPTIONAL {{ ?item <{TTDN}taskCount> ?tasks }}
}}""")
    out = [{"item": r["item"].value, "unit": r["unit"].value, "depth": _int(r, "depth") or 0, "year": _int(r, "year"),
            "layer": r["layer"].value if r.get("layer") is not None else "local", "tasks": _int(r, "tasks") or 0}
           for r in rows]
    return [x for x in out if year is None or x["year"] == year]


def unit_names(store: Any, units: list[str]) -> dict[str, str]:
    """Units' names from their one skos:prefLabel (rdfs:label is repeated in every document naming the unit)."""
    if not units:
        return {}
    rows = store.query(f"SELECT ?u ?l WHERE {{ VALUES ?u {{ {' '.join(f'<{u}>' for u in units)} }} "
                       f"?u <{SKOS}prefLabel> ?l }}")
    out = {r["u"].value: r["l"].value for r in rows}
    return {u: out.get(u) or u.rsplit("/", 1)[-1] for u in units}


def item_names(store: Any, iris: list[str], chunk: int = 400) -> dict[str, str]:
    """Instruments' labels, one look-up each (views.labels.labels for what has none)."""
    todo = sorted(set(iris))
    out: dict[str, str] = {}
    for k in range(0, len(todo), chunk):
        rows = store.query(f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {' '.join(f'<{i}>' for i in todo[k:k + chunk])} }} "
                           f"?x <{RDFS}label> ?l }}")
        for r in sorted(rows, key=lambda r: (getattr(r["l"], "language", None) != "vi", r["l"].value)):
            out.setdefault(r["x"].value, r["l"].value)
    missing = [i for i in todo if i not in out]
    return {**out, **(labels(store, missing) if missing else {})}


def _lag_lines(cells: list[Cell]) -> list[str]:
    lines = []
    for c in sorted(cells, key=lambda c: (c.depth, c.year or 0)):
        lag = (f", trễ sớm nhất / earliest {c.earliest} d, trung vị / median {c.median:g} d"
               if c.earliest is not None and c.median is not None else "")
        lines.append(f"bậc / depth {c.depth}, {c.year or '?'}: {c.plans} KH, {c.instruments} VB khác, "
                     f"{c.tasks} NV{lag}")
    return lines


def _median(cells: list[Cell]) -> str:
    """The earliest lag of the cells and the median of their medians (a median of a union cannot be had from its
    parts: the tooltip lists each cell's own)."""
    early = [c.earliest for c in cells if c.earliest is not None]
    meds = [c.median for c in cells if c.median is not None]
    if not early:
        return ""
    return f"sớm nhất / earliest {min(early)} d, trung vị các ô / median of cells {statistics.median(meds):g} d"


def cascade_summary_graph(store: Any, root: str, link: Link, view_url: Any, *, province: str | None = None,
                          year: int | None = None) -> ViewGraph:
    """The summary view; `view_url(**params)` is the URL of this view with other filters (for the clusters)."""
    g = ViewGraph("Cascade summary (down): layers, clustered by province", hierarchical=False,
                  params={"iri": root, "direction": "down", "mode": "summary", "province": province, "year": year})
    g.layout = "preset"
    all_cells = summary_cells(store, root)
    g.facets = {"provinces": sorted({c.unit for c in all_cells}), "years": sorted({c.year for c in all_cells if c.year})}
    cells = [c for c in all_cells if (year is None or c.year == year) and (province is None or c.unit == province)]
    g.total_nodes = sum(c.plans + c.instruments for c in cells)
    if not all_cells:
        g.message = "Nothing below this instrument in the cascade summaries (load the store again to compute them)."
    country = next((u for u in g.facets["provinces"] if u.endswith("/unit/vn")), None)
    national = [u for u in (country,) if u]
    items = _items(store, root, sorted({c.unit for c in cells if c.unit in national or c.unit == province}), year) \
        if cells else []
    names = {**unit_names(store, g.facets["provinces"]), **item_names(store, [root, *(x["item"] for x in items)])}
    used: dict[str, int] = defaultdict(int)
    g.nodes.append(ViewNode(root, shorten(names.get(root, root), 40), tooltip(names.get(root, root), "gốc / root"),
                            "instrument", "#17202a", link(root), shape="box", size=24, font_color="#ffffff",
                            font_size=FONT + 4))
    pos = {root: (0.0, 0.0)}

    # central and ministry instruments, one by one (the rest of a long layer as one node)
    y = 130.0
    shown: set[str] = {root}
    most = MAX_ITEMS if province and province in national else MAX_NATIONAL
    for layer in ("central", "ministry"):
        row = sorted((x for x in items if x["layer"] == layer and x["unit"] in national),
                     key=lambda x: (x["depth"], names.get(x["item"], x["item"])))
        if not row:
            continue
        vi, en = LAYER_NAME[layer]
        for k, x in enumerate(row[:most]):
            col, line = k % 10, k // 10
            pos[x["item"]] = ((col - min(len(row), 10) / 2 + 0.5) * 230, y + line * 70)
            g.nodes.append(ViewNode(x["item"], shorten(names.get(x["item"], x["item"]), 24),
                                    tooltip(names.get(x["item"], x["item"]), f"{vi} / {en}",
                                            f"bậc / depth {x['depth']}", f"năm / year {x['year'] or '?'}"),
                                    "instrument", LAYER_COLOR[layer], link(x["item"]), group=layer, size=12,
                                    font_size=FONT - 4))
            shown.add(x["item"])
            used[layer] += 1
        if len(row) > most:
            rest = row[most:]
            node = f"{root}#more-{layer}"
            pos[node] = (0.0, y + (min(len(row), most) // 10 + 1) * 70)
            g.nodes.append(ViewNode(node, f"+{len(rest)} {en.lower()}", tooltip(f"{len(rest)} more: {vi} / {en}"),
                                    "group", LAYER_COLOR[layer], view_url(province=country, year=year), shape="box",
                                    group=layer))
            g.edges.append(ViewEdge(node, root, "derives", DERIVES_COLOR, dashes=True, width=1.0))
            y += 70
        y += (min(len(row), most) - 1) // 10 * 70 + 120

    locals_ = [c for c in cells if c.unit not in national]
    if province is None or province in national:
        _clusters(g, store, root, locals_, names, pos, y, view_url, year, used)
    else:
        _province_items(g, [x for x in items if x["unit"] == province], cells, names, pos, y, link, used)
        shown |= {x["item"] for x in items if x["unit"] == province}
    # the direct legal-basis / implements links among the instruments drawn one by one
    ids = sorted(shown)
    if len(ids) > 1:
        for k in range(0, len(ids), 300):
            pairs = values_pairs("?s", "?p", ids[k:k + 300], tuple(EDGE_KINDS))
            for r in store.query(f"SELECT ?s ?p ?o WHERE {{ {pairs} ?s ?p ?o }}"):
                if r["o"].value in shown:
                    basis = EDGE_KINDS[r["p"].value] == "legalBasis"
                    g.edges.append(ViewEdge(r["s"].value, r["o"].value, EDGE_KINDS[r["p"].value],
                                            BASIS_COLOR if basis else IMPLEMENTS_COLOR, dashes=not basis,
                                            width=1.4 if basis else 2.0))
    linked = {e.source for e in g.edges}
    for n in g.nodes:  # whatever has no drawn link derives from the root through what is not drawn
        if n.id != root and n.id not in linked:
            g.edges.append(ViewEdge(n.id, root, "derives", DERIVES_COLOR, dashes=True, width=0.8,
                                    title=tooltip("dẫn xuất từ / derives from")))
    for n in g.nodes:
        n.x, n.y = pos.get(n.id, (0.0, 0.0))
    g.legend = [LegendItem(f"{vi} / {en}", LAYER_COLOR[code], count=used[code]) for code, vi, en in LAYERS
                if used.get(code)]
    g.legend += [LegendItem("căn cứ / legal basis", BASIS_COLOR, kind="edge"),
                 LegendItem("triển khai / implements", IMPLEMENTS_COLOR, kind="edge", dashes=True),
                 LegendItem("dẫn xuất qua văn bản khác / derives through others", DERIVES_COLOR, kind="edge",
                            dashes=True)]
    return g


def cluster_position(k: int, n: int, top: float) -> tuple[float, float]:
    """Where the k-th of n province clusters sits: COLUMNS to a row, centred under the root, rows apart."""
    return (k % COLUMNS - (min(n, COLUMNS) - 1) / 2) * CLUSTER_X, top + 30 + (k // COLUMNS) * CLUSTER_ROW


def _clusters(g: ViewGraph, store: Any, root: str, cells: list[Cell], names: dict[str, str],
              pos: dict[str, tuple[float, float]], top: float, view_url: Any, year: int | None,
              used: dict[str, int]) -> None:
    """Per province, a node for its own plans and one for its departments', districts' and communes'."""
    units = sorted({c.unit for c in cells}, key=lambda u: (vi_key(names.get(u, u)), u))
    groups: dict[tuple[str, str], Group] = defaultdict(Group)
    for x in _items(store, root, None, year):
        if x["unit"] in units:
            grp = groups[(x["unit"], "province" if x["layer"] == "province" else "local")]
            grp.items += 1
            grp.tasks += x["tasks"]
            grp.depths.add(x["depth"])
    by_unit: dict[str, list[Cell]] = defaultdict(list)
    for c in cells:
        by_unit[c.unit].append(c)
    for k, u in enumerate(units):
        cx, cy = cluster_position(k, len(units), top)
        name = names.get(u, u)
        url = view_url(province=u, year=year)
        lines = _lag_lines(by_unit[u])
        above = None
        for j, layer in enumerate(("province", "local")):
            grp = groups.get((u, layer))
            if grp is None:
                continue
            vi, en = LAYER_NAME[layer]
            node = f"{u}#{layer}"
            label = (f"{shorten(name, 16)}\n{grp.items} VB · {grp.tasks} NV" if layer == "province"
                     else f"{'' if above else shorten(name, 16) + chr(10)}{grp.items} VB · {grp.tasks} NV")
            tip = tooltip(f"{name} — {vi} / {en}", f"{grp.items} văn bản / documents, {grp.tasks} nhiệm vụ / tasks",
                          f"bậc / depth {', '.join(map(str, sorted(grp.depths)))}", _median(by_unit[u]), *lines,
                          "bấm để mở / click to open")
            g.nodes.append(ViewNode(node, label, tip, "group", LAYER_COLOR[layer], url, shape="box",
                                    group=f"province:{u}", font_color="#ffffff", font_size=FONT))
            pos[node] = (cx, cy + j * LAYER_GAP)
            used[layer] += 1
            if above:
                g.edges.append(ViewEdge(node, above, "derives", DERIVES_COLOR, width=1.0))
            above = node


def _province_items(g: ViewGraph, items: list[dict[str, Any]], cells: list[Cell], names: dict[str, str],
                    pos: dict[str, tuple[float, float]], top: float, link: Link, used: dict[str, int]) -> None:
    """One province's items, one by one: its own plans in a row, its departments', districts' and communes' below."""
    items = sorted(items, key=lambda x: (x["layer"] != "province", x["depth"], x["year"] or 0,
                                         names.get(x["item"], x["item"])))
    if len(items) > MAX_ITEMS:
        g.truncated = True
        g.message = f"Showing {MAX_ITEMS} of {len(items)} documents of this province; choose a year to see fewer."
        items = items[:MAX_ITEMS]
    rows = {"province": [x for x in items if x["layer"] == "province"],
            "local": [x for x in items if x["layer"] != "province"]}
    y = top
    for layer in ("province", "local"):
        vi, en = LAYER_NAME[layer]
        for k, x in enumerate(rows[layer]):
            pos[x["item"]] = ((k % 8 - (min(len(rows[layer]), 8) - 1) / 2) * 260, y + (k // 8) * 110)
            name = names.get(x["item"], x["item"])
            g.nodes.append(ViewNode(x["item"], shorten(name, 60),
                                    tooltip(name, f"{vi} / {en}", f"bậc / depth {x['depth']}",
                                            f"năm / year {x['year'] or '?'}", f"{x['tasks']} nhiệm vụ / tasks"),
                                    "plan", LAYER_COLOR[layer], link(x["item"]), shape="box", group=layer,
                                    font_color="#ffffff", font_size=FONT - 4, width=230))
            used[layer] += 1
        if rows[layer]:
            y += ((len(rows[layer]) - 1) // 8 + 1) * 110 + 60
    if not items and not g.message:
        g.message = "Nothing of this province in the cascade" + (" that year." if cells == [] else ".")


def view_link(base: str, root: str, **params: Any) -> str:
    """The summary view's URL for `root` with the filters given (None or empty: left out)."""
    q = {"instrument": root, **{k: v for k, v in params.items() if v not in (None, "")}}
    return f"{base}?{urlencode(q)}"
