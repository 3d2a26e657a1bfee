"""The API's routes grouped by desk (core.api.routed_by_desk) resolve and reverse exactly as
django-ninja's flat list does."""

from __future__ import annotations

import re
import uuid

from django.urls import URLResolver, get_resolver, path, reverse
from django.urls.resolvers import RegexPattern

from hofburg.api import api

SAMPLES = {"int": "7", "str": "abc", "slug": "a-b", "path": "a/b", "uuid": str(uuid.UUID(int=7))}


def _sample(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)


def test_every_route_resolves_to_the_same_view_as_the_flat_list() -> None:
    patterns = api.urls[0]
    flat = URLResolver(RegexPattern(r"^/"), [path("api/v1/", api.urls)])
    served = get_resolver()
    assert len(patterns) > 100
    for pattern in patterns:
        url = "/api/v1/" + _sample(str(pattern.pattern))
        expected, found = flat.resolve(url), served.resolve(url)
        # Each reading of `api.urls` makes new view functions: compare what names the route.
        assert (found.url_name, found.namespace, found.kwargs, found.route) == (
            expected.url_name, expected.namespace, expected.kwargs, expected.route), url


def test_names_reverse_to_the_same_paths() -> None:
    for pattern in api.urls[0]:
        if not pattern.name or "<" in str(pattern.pattern):
            continue
        assert reverse(f"api:{pattern.name}") == "/api/v1/" + str(pattern.pattern)


def test_a_desk_s_routes_sit_behind_one_pattern() -> None:
    api_resolver = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    heads = [str(p.pattern) for p in api_resolver.url_patterns]
    assert "monitoring/" in heads and "cases/" in heads
    assert not any(head.startswith("monitoring/") and head != "monitoring/" for head in heads)
    assert len(heads) < 30
