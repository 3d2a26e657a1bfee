"""Desks add panels to a State's profile; a panel with nothing to show is left out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client

from hofburg.core import panels
from tests.registry.factories import Osce, create_osce


@pytest.fixture
def osce(db: None) -> Osce:
    return create_osce()


@pytest.fixture
def test_panels(settings: Any, tmp_path: Any) -> Iterator[None]:
    """Two panels for the profile slot, with templates of their own; removed afterwards."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "panel.html").write_text(
        '<section class="card" id="exercises-panel">Exercises notified by {{ name }}: '
        "{{ count }}</section>")
    (tmp_path / "tests" / "empty.html").write_text('<section id="empty-panel">empty</section>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    def exercises(request: HttpRequest, state: Any) -> dict[str, Any] | None:
        return {"name": state.name, "count": 3}

    def nothing(request: HttpRequest, state: Any) -> dict[str, Any] | None:
        return None

    before = dict(panels._panels.get("state_profile", {}))
    panels.register("state_profile", "test-exercises", "tests/panel.html", exercises, order=20)
    panels.register("state_profile", "test-nothing", "tests/empty.html", nothing, order=10)
    yield
    panels._panels["state_profile"] = before


def test_a_registered_panel_appears_on_the_profile(osce: Osce, test_panels: None) -> None:
    html = Client().get("/registry/states/AT/").content.decode()

    assert '<section class="card" id="exercises-panel">Exercises notified by Austria: 3</section>' \
        in html


def test_a_panel_with_nothing_to_show_is_left_out(osce: Osce, test_panels: None) -> None:
    html = Client().get("/registry/states/AT/").content.decode()

    assert "empty-panel" not in html


def test_panels_come_after_the_registry_facts(osce: Osce, test_panels: None) -> None:
    html = Client().get("/registry/states/AT/").content.decode()

    assert html.index("Sources") < html.index("exercises-panel")


def test_the_registry_puts_its_panel_on_the_home_page(db: None) -> None:
    assert "registry" in [panel.name for panel in panels.registered("home")]


def test_a_panel_with_exercise_data_brings_the_banner_to_the_profile(
    osce: Osce, test_panels: None
) -> None:
    html = Client().get("/registry/states/AT/").content.decode()
    assert "EXERCISE DATA" not in html

    panels.register("state_profile", "test-drill", "tests/panel.html",
                    lambda request, state: {"name": "drill", "count": 1,
                                            "shows_exercise_data": True})
    html = Client().get("/registry/states/AT/").content.decode()
    assert "Exercises notified by drill: 1" in html
    assert "EXERCISE DATA" in html
