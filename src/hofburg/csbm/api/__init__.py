"""Vienna Document endpoints, mounted at /api/v1/csbm by hofburg/api.py.

The rule endpoints (rulesets, classify, quota, constraints, what-if over given figures) read
no stored record. Every stored record goes through core.access (via queries.py): what a
caller may not see is a 404, never a 403. Writes need an API token and go through
services.py; their refusals (core.errors) rise to core.api's handler, which answers
problem+json with the offending `field`.
"""

from ninja import Router

from hofburg.csbm.api import activities, exchanges, rules, scorecard, visits

router = Router()
for topic in (rules, activities, exchanges, visits, scorecard):
    router.add_router("", topic.router)
