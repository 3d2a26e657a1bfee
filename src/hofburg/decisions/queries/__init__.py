"""Reads of the decisions desk, every one narrowed by `core.access` first."""
