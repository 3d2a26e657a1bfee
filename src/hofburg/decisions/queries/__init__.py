"""The decisions desk's reads, one module per topic; every read of a classified record goes
through `core.access` first, so a hidden record is a missing one."""
