"""The decisions desk's pages, one module per topic."""
