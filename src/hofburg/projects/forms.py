"""The forms of the project pages' writes: each field bounded once (`projects.bounds`,
`core.bounds`); the services check everything again and their refusals are shown beside the
field they name (`show_error`)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hofburg.core import bounds as core_bounds
from hofburg.core.access import AnyUser, allowed_classifications
from hofburg.core.errors import ServiceError
from hofburg.core.models import Classification
from hofburg.projects import bounds
from hofburg.projects.engine.codelists import codelist
from hofburg.projects.engine.logframe import Level
from hofburg.projects.engine.money import Flow
from hofburg.projects.models import (
    Dimension,
    Donor,
    Funding,
    Indicator,
    IndicatorPeriod,
    LogframeElement,
    Project,
    Theme,
)
from hofburg.projects.services.corrections import IndicatorFix
from hofburg.projects.services.logframe import IndicatorIn
from hofburg.projects.services.money import DonorIn, TransactionIn
from hofburg.projects.services.personnel import SecondmentIn
from hofburg.projects.services.projects import LANGUAGES, ProjectIn
from hofburg.registry.models import Confidence, FieldOperation, ParticipatingState, Partner

OTHER_LANGUAGES = LANGUAGES[1:]
LANGUAGE_NAMES = {"fr": _("French"), "de": _("German"), "it": _("Italian"), "ru": _("Russian"),
                  "es": _("Spanish")}
SEPARATORS = re.compile(r"[\s,;]+")


def show_error(form: forms.Form, error: ServiceError,
               aliases: dict[str, str] | None = None) -> None:
    """Put a service's refusal beside the field it names (or above the form)."""
    name = error.field or ""
    name = (aliases or {}).get(name, name)
    if name not in form.fields:
        # "titles.fr" -> "title_fr", "policy_markers[0].code" -> "policy_markers"
        dotted = re.fullmatch(r"(titles|descriptions)\.(\w\w)", name)
        name = f"{dotted.group(1)[:-1]}_{dotted.group(2)}" if dotted else name.split("[", 1)[0]
    form.add_error(name if name in form.fields else None, str(error.message))


class DeskForm(forms.Form):
    """A form of the desk's write pages, built the same way for each by the one view
    (`projects.writes`): the reader, the project (if any) and the record written (if any).
    A form for a record starts from its values (`initial_from`)."""

    def __init__(self, *args: Any, user: AnyUser, project: Project | None = None,
                 record: Any = None, **kwargs: Any) -> None:
        self.user, self.project, self.record = user, project, record
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(record)
        super().__init__(*args, **kwargs)

    def initial_from(self, record: Any) -> dict[str, Any]:
        return {}

    def aliases(self) -> dict[str, str]:
        """The service's names of fields that this form calls otherwise."""
        return {}


def reason_field() -> forms.CharField:
    return forms.CharField(label=_("Reason"), max_length=bounds.MAX_REASON,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Kept with the correction, with your name and the time."))


def _codes(value: str) -> list[str]:
    return [code for code in SEPARATORS.split(value.strip()) if code]


class ProjectForm(DeskForm):
    number = forms.CharField(label=_("Project number"), max_length=bounds.MAX_PROJECT_NUMBER,
                             help_text=_("For example 1100123; letters, digits, '.', '_' and '-'"
                                         " only, for IATI."))
    title = forms.CharField(label=_("Title (English)"), max_length=bounds.MAX_PROJECT_TITLE)
    description = forms.CharField(label=_("Description (English)"), required=False,
                                  max_length=bounds.MAX_DESCRIPTION,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    funding = forms.ChoiceField(label=_("Funding"), choices=Funding.choices)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices)
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    dac_sectors = forms.CharField(
        label=_("DAC sectors"), required=False, max_length=bounds.MAX_SECTORS * 6,
        help_text=_("OECD DAC 5-digit purpose codes, separated by spaces, e.g. 15113 15130."))
    policy_markers = forms.CharField(
        label=_("Policy markers"), required=False, max_length=bounds.MAX_MARKERS * 6,
        help_text=_("IATI policy marker and significance as code:significance, separated by "
                    "spaces, e.g. 1:1 3:2."))
    recipients = forms.CharField(
        label=_("Recipient States"), required=False, max_length=bounds.MAX_RECIPIENTS * 3,
        help_text=_("ISO alpha-2 codes of participating States or Partners, separated by "
                    "spaces, e.g. MD UA."))
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3, initial="EUR",
                               help_text=_("ISO 4217; fixed once money is recorded."))
    planned_start = core_bounds.day_field(_("Planned start"), required=False)
    planned_end = core_bounds.day_field(_("Planned end"), required=False)
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices,
                                       initial=Classification.RESTRICTED)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = allowed_classifications(self.user)
        self.fields["classification"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Classification.choices if value in allowed]
        for language in OTHER_LANGUAGES:
            name = LANGUAGE_NAMES[language]
            self.fields[f"title_{language}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name}, required=False,
                max_length=bounds.MAX_PROJECT_TITLE)
        for language in OTHER_LANGUAGES:
            name = LANGUAGE_NAMES[language]
            self.fields[f"description_{language}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": name}, required=False,
                max_length=bounds.MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 2}))
        if self.project is not None:
            # The number never changes; the field is shown, not sent.
            self.fields["number"].disabled = True

    def initial_from(self, record: Any) -> dict[str, Any]:
        return initial_of(record)

    def clean_dac_sectors(self) -> list[str]:
        codes = _codes(self.cleaned_data["dac_sectors"])
        if len(codes) > bounds.MAX_SECTORS:
            raise forms.ValidationError(_("At most %(n)d sectors.") % {"n": bounds.MAX_SECTORS})
        return codes

    def clean_recipients(self) -> list[str]:
        codes = [code.upper() for code in _codes(self.cleaned_data["recipients"])]
        if len(codes) > bounds.MAX_RECIPIENTS:
            raise forms.ValidationError(_("At most %(n)d States.") % {"n": bounds.MAX_RECIPIENTS})
        return codes

    def clean_policy_markers(self) -> list[dict[str, str]]:
        markers = []
        for pair in _codes(self.cleaned_data["policy_markers"]):
            code, colon, significance = pair.partition(":")
            if not colon or not code or not significance:
                raise forms.ValidationError(
                    _("Write each marker as code:significance, e.g. 1:1; not %(pair)s.")
                    % {"pair": pair[:20]})
            markers.append({"code": code, "significance": significance})
        if len(markers) > bounds.MAX_MARKERS:
            raise forms.ValidationError(_("At most %(n)d markers.") % {"n": bounds.MAX_MARKERS})
        return markers

    def project_in(self, number: str | None = None) -> ProjectIn:
        data = self.cleaned_data
        return ProjectIn(
            number=number if number is not None else data["number"], title=data["title"],
            description=data["description"], dimension=data["dimension"], theme=data["theme"],
            funding=data["funding"], dac_sectors=data["dac_sectors"],
            policy_markers=data["policy_markers"], recipients=data["recipients"],
            currency=data["currency"].upper(), planned_start=data["planned_start"],
            planned_end=data["planned_end"], classification=data["classification"],
            titles={lang: data[f"title_{lang}"] for lang in OTHER_LANGUAGES
                    if data[f"title_{lang}"]},
            descriptions={lang: data[f"description_{lang}"] for lang in OTHER_LANGUAGES
                          if data[f"description_{lang}"]})


def initial_of(project: Project) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "number": project.number, "title": project.title, "description": project.description,
        "funding": project.funding, "dimension": project.dimension, "theme": project.theme,
        "dac_sectors": " ".join(project.dac_sectors),
        "policy_markers": " ".join(f"{m['code']}:{m['significance']}"
                                   for m in project.policy_markers),
        "recipients": " ".join(sorted(project.recipients.values_list("iso2", flat=True))),
        "currency": project.currency, "planned_start": project.planned_start,
        "planned_end": project.planned_end, "classification": project.classification}
    for language in OTHER_LANGUAGES:
        initial[f"title_{language}"] = project.titles.get(language, "")
        initial[f"description_{language}"] = project.descriptions.get(language, "")
    return initial


def state_names() -> dict[str, str]:
    return ({s.iso2: str(s.name) for s in ParticipatingState.objects.all()}
            | {p.iso2: str(p.name) for p in Partner.objects.all()})


LEVEL_LABELS = {Level.IMPACT.value: _("impact"), Level.OUTCOME.value: _("outcome"),
                Level.OUTPUT.value: _("output"), Level.ACTIVITY.value: _("activity")}


class LogframeElementForm(DeskForm):
    level = forms.ChoiceField(label=_("Level"), choices=list(LEVEL_LABELS.items()))
    parent_code = forms.ChoiceField(label=_("Under"), required=False,
                                    help_text=_("An impact stands at the top; an outcome goes "
                                                "under an impact, an output under an outcome, "
                                                "an activity under an output."))
    code = forms.CharField(label=_("Code"), max_length=bounds.MAX_LOGFRAME_CODE,
                           help_text=_("For example 1.2; unique within the logframe."))
    title = forms.CharField(label=_("Title"), max_length=bounds.MAX_LOGFRAME_TITLE)
    description = forms.CharField(label=_("Description"), required=False,
                                  max_length=bounds.MAX_DESCRIPTION,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = self.project
        self.fields["parent_code"].choices = [  # type: ignore[attr-defined]
            ("", _("nothing (an impact)")),
            *((e.code, f"{e.code} {e.title[:80]}")
              for e in LogframeElement.objects.filter(project=project)
              .exclude(level=Level.ACTIVITY))]


class IndicatorForm(DeskForm):
    element_code = forms.ChoiceField(label=_("Result measured"))
    title = forms.CharField(label=_("Indicator"), max_length=bounds.MAX_LOGFRAME_TITLE)
    measure = forms.ChoiceField(label=_("Measure"), choices=Indicator.Measure.choices)
    baseline = bounds.measure_field(_("Baseline value"))
    baseline_year = bounds.year_field(_("Baseline year"))
    ascending = forms.BooleanField(label=_("Higher is better"), required=False, initial=True)
    means_of_verification = forms.CharField(
        label=_("Means of verification"), required=False, max_length=bounds.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = self.project
        self.fields["element_code"].choices = [  # type: ignore[attr-defined]
            (e.code, f"{e.code} {e.title[:80]}")
            for e in LogframeElement.objects.filter(project=project)
            .exclude(level=Level.ACTIVITY)]

    def indicator_in(self) -> IndicatorIn:
        data = self.cleaned_data
        return IndicatorIn(element_code=data["element_code"], title=data["title"],
                           baseline=data["baseline"], baseline_year=data["baseline_year"],
                           measure=data["measure"], ascending=data["ascending"],
                           means_of_verification=data["means_of_verification"])


def _indicators(project: Project) -> list[tuple[int, str]]:
    return [(i.pk, f"{i.element.code} {i.title[:80]}")
            for i in Indicator.objects.filter(element__project=project)
            .select_related("element").order_by("element__code", "pk")]


class TargetForm(DeskForm):
    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    start = core_bounds.day_field(_("Period start"))
    end = core_bounds.day_field(_("Period end"))
    target = bounds.measure_field(_("Target"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.project is not None
        self.fields["indicator"].choices = _indicators(self.project)  # type: ignore[attr-defined]


class ProgressReportForm(DeskForm):
    """One actual value per period of the project's indicators; those left empty are not
    reported."""

    period_end = core_bounds.day_field(_("Reporting up to"))
    summary = forms.CharField(label=_("Summary"), required=False,
                              max_length=bounds.MAX_DESCRIPTION,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = self.project
        self.periods: dict[str, IndicatorPeriod] = {}
        for period in (IndicatorPeriod.objects.filter(indicator__element__project=project)
                       .select_related("indicator__element")
                       .order_by("indicator__element__code", "indicator_id", "start")):
            name = f"actual_{period.pk}"
            self.periods[name] = period
            target = "—" if period.target is None else f"{period.target.normalize():f}"
            self.fields[name] = bounds.measure_field(
                _("%(code)s %(indicator)s, %(start)s – %(end)s (target %(target)s)") % {
                    "code": period.indicator.element.code,
                    "indicator": period.indicator.title[:80], "start": period.start.isoformat(),
                    "end": period.end.isoformat(), "target": target},
                required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.actuals():
            raise forms.ValidationError(_("Give at least one actual value."))
        return data

    def actuals(self) -> list[tuple[int, Any]]:
        return [(period.pk, self.cleaned_data[name]) for name, period in self.periods.items()
                if self.cleaned_data.get(name) is not None]

    def aliases(self) -> dict[str, str]:
        """The service's `actuals[i]` is the i-th value given: its field here."""
        if not hasattr(self, "cleaned_data"):
            return {}
        given = [name for name in self.periods if self.cleaned_data.get(name) is not None]
        return {f"actuals[{index}]": name for index, name in enumerate(given)}


class BudgetLineForm(DeskForm):
    year = bounds.year_field(_("Year"))
    original = bounds.amount_field(_("Original budget"))
    revised = bounds.amount_field(_("Revised budget"), required=False,
                                  help_text=_("Leave empty until the budget is revised."))


FLOW_LABELS = {Flow.PLEDGE.value: _("pledge"), Flow.AGREEMENT.value: _("agreement"),
               Flow.CONTRIBUTION.value: _("contribution received"),
               Flow.EXPENDITURE.value: _("expenditure")}


class TransactionForm(DeskForm):
    flow = forms.ChoiceField(label=_("Kind"), choices=list(FLOW_LABELS.items()))
    donor = forms.ChoiceField(label=_("Donor"), required=False,
                              help_text=_("Every kind but expenditure names its donor."))
    value = bounds.amount_field(_("Amount"))
    currency = forms.CharField(label=_("Currency of the amount"), required=False,
                               min_length=3, max_length=3,
                               help_text=_("Leave empty for the project's currency."))
    rate = bounds.rate_field(_("Exchange rate"), required=False,
                             help_text=_("Units of the project's currency per unit of the "
                                         "amount's currency."))
    rate_date = core_bounds.day_field(_("Date the rate was published"), required=False)
    value_date = core_bounds.day_field(_("Value date"))
    period_start = core_bounds.day_field(_("Expenditure period start"), required=False)
    period_end = core_bounds.day_field(_("Expenditure period end"), required=False)
    earmark = forms.CharField(label=_("Earmarking"), required=False,
                              max_length=bounds.MAX_EARMARK)
    donor_activity_id = forms.CharField(label=_("Donor's IATI activity identifier"),
                                        required=False, max_length=bounds.MAX_DONOR_ACTIVITY_ID)
    description = forms.CharField(label=_("Description"), required=False,
                                  max_length=bounds.MAX_TRANSACTION_DESCRIPTION)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.project is not None
        project = self.project
        self.fields["donor"].choices = [  # type: ignore[attr-defined]
            ("", _("none (expenditure)")),
            *((d.code, d.name) for d in Donor.objects.filter(is_exercise=project.is_exercise)
              .order_by("name"))]

    def transaction_in(self) -> TransactionIn:
        data = self.cleaned_data
        return TransactionIn(
            flow=data["flow"], value=data["value"], value_date=data["value_date"],
            donor=data["donor"], currency=data["currency"].upper(), rate=data["rate"],
            rate_date=data["rate_date"], period_start=data["period_start"],
            period_end=data["period_end"], earmark=data["earmark"],
            donor_activity_id=data["donor_activity_id"], description=data["description"])


CATEGORY_LABELS = {"A01": _("Pre- and post-project impact appraisal"),
                   "A02": _("Objectives / Purpose of activity"),
                   "A03": _("Intended ultimate beneficiaries"), "A04": _("Conditions"),
                   "A05": _("Budget"), "A06": _("Summary information about contract"),
                   "A07": _("Review of project performance and evaluation"),
                   "A08": _("Results, outcomes and outputs"),
                   "A09": _("Memorandum of understanding"), "A10": _("Tender"),
                   "A11": _("Contract"), "A12": _("Activity web page")}


class DocumentLinkForm(DeskForm):
    document = forms.CharField(
        label=_("Document"), max_length=bounds.MAX_DOCUMENT_REFERENCE,
        help_text=_("Its symbol (e.g. PC.DEC/1234) or its number in the library."))
    category = forms.ChoiceField(
        label=_("Kind of document (IATI)"), initial="A02",
        choices=[(code, f"{code} {CATEGORY_LABELS[code]}") for code in bounds.DOCUMENT_CATEGORIES])


# -- corrections (decision 0049) ---------------------------------------------------------------


class ReasonForm(DeskForm):
    """Reversing or deleting something recorded: the reason only."""

    reason = reason_field()


class TransactionCorrectionForm(TransactionForm):
    """A transaction as it should have been recorded, starting from what was recorded."""

    reason = reason_field()

    def initial_from(self, record: Any) -> dict[str, Any]:
        converted = record.rate is not None
        return {"flow": record.flow, "donor": record.donor.code if record.donor else "",
                "value": record.original_value if converted else record.value,
                "currency": record.original_currency if converted else "",
                "rate": record.rate, "rate_date": record.rate_date,
                "value_date": record.value_date, "period_start": record.period_start,
                "period_end": record.period_end, "earmark": record.earmark,
                "donor_activity_id": record.donor_activity_id,
                "description": record.description}


class BudgetCorrectionForm(DeskForm):
    original = bounds.amount_field(_("Original budget"))
    revised = bounds.amount_field(_("Revised budget"), required=False,
                                  help_text=_("Leave empty if the budget was never revised."))
    reason = reason_field()

    def initial_from(self, record: Any) -> dict[str, Any]:
        return {"original": record.original, "revised": record.revised}


class ElementCorrectionForm(DeskForm):
    code = forms.CharField(label=_("Code"), max_length=bounds.MAX_LOGFRAME_CODE)
    title = forms.CharField(label=_("Title"), max_length=bounds.MAX_LOGFRAME_TITLE)
    description = forms.CharField(label=_("Description"), required=False,
                                  max_length=bounds.MAX_DESCRIPTION,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    reason = reason_field()

    def initial_from(self, record: Any) -> dict[str, Any]:
        return {"code": record.code, "title": record.title, "description": record.description}


class IndicatorCorrectionForm(DeskForm):
    title = forms.CharField(label=_("Indicator"), max_length=bounds.MAX_LOGFRAME_TITLE)
    measure = forms.ChoiceField(label=_("Measure"), choices=Indicator.Measure.choices)
    baseline = bounds.measure_field(_("Baseline value"))
    baseline_year = bounds.year_field(_("Baseline year"))
    ascending = forms.BooleanField(label=_("Higher is better"), required=False)
    means_of_verification = forms.CharField(
        label=_("Means of verification"), required=False, max_length=bounds.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 2}))
    reason = reason_field()

    def initial_from(self, record: Any) -> dict[str, Any]:
        return {name: getattr(record, name) for name in (
            "title", "measure", "baseline", "baseline_year", "ascending",
            "means_of_verification")}

    def fix(self) -> IndicatorFix:
        data = self.cleaned_data
        return IndicatorFix(title=data["title"], baseline=data["baseline"],
                            baseline_year=data["baseline_year"], measure=data["measure"],
                            ascending=data["ascending"],
                            means_of_verification=data["means_of_verification"])


class PeriodCorrectionForm(DeskForm):
    start = core_bounds.day_field(_("Period start"))
    end = core_bounds.day_field(_("Period end"))
    target = bounds.measure_field(_("Target"), required=False)
    reason = reason_field()

    def initial_from(self, record: Any) -> dict[str, Any]:
        return {"start": record.start, "end": record.end, "target": record.target}


class ActualCorrectionForm(DeskForm):
    actual = bounds.measure_field(_("Actual value"), required=False,
                                  help_text=_("Leave empty to withdraw the value reported."))
    reason = reason_field()

    def initial_from(self, record: Any) -> dict[str, Any]:
        return {"actual": record.actual}


# -- donors not in the registry, and personnel -------------------------------------------------

DONOR_KIND_LABELS = {Donor.Kind.EUROPEAN_UNION.value: Donor.Kind.EUROPEAN_UNION.label,
                     Donor.Kind.OTHER.value: Donor.Kind.OTHER.label}


class DonorForm(DeskForm):
    code = forms.SlugField(label=_("Code"), max_length=bounds.MAX_DONOR_CODE,
                           help_text=_("Short and lower case, e.g. eu or a-foundation; it does "
                                       "not change."))
    name = forms.CharField(label=_("Name"), max_length=bounds.MAX_DONOR_NAME)
    kind = forms.ChoiceField(label=_("Kind"), choices=list(DONOR_KIND_LABELS.items()),
                             initial=Donor.Kind.OTHER.value)
    iati_ref = forms.CharField(label=_("IATI organisation identifier"), required=False,
                               max_length=bounds.MAX_DONOR_IATI_REF,
                               help_text=_("Where the donor has one, e.g. XI-IATI-EC_INTPA."))
    iati_type = forms.ChoiceField(label=_("IATI organisation type"), initial="90")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["iati_type"].choices = [  # type: ignore[attr-defined]
            (code, f"{code} {name}") for code, name in codelist("OrganisationType").items()]
        if self.record is not None:
            self.fields["code"].disabled = True

    def initial_from(self, record: Any) -> dict[str, Any]:
        return {"code": record.code, "name": record.name, "kind": record.kind,
                "iati_ref": record.iati_ref, "iati_type": record.iati_type}

    def donor_in(self) -> DonorIn:
        data = self.cleaned_data
        return DonorIn(code=data["code"], name=data["name"], kind=data["kind"],
                       iati_ref=data["iati_ref"], iati_type=data["iati_type"])


class SecondmentForm(DeskForm):
    """The personnel one State gives a field operation in a year; the figure for the same
    operation, State and year is replaced."""

    field_operation = forms.ChoiceField(label=_("Field operation"))
    seconding_state = forms.ChoiceField(label=_("Seconding State"),
                                        help_text=_("For contracted staff: their nationality."))
    year = bounds.year_field(_("Year"))
    seconded = core_bounds.count_field(_("Seconded personnel"))
    contracted = core_bounds.count_field(_("Contracted personnel"), required=False)
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices,
                                       initial=Classification.RESTRICTED)
    source = forms.CharField(label=_("Source"), required=False,
                             max_length=core_bounds.MAX_SOURCE_LENGTH,
                             help_text=_("Only for a figure copied from a public source; then "
                                         "give its confidence too."))
    confidence = forms.ChoiceField(label=_("Confidence"), required=False,
                                   choices=[("", "—"), *Confidence.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_operation"].choices = [  # type: ignore[attr-defined]
            (f.code, f.name) for f in FieldOperation.objects.all()]
        self.fields["seconding_state"].choices = sorted(  # type: ignore[attr-defined]
            state_names().items(), key=lambda pair: pair[1])
        allowed = allowed_classifications(self.user)
        self.fields["classification"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Classification.choices if value in allowed]
        if self.record is not None:
            for name in ("field_operation", "seconding_state", "year"):
                self.fields[name].disabled = True

    def initial_from(self, record: Any) -> dict[str, Any]:
        return {name: getattr(record, name) for name in (
            "field_operation", "seconding_state", "year", "seconded", "contracted",
            "classification", "source", "confidence")}

    def secondment_in(self) -> SecondmentIn:
        data = self.cleaned_data
        return SecondmentIn(
            field_operation=data["field_operation"], seconding_state=data["seconding_state"],
            year=data["year"], seconded=data["seconded"], contracted=data["contracted"] or 0,
            classification=data["classification"], source=data["source"],
            confidence=data["confidence"])
