"""What every request leaves for the operator: a request id (in the `X-Request-ID` answer
header, the logs and the audit entries it writes), a count and a latency in /metrics, and with
`HOFBURG_LOG_FORMAT=json` one log line. Also the two operator endpoints, /healthz and /metrics.
"""

from __future__ import annotations

import hmac
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hofburg.core import metrics
from hofburg.core.health import health
from hofburg.core.logging import reset_request_id, set_request_id

logger = logging.getLogger("hofburg.request")
# An id a proxy or client sends is kept when it is short and plain; otherwise one is drawn.
_GIVEN_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class RequestObservability:
    """Middleware, first in the list: request id, metrics and the request's log line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _GIVEN_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            route = _route(request)
            metrics.observe_request(route, request.method or "", response.status_code, seconds)
            response["X-Request-ID"] = request_id
            if logger.isEnabledFor(logging.INFO):  # the line's fields only when it is written
                logger.info("%s %s %s", request.method, request.path, response.status_code,
                            extra={"request_id": request_id, "method": request.method,
                                   "path": request.path, "route": route,
                                   "status": response.status_code,
                                   "duration_ms": round(seconds * 1000, 1)})
            return response
        finally:
            reset_request_id(token)


def _route(request: HttpRequest) -> str:
    """The URL pattern that answered (bounded, unlike paths), or `unmatched`."""
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None and match.route else "unmatched"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 and {"status": "ok", ...} when healthy, 503 and "fail" otherwise; no sign-in."""
    healthy, checks = health()
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks},
                        status=200 if healthy else 503)


@never_cache
@require_GET
def metrics_page(request: HttpRequest) -> HttpResponse:
    """The Prometheus page, for a caller with the metrics token or from an allowed address.

    Anyone else gets 404, as if there were no such page.
    """
    if not metrics_allowed(request):
        raise Http404
    return HttpResponse(metrics.render(metrics.collect()),
                        content_type="text/plain; version=0.0.4; charset=utf-8")


def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if given and hmac.compare_digest(given.encode(), token.encode()):
            return True
    return request.META.get("REMOTE_ADDR", "") in settings.METRICS_ADDRESSES
