"""Demo (exercise) data of this desk, loaded by `hofburg demo`."""


def register() -> None:
    """Register this desk's demo loader with core.demo (called from AppConfig.ready)."""
