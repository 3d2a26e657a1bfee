"""The document library desk: OSCE documents by symbol, a file per language version, full-text
search, and adopted decisions in the ledger."""
