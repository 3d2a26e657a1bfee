"""Pure rules of the document library: standard library only, never Django."""
