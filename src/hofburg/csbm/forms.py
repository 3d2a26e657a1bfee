"""Forms of the CSBM desk's pages: an activity to check, two rulesets to compare, a year,
an annual exchange to upload."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hofburg.core import bounds
from hofburg.core import filters as list_filters
from hofburg.core.i18n import localized
from hofburg.core.models import Classification
from hofburg.csbm.engine.activities import Activity, ActivityError, ActivityType
from hofburg.csbm.engine.rulesets import Ruleset
from hofburg.csbm.engine.terms import Measure
from hofburg.registry.models import ParticipatingState

DEFAULT_RULESET = "vd2011"
DEFAULT_PROPOSAL = "joint-proposal-2019"

ACTIVITY_TYPES = [
    (ActivityType.LAND.value, _("Land forces exercise (40.1)")),
    (ActivityType.AMPHIBIOUS.value, _("Amphibious landing (40.2)")),
    (ActivityType.AIRBORNE.value, _("Heliborne landing or parachute assault (40.2)")),
    (ActivityType.TRANSFER.value, _("Transfer: arrival of forces in the zone (40.3)")),
    (ActivityType.CONCENTRATION.value, _("Concentration of forces (40.3)")),
    (ActivityType.AIR.value, _("Air activity on its own")),
]

# The activity's peak numbers: form field name → label. Field names are the engine's.
COUNT_FIELDS = [
    ("troops", _("Troops")),
    ("battle_tanks", _("Battle tanks")),
    ("acvs", _("Armoured combat vehicles (ACVs)")),
    ("artillery", _("Artillery, mortars and MRLs of 100 mm and above")),
    ("sorties", _("Aircraft sorties (helicopters excluded)")),
    ("amphibious_troops", _("Troops in an amphibious landing")),
    ("airborne_troops", _("Troops in a parachute drop or heliborne landing")),
]


def ruleset_choices(rulesets: Mapping[str, Ruleset]) -> list[tuple[str, str]]:
    """Every ruleset as a choice, agreed ones first; a proposal says so in its label. The
    title is in the reader's language (the ruleset file's `names`), English when missing."""
    ordered = sorted(rulesets.values(), key=lambda r: (r.is_proposal, r.id))
    language = get_language()
    return [
        (r.id, f"{r.id} ({_('proposal')}): {_title(r, language)}" if r.is_proposal
         else f"{r.id}: {_title(r, language)}")
        for r in ordered
    ]


def _title(ruleset: Ruleset, language: str | None) -> str:
    return localized(dict(ruleset.names), language, fallback=ruleset.title)


def _count_field(label: Any) -> forms.IntegerField:
    return bounds.count_field(label, required=False)


def _date_field(label: Any) -> forms.DateField:
    return bounds.day_field(label)


class ActivityForm(forms.Form):
    """One military activity as a participating State would describe it: type, dates, peaks."""

    type = forms.ChoiceField(label=_("Type of activity"), choices=ACTIVITY_TYPES,
                             initial=ActivityType.LAND.value)
    start = _date_field(_("Start"))
    end = _date_field(_("End"))
    troops = _count_field(COUNT_FIELDS[0][1])
    battle_tanks = _count_field(COUNT_FIELDS[1][1])
    acvs = _count_field(COUNT_FIELDS[2][1])
    artillery = _count_field(COUNT_FIELDS[3][1])
    sorties = _count_field(COUNT_FIELDS[4][1])
    amphibious_troops = _count_field(COUNT_FIELDS[5][1])
    airborne_troops = _count_field(COUNT_FIELDS[6][1])
    without_advance_notice = forms.BooleanField(
        label=_("Without advance notice to the troops (alert or “snap” activity)"),
        required=False)
    outside_zone = forms.BooleanField(
        label=_("Outside the zone of application for CSBMs"), required=False,
        help_text=_("Such an activity is not subject to notification, observation or the "
                    "constraints; for the United States and Canada only activities inside "
                    "the zone count."))
    duration_hours = forms.IntegerField(
        label=_("Duration in hours (alert activities)"), min_value=0, max_value=100_000,
        required=False,
        help_text=_("Decides whether an alert activity is observed; leave empty if not known."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            start = timezone.localdate() + timedelta(days=60)
            self.initial.setdefault("start", start)
            self.initial.setdefault("end", start + timedelta(days=10))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        return cleaned

    def given_measures(self) -> frozenset[Measure]:
        """The peak numbers the user gave (call after is_valid()); the others were left blank.

        A landing's own figure counts as given when the activity's troops stand for it."""
        data = self.cleaned_data
        given = {measure for measure in Measure if data.get(measure.value) is not None}
        landing = {ActivityType.AMPHIBIOUS.value: Measure.AMPHIBIOUS_TROOPS,
                   ActivityType.AIRBORNE.value: Measure.AIRBORNE_TROOPS}.get(data.get("type", ""))
        if landing is not None and Measure.TROOPS in given:
            given.add(landing)
        return frozenset(given)

    def activity(self, activity_id: str = "checked-activity", state: str = "") -> Activity:
        """The engine's Activity for the cleaned data (call after is_valid())."""
        data = self.cleaned_data
        try:
            return Activity(
                id=activity_id,
                state=state,
                type=ActivityType(data["type"]),
                start=data["start"],
                end=data["end"],
                troops=data.get("troops") or 0,
                battle_tanks=data.get("battle_tanks") or 0,
                acvs=data.get("acvs") or 0,
                artillery=data.get("artillery") or 0,
                sorties=data.get("sorties") or 0,
                amphibious_troops=data.get("amphibious_troops"),
                airborne_troops=data.get("airborne_troops"),
                without_advance_notice=bool(data.get("without_advance_notice")),
                outside_zone=bool(data.get("outside_zone")),
                duration_hours=data.get("duration_hours"),
            )
        except ActivityError as error:  # the form's own checks should have caught it
            raise forms.ValidationError(str(error)) from error


class CheckerForm(ActivityForm):
    """The activity checker: a ruleset and one activity."""

    ruleset = forms.ChoiceField(label=_("Ruleset"))

    field_order = ["ruleset"]

    def __init__(self, *args: Any, rulesets: Mapping[str, Ruleset], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rulesets = rulesets
        field = self.fields["ruleset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = ruleset_choices(rulesets)
        self.initial.setdefault("ruleset", DEFAULT_RULESET)

    def chosen_ruleset(self) -> Ruleset:
        return self.rulesets[self.cleaned_data["ruleset"]]


class WhatIfForm(ActivityForm):
    """Two rulesets to compare, and optionally one activity typed in."""

    ruleset_a = forms.ChoiceField(label=_("Ruleset A"))
    ruleset_b = forms.ChoiceField(label=_("Ruleset B"))
    year = forms.IntegerField(label=_("Stored activities of the year"), min_value=1990,
                              max_value=2100, required=False,
                              help_text=_("Leave empty for every year."))

    field_order = ["ruleset_a", "ruleset_b", "year"]

    def __init__(self, *args: Any, rulesets: Mapping[str, Ruleset],
                 activity_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rulesets = rulesets
        for name in ("ruleset_a", "ruleset_b"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = ruleset_choices(rulesets)
        self.initial.setdefault("ruleset_a", DEFAULT_RULESET)
        self.initial.setdefault("ruleset_b", DEFAULT_PROPOSAL)
        self.activity_required = activity_required
        if not activity_required:
            # Dates filled in ahead would make every comparison carry an empty activity of
            # the user's that the user never typed.
            for name in ("start", "end"):
                self.fields[name].required = False
                self.initial.pop(name, None)

    def has_activity(self) -> bool:
        """True when the form holds a typed activity to compare (valid forms only)."""
        data = self.cleaned_data
        return bool(data.get("start") and data.get("end"))

    def _figures_given(self, cleaned: Mapping[str, Any]) -> bool:
        return any(cleaned.get(name) is not None for name, _label in COUNT_FIELDS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("ruleset_a") and cleaned.get("ruleset_a") == cleaned.get("ruleset_b"):
            self.add_error("ruleset_b", _("Choose two different rulesets."))
        if not self.activity_required and bool(cleaned.get("start")) != bool(cleaned.get("end")):
            self.add_error("end" if cleaned.get("start") else "start",
                           _("Give both the start and the end, or neither."))
        if not self.activity_required and cleaned.get("start") and cleaned.get("end") \
                and not self._figures_given(cleaned):
            self.add_error("troops", _("Give at least one figure of your activity, or leave "
                                       "its dates empty."))
        return cleaned

    def chosen(self) -> tuple[Ruleset, Ruleset]:
        return (self.rulesets[self.cleaned_data["ruleset_a"]],
                self.rulesets[self.cleaned_data["ruleset_b"]])


class YearForm(forms.Form):
    """The year a quota board, scorecard or calendar shows; this year when absent or wrong."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)

    def year_or(self, default: int) -> int:
        """The year asked for; `default` when none is, or when it is not understood (the page
        then says so, core.filters)."""
        year = list_filters.applied(self).get("year")
        return int(year) if year else default


class ScorecardForm(YearForm):
    findings_only = forms.BooleanField(label=_("Only States with findings"), required=False)


class CalendarForm(YearForm):
    """A year and, optionally, one participating State."""

    state = forms.ChoiceField(label=_("Participating State"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["state"]
        assert isinstance(field, forms.ChoiceField)
        states = sorted(ParticipatingState.objects.values_list("iso2", "names"),
                        key=lambda item: localized(item[1], get_language(), item[0]))
        field.choices = [("", _("All States"))] + [
            (iso2, localized(names, get_language(), iso2)) for iso2, names in states]

    def state_or_none(self) -> str | None:
        state = list_filters.applied(self).get("state")
        return str(state) if state else None


class ExchangeUploadForm(forms.Form):
    """An annual exchange of the editor's own State as files (hofburg.csbm.uploads, docs/csbm.md):
    one XLSX workbook, or a units CSV and a holdings CSV."""

    year = forms.IntegerField(label=_("Valid from 1 January of"), min_value=1990, max_value=2999)
    submitted_on = bounds.day_field(_("Submitted on"))
    workbook = forms.FileField(
        label=_("XLSX workbook"), required=False,
        help_text=_("With a sheet “units” and a sheet “holdings”."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    units_csv = forms.FileField(label=_("or units (CSV)"), required=False,
                                widget=forms.ClearableFileInput(attrs={"accept": ".csv"}))
    holdings_csv = forms.FileField(label=_("and holdings (CSV)"), required=False,
                                   widget=forms.ClearableFileInput(attrs={"accept": ".csv"}))
    declared_evaluation_quota = forms.IntegerField(
        label=_("Declared evaluation quota (10.1.1)"), min_value=0, max_value=1000,
        required=False)
    classification = forms.ChoiceField(
        label=_("Distribution"), choices=Classification.choices,
        initial=Classification.RESTRICTED,
        help_text=_("Restricted: participating States and OSCE staff. Public: everyone."))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("year", today.year + 1 if today.month == 12 else today.year)
            self.initial.setdefault("submitted_on", today)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        workbook, units = cleaned.get("workbook"), cleaned.get("units_csv")
        if bool(workbook) == bool(units):
            self.add_error("workbook", _("Give either an XLSX workbook or a units CSV file."))
        if workbook and cleaned.get("holdings_csv"):
            self.add_error("holdings_csv",
                           _("A workbook carries its holdings in its own “holdings” sheet."))
        return cleaned


class ExchangeVersionsForm(forms.Form):
    """Two versions of one exchange to compare, by the numbers the reader sees (1, 2, 3...):
    by default the one before the newest and the newest."""

    older = forms.TypedChoiceField(label=_("From version"), coerce=int)
    newer = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, versions: list[int], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(number, str(number)) for number in versions]
        for name in ("older", "newer"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = choices
        if len(versions) >= 2:
            self.initial.setdefault("older", versions[-2])
            self.initial.setdefault("newer", versions[-1])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "older" in cleaned and cleaned.get("older") == cleaned.get("newer"):
            self.add_error("newer", _("Choose a version other than the one to compare it with."))
        return cleaned
