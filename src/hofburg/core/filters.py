"""The filters of list pages: apply what is understood, report the rest, the same on every page.

A list page binds its filter form to the query string and asks `applied(form)` for the values to
filter by: every value that validates. A value that does not (a year of "abc", a status that does
not exist) is left out rather than failing the page or silently emptying every filter, and
`core/includes/filter_problems.html` says which, with what was typed and why, in one alert
beside the form. The bad fields are marked `aria-invalid` and point at that alert. A form's
check across fields (a range that runs backwards) names the field it leaves out with
`add_error(field, ...)`; an error of the whole form leaves every filter out.
"""

from __future__ import annotations

from typing import Any

from django import forms

PROBLEMS_ID = "filter-problems"


def applied(form: forms.Form) -> dict[str, Any]:
    """The form's understood, non-empty values; {} for an unbound form."""
    if not form.is_bound:
        return {}
    form.is_valid()
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": PROBLEMS_ID})
    if form.non_field_errors():
        return {}
    return {name: value for name, value in form.cleaned_data.items()
            if value not in (None, "", [], ())}
