"""Core services: the only write path for core records. Each function owns its transaction."""
