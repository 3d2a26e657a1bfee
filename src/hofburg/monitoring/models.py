"""Models of this desk (see services.py for the only write path)."""
