"""Registry engine: pure rules over reference data (no Django, no database, no settings)."""
