"""Forms of the monitoring pages: the observation a monitor enters, a reason to reject or
correct, the filters of the lists, map and trends.

The observation form is the schema of the offline queue too: the page's script sends each
queued record to the same endpoint as JSON, and the endpoint validates it with this form, so the
browser and the server agree on one set of fields. Its checks across fields and the mission's
bounds are stated once in `observation_checks`, which this form applies and the page hands to
the device (decision 0074).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hofburg.core import bounds
from hofburg.core import filters as list_filters
from hofburg.monitoring import observation_checks
from hofburg.monitoring.engine.observations import MAX_DISTANCE_KM
from hofburg.monitoring.models import Category, Method, ObserverKind
from hofburg.monitoring.records import observation_bounds

COMPASS_16 = ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
              "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")

# The weapon classes a monitor can attribute: the withdrawal rules' classes first (so a sighting
# can be checked against its zone), then the SMM's other wording (domain reference, 1.2).
WEAPON_CLASSES = [
    ("", _("not attributed")),
    ("small_arms", _("small arms")),
    ("heavy_machine_gun", _("heavy machine gun")),
    ("mortar_up_to_120mm", _("mortar (up to 120 mm)")),
    ("artillery_below_100mm", _("artillery (below 100 mm)")),
    ("artillery_100mm_and_above", _("artillery (100 mm and more)")),
    ("tank", _("tank")),
    ("mlrs", _("multiple-launch rocket system")),
    ("undetermined", _("undetermined")),
]


class ObservationForm(forms.Form):
    """One observation as a monitor enters it; `client_id` makes a resubmission harmless."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    observed_at = forms.DateTimeField(
        label=_("When"), help_text=_("Local time on your device."),
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M",
                                   attrs={"type": "datetime-local", "step": 60,
                                          "min": f"{bounds.FIRST_DAY.isoformat()}T00:00",
                                          "max": f"{bounds.LAST_DAY.isoformat()}T23:59"}))
    observer_id = forms.CharField(
        label=_("Observer (patrol, camera or post)"), max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off"}))
    observer_kind = forms.ChoiceField(label=_("Observer kind"), choices=ObserverKind.choices)
    observer_lat = forms.FloatField(
        label=_("Your latitude"), min_value=-90, max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    observer_lon = forms.FloatField(
        label=_("Your longitude"), min_value=-180, max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    method = forms.ChoiceField(label=_("How"), choices=Method.choices,
                               widget=forms.RadioSelect, initial=Method.HEARD)
    # No kind is chosen for the monitor: each record's is chosen afresh (decision 0074).
    category = forms.ChoiceField(label=_("What"),
                                 choices=[("", _("— choose —")), *Category.choices])
    count = bounds.count_field(_("How many (at least)"), minimum=1, initial=1)
    sector = forms.ChoiceField(
        label=_("Direction (compass point)"), required=False,
        choices=[("", _("— or give a bearing —")), *((p, p) for p in COMPASS_16)])
    bearing_deg = forms.FloatField(
        label=_("Bearing (degrees)"), required=False, min_value=0, max_value=360,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    distance_km_min = forms.FloatField(
        label=_("Distance from (km)"), required=False, min_value=0, max_value=MAX_DISTANCE_KM,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    distance_km_max = forms.FloatField(
        label=_("Distance to (km)"), required=False, min_value=0, max_value=MAX_DISTANCE_KM,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    weapon_class = forms.ChoiceField(label=_("Weapon"), choices=WEAPON_CLASSES, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def clean_observed_at(self) -> Any:
        return bounds.clean_past_moment(self.cleaned_data.get("observed_at"))

    def clean(self) -> dict[str, Any]:
        """The rules across fields and the mission's bounds (`observation_checks`), each as
        the error of the field the monitor corrects: the device checks the same, and shows
        the message in the same place."""
        data = super().clean() or {}
        for field, message in observation_checks.broken_rules(data, failed=set(self.errors)):
            self.add_error(field, message)
        for field, message in observation_checks.mission_errors(data, observation_bounds()):
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def observation_data(self) -> dict[str, Any]:
        """The cleaned fields as the services take them (empty optional text as "")."""
        data = dict(self.cleaned_data)
        client_id = data.pop("client_id", None)
        data["client_id"] = str(client_id) if client_id else None
        data["sector"] = data.get("sector") or None
        data["weapon_class"] = data.get("weapon_class") or None
        return data


class ReasonForm(forms.Form):
    """Why an observation is rejected or an event corrected: kept in the history."""

    reason = forms.CharField(label=_("Reason"), max_length=1000,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))


class ObservationCorrectionForm(forms.Form):
    """A correction of what an observation says; the reason and the earlier version are kept."""

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    weapon_class = forms.ChoiceField(label=_("Weapon"), choices=WEAPON_CLASSES, required=False)
    count = bounds.count_field(_("Count (at least)"), minimum=1)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=1000)

    def changes(self) -> dict[str, Any]:
        """The corrected fields as `intake.workflow.correct_observation` takes them."""
        return {"category": self.cleaned_data["category"],
                "weapon_class": self.cleaned_data["weapon_class"] or None,
                "count": self.cleaned_data["count"]}


class ListFilterForm(forms.Form):
    """Filters of the observation and event lists (all optional); the view sets the statuses."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[])
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("all categories")), *Category.choices])
    day = bounds.day_field(_("Report date"), required=False)

    def __init__(self, data: Any, *, statuses: list[tuple[str, Any]]) -> None:
        super().__init__(data)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("all")), *statuses]


class RangeForm(forms.Form):
    """The trends page: report dates from and to, and a category (all optional)."""

    start = bounds.day_field(_("From report date"), required=False)
    end = bounds.day_field(_("To report date"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("all categories")), *Category.choices])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        # The last date is left out (core.filters): the first one still applies.
        if start and end and start > end:
            self.add_error("end", _("The first date must not be after the last."))
        elif start and end and (end - start).days > 366:
            self.add_error("end", _("Choose at most a year."))
        return data


class PeriodForm(forms.Form):
    """A reporting period chosen by the date of its report."""

    day = bounds.day_field(_("Report date"), required=False)

    def report_date(self, default: date | None) -> date | None:
        day: date | None = list_filters.applied(self).get("day")
        return day or default
