"""The field-monitoring API at /api/v1/monitoring, one router per topic; every route goes
through core.access.

Writes need an API token and call one service each. Map, trend and period endpoints read the
rollups: anonymous callers get the published share, entitled callers every counted event of
the visibility scopes they may see (decision 0018).
Observation and event details are restricted; a record the caller may not see is a 404.
"""

from ninja import Router

from hofburg.monitoring.api import aggregates, exports, patrol_reports, records

router = Router()
for topic in (records, aggregates, exports, patrol_reports):
    router.add_router("", topic.router)
