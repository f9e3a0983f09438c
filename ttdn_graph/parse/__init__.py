"""Plan text → extraction record: normalise → header → citations → outline/fields → agencies/time.

Every stage works on plain strings and the dataclasses of ttdn_graph.record; none knows about RDF.
"""
