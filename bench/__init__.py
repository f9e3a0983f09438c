"""Benchmarks: they report figures, they do not fail CI."""
