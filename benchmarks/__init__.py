"""Benchmarks: speed and memory at scale, printed as figures against their targets."""
