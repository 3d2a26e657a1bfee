"""Hofburg: an open information system for cooperative security in the OSCE area."""

__version__ = "0.1.0"
