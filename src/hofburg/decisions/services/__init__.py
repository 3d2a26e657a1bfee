"""The decisions desk's write path, one module per topic; every function owns its transaction
and refuses with a `hofburg.core.errors` exception, having changed nothing."""
