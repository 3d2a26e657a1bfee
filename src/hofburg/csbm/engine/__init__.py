"""CSBM engine: the Vienna Document's rules over plain data (no Django, no database, no settings).

Every number comes from a versioned ruleset file (see data/csbm/README.md), never from code.
"""
