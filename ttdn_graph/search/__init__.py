"""Forgiving search: an SQLite FTS5 index built from the store after every load (build), the folding and symbol
cutting both sides share (terms), and ranked, paged, highlighted look-ups (query)."""
