"""Workloads at realistic scale, run on demand with `make bench`; never timed inside tests."""
