"""Registry: participating States, Partners, Chairmanships, institutions, field operations, conflicts."""
