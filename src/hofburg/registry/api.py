"""Registry endpoints: States, Partners, Chairmanships, field operations, conflicts."""

from ninja import Router

router = Router(tags=["registry"])
