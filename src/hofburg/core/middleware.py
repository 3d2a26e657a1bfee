"""Two of the site's middleware, made cheap for the requests that do not need their work.

Every request passes every middleware, and a cached API answer costs the server less than a
millisecond: each middleware's own work counts (benchmarks/README.md, "Serving"). What they
answer is unchanged.
"""

from __future__ import annotations

import functools
import http.client
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.functional import SimpleLazyObject, empty

# What a view may set on its response to change the policy (django-csp's decorators).
_PER_VIEW = ("_csp_config", "_csp_update", "_csp_replace",
             "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
_DEBUG_PAGES = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)
# header, its setting, whether it is the report-only one, the attribute that exempts a response
_HEADERS = ((HEADER, "CONTENT_SECURITY_POLICY", False, "_csp_exempt"),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True, "_csp_exempt_ro"))


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's middleware with the site's policy (decision 0019) written once per process.

    A response whose view changed the policy, or a request that used a nonce, is handled by
    django-csp as before; every other response gets the same header text, which django-csp
    built anew for each.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase
                         ) -> HttpResponseBase:
        if (getattr(request, "_csp_nonce", None) is not None
                or any(getattr(response, name, None) is not None for name in _PER_VIEW)):
            return super().process_response(request, response)
        if response.status_code in _DEBUG_PAGES and settings.DEBUG:
            return response
        for header, setting, report_only, exempt in _HEADERS:
            policy, excluded = _site_policy(setting, report_only)
            if (policy and header not in response and not getattr(response, exempt, False)
                    and not request.path_info.startswith(excluded)):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(  # type: ignore[attr-defined]
            self._csp_nonce_post_response)
        return response


@functools.cache
def _site_policy(setting: str, report_only: bool) -> tuple[str, tuple[str, ...]]:
    """The policy's header text (empty for none) and the path prefixes it is not sent for."""
    configured = getattr(settings, setting, None) or {}
    return (build_policy(report_only=report_only),
            tuple(configured.get("EXCLUDE_URL_PREFIXES", None) or ()))


@receiver(setting_changed)
def _forget_site_policy(*, setting: str, **_kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policy.cache_clear()


class LazyMessages(MessageMiddleware):
    """Django's messages, with their storage made when a view or template first uses it.

    Django's middleware builds the storage (and its cookie's signer) for every request; most
    requests, every API call among them, never read or add a message. A storage never used
    has nothing to write to the answer, so skipping its update changes nothing.
    """

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(  # type: ignore[attr-defined]
            lambda: default_storage(request))

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and vars(messages)["_wrapped"] is empty:
            return response
        return super().process_response(request, response)
