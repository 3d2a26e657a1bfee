"""Bad filter values are reported the same way on every list page (hofburg.core.filters):
the page still answers, the values understood still apply, and one alert beside the form
names each value left out with what was typed."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms

from hofburg.core import filters
from tests.conftest import Cast

# (address, what was typed, the field it was typed into, who asks)
BAD_FILTERS = [
    ("/documents/?year=nineteen", "nineteen", "year", None),
    ("/monitoring/observations/?day=yesterday", "yesterday", "day", "carol"),
    ("/monitoring/events/?status=lost", "lost", "status", "carol"),
    ("/monitoring/trends/?start=2026-13-01", "2026-13-01", "start", None),
    ("/monitoring/reports/?day=someday", "someday", "day", None),
    ("/csbm/quotas/?year=abc", "abc", "year", None),
    ("/csbm/scorecard/?year=abc", "abc", "year", None),
    ("/csbm/calendar/?year=abc", "abc", "year", None),
    ("/csbm/calendar/?state=ZZ", "ZZ", "state", None),
    ("/csbm/exchanges/?year=1066", "1066", "year", "carol"),
    ("/decisions/?status=lost", "lost", "status", None),
    ("/decisions/meetings/?body=XYZ", "XYZ", "body", None),
    ("/decisions/statements/?since=someday", "someday", "since", None),
    ("/decisions/rounds/?format=none-such", "none-such", "format", None),
    ("/decisions/invocations/?mechanism=consensus", "consensus", "mechanism", None),
    ("/decisions/invocations/?state=ZZ", "ZZ", "state", None),
    ("/projects/?status=lost", "lost", "status", None),
    ("/projects/map/?theme=lost", "lost", "theme", None),
    ("/projects/personnel/?field_operation=nowhere", "nowhere", "field_operation", None),
    ("/registry/chairmanships/?year=abc", "abc", "year", None),
    ("/audit/?type=none.such", "none.such", "type", "dora"),
]


@pytest.mark.parametrize(("url", "typed", "field", "who"), BAD_FILTERS,
                         ids=[url.split("?")[0] + "?" + field for url, _t, field, _w in
                              BAD_FILTERS])
def test_a_bad_filter_value_is_reported_beside_the_form_and_the_page_still_answers(
        cast: Cast, url: str, typed: str, field: str, who: str | None) -> None:
    response = cast.client(getattr(cast, who) if who else None).get(url)

    assert response.status_code == 200, (url, response.status_code)
    page = response.content.decode()
    assert page.count('id="filter-problems"') == 1, url
    alert = page.split('id="filter-problems"', 1)[1].split("</div>", 1)[0]
    assert 'role="alert"' in alert and "Some filters were not understood and are left out" in alert
    assert f"“{typed}”" in alert, alert
    field_tag = page.split(f'name="{field}"', 1)[0].rsplit("<", 1)[1] + \
        page.split(f'name="{field}"', 1)[1].split(">", 1)[0]
    assert 'aria-invalid="true"' in field_tag and 'aria-describedby="filter-problems"' in field_tag


def test_a_good_filter_value_is_not_reported(cast: Cast) -> None:
    page = cast.client(None).get("/csbm/quotas/?year=2026").content.decode()
    assert 'id="filter-problems"' not in page and "aria-invalid" not in page


class _Filters(forms.Form):
    year = forms.IntegerField(required=False, min_value=1990)
    body = forms.ChoiceField(required=False, choices=[("", "any"), ("PC", "PC")])
    start = forms.DateField(required=False)
    end = forms.DateField(required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "backwards")
        if data.get("body") == "PC" and data.get("year") == 1991:
            raise forms.ValidationError("no PC in 1991")
        return data


def test_the_values_understood_still_apply_and_empty_ones_are_left_out() -> None:
    form = _Filters({"year": "abc", "body": "PC", "start": "2026-02-01", "end": "2026-01-01"})
    assert filters.applied(form) == {"body": "PC", "start": date(2026, 2, 1)}
    assert form.fields["year"].widget.attrs["aria-invalid"] == "true"
    assert "aria-invalid" not in form.fields["body"].widget.attrs


def test_an_error_of_the_whole_form_applies_no_filter_and_an_unbound_form_none() -> None:
    assert filters.applied(_Filters({"year": "1991", "body": "PC"})) == {}
    assert filters.applied(_Filters()) == {}
