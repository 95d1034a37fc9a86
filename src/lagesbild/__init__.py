"""Lägesbild: the shared situational picture for Swedish municipal safety forums (EST)."""

__version__ = "0.1.0"
