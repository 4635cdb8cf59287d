"""Benchmarks: each prints p50/p99 and a ratio against a baseline measured in the same run."""
