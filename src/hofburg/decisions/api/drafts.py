"""API: drafts of the decisions desk."""

from __future__ import annotations

from ninja import Router

router = Router()
