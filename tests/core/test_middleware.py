"""The site's content security policy and messages middleware answer as django-csp's and
Django's do, with less work per request."""

from __future__ import annotations

import pytest
from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings

from hofburg.core.middleware import ContentSecurityPolicy, LazyMessages


def _policy(header: str) -> set[str]:
    """The directives of a policy header, whatever their order."""
    return {part.strip() for part in header.split(";")}


@pytest.mark.django_db
def test_every_answer_carries_the_sites_policy() -> None:
    expected = _policy(build_policy())
    assert "script-src 'self'" in expected
    for path in ("/", "/api/v1/states", "/api/v1/no-such-thing", "/healthz"):
        response = Client().get(path)
        assert _policy(response["Content-Security-Policy"]) == expected, path
        assert "Content-Security-Policy-Report-Only" not in response


def test_the_headers_are_django_csps_with_a_views_own_policy_and_a_nonce_too() -> None:
    @csp_update({"img-src": ["https://tiles.example"]})
    def own_policy(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    def uses_nonce(request: HttpRequest) -> HttpResponse:
        str(request.csp_nonce)  # type: ignore[attr-defined]
        return HttpResponse()

    def plain(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    nonce_policy = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]}}
    for view, settings in ((plain, {}), (own_policy, {}),
                           (uses_nonce, {"CONTENT_SECURITY_POLICY": nonce_policy})):
        with override_settings(**settings):
            answers = []
            for middleware in (ContentSecurityPolicy(view), CSPMiddleware(view)):
                request = RequestFactory().get("/")
                answers.append(middleware(request))
                if view is uses_nonce:
                    nonce = request._csp_nonce  # type: ignore[attr-defined]
                    assert f"'nonce-{nonce}'" in answers[-1]["Content-Security-Policy"]
            ours, theirs = (_policy(a["Content-Security-Policy"]) for a in answers)
            if view is own_policy:
                assert "img-src 'self' https://tiles.example" in ours
            if view is uses_nonce:  # a nonce of its own for each request
                ours, theirs = ({p for p in h if "nonce" not in p} for h in (ours, theirs))
            assert ours == theirs, view.__name__


def test_a_changed_setting_changes_the_header() -> None:
    middleware = ContentSecurityPolicy(lambda request: HttpResponse())
    directives = {"DIRECTIVES": {"default-src": [SELF], "img-src": [SELF, "data:"]},
                  "EXCLUDE_URL_PREFIXES": ["/plain/"]}
    with override_settings(CONTENT_SECURITY_POLICY=directives,
                           CONTENT_SECURITY_POLICY_REPORT_ONLY={"DIRECTIVES": {
                               "default-src": [SELF]}}):
        request = RequestFactory().get("/")
        middleware.process_request(request)
        response = middleware.process_response(request, HttpResponse())
        assert "img-src 'self' data:" in response["Content-Security-Policy"]
        assert response["Content-Security-Policy-Report-Only"] == "default-src 'self'"
        request = RequestFactory().get("/plain/page")
        middleware.process_request(request)
        response = middleware.process_response(request, HttpResponse())
        assert "Content-Security-Policy" not in response
    request = RequestFactory().get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, HttpResponse())
    assert "data:" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_messages_are_stored_and_shown_when_used_and_cost_nothing_otherwise() -> None:
    def adds(request: HttpRequest) -> HttpResponse:
        messages.info(request, "Saved.")
        return HttpResponse()

    def untouched(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    def shown(request: HttpRequest) -> HttpResponse:
        return HttpResponse(" ".join(str(m) for m in messages.get_messages(request)))

    factory = RequestFactory()
    request = factory.get("/")
    request.session = {}  # type: ignore[assignment]
    request.COOKIES = {}
    response = LazyMessages(adds)(request)
    cookie = response.cookies.get("messages")
    assert cookie is not None and cookie.value  # stored for the next page

    request = factory.get("/")
    request.COOKIES = {"messages": cookie.value}
    request.session = {}  # type: ignore[assignment]
    assert LazyMessages(shown)(request).content == b"Saved."

    request = factory.get("/")
    request.COOKIES = {}
    response = LazyMessages(untouched)(request)
    assert "messages" not in response.cookies
    assert request._messages._wrapped is not None  # type: ignore[attr-defined]
