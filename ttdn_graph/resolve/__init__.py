"""The resolve stage: extraction Record (strings as printed) → ResolvedRecord (references, IRIs), between parse and
graph. Identity rules live here — agencies (agencies.py), units and the gazetteer (units.py, gazetteer.py), symbols
(symbols.py), instruments and the store look-up (instruments.py), organisations (organisations.py), task text
(tasks.py), IRI shapes (iris.py); graph.build maps a ResolvedRecord to quads without reading text."""

from ttdn_graph.resolve.agencies import AgencyRef
from ttdn_graph.resolve.gazetteer import GazetteerView
from ttdn_graph.resolve.instruments import Candidate, Resolver
from ttdn_graph.resolve.iris import Iris, concept, source_graph
from ttdn_graph.resolve.model import (
    Discrepancy,
    OrgChange,
    OrgNode,
    ResolvedAgency,
    ResolvedCitation,
    ResolvedDuty,
    ResolvedInstrument,
    ResolvedInterval,
    ResolvedPlan,
    ResolvedRecord,
    ResolvedResponsibility,
    ResolvedTask,
    ResolvedUnit,
    ResolvedWarning,
    SourceMeta,
)
from ttdn_graph.resolve.record import resolve
from ttdn_graph.resolve.tasks import task_themes

__all__ = [
    "AgencyRef", "Candidate", "Discrepancy", "GazetteerView", "Iris", "OrgChange", "OrgNode", "ResolvedAgency",
    "ResolvedCitation", "ResolvedDuty", "ResolvedInstrument", "ResolvedInterval", "ResolvedPlan", "ResolvedRecord",
    "ResolvedResponsibility", "ResolvedTask", "ResolvedUnit", "ResolvedWarning", "Resolver", "SourceMeta", "concept",
    "resolve", "source_graph", "task_themes",
]
