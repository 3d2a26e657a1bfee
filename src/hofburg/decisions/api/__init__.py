"""The decisions desk's API, mounted at `/api/v1/decisions/`: one router per topic."""

from __future__ import annotations

from ninja import Router

from hofburg.decisions.api import drafts, invocations, meetings, rounds, statements

router = Router(tags=["decisions"])
router.add_router("", meetings.router)
router.add_router("", drafts.router)
router.add_router("", statements.router)
router.add_router("", rounds.router)
router.add_router("", invocations.router)
