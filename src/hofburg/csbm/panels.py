"""Panels this desk adds to shared pages (State profile, home)."""


def register() -> None:
    """Register this desk's panels with core.panels (called from AppConfig.ready)."""
