"""API endpoints of this desk, mounted under /api/v1/ by hofburg/api.py."""

from ninja import Router

router = Router()
