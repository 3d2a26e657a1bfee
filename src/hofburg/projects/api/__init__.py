"""The projects desk's API, mounted at `/api/v1/projects/`: one router per topic."""

from __future__ import annotations

from ninja import Router

from hofburg.projects.api import (
    contributions,
    documents,
    files,
    iati,
    logframe,
    money,
    projects,
)

router = Router(tags=["projects"])
# Fixed paths (/iati, /donors, /unified-budget ...) before /{project_id}, which would take them.
router.add_router("", contributions.router)
router.add_router("", iati.router)
router.add_router("", files.router)
router.add_router("", money.router)
router.add_router("", logframe.router)
router.add_router("", documents.router)
router.add_router("", projects.router)
