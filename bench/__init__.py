"""Benchmarks against the tools people use today; each prints one JSON object as its last line."""
