"""ttdn-graph: a knowledge graph of Vietnam's external-information (TTĐN) plans."""

__version__ = "0.1.0"
