"""Registry: States, Partners, Chairmanships, institutions, field operations and conflicts."""
