"""The decisions desk's reads, one module per topic: every classified record is narrowed by
`core.access` first, so a hidden record is a missing one."""
