"""The forms of the desk's pages that record (`cases.writes`): each field bounded once, from
the service's own limits where it has them; the services check everything again and their
refusals are shown beside the field they name (`show_error`).

Code lists come from the version a record was checked against (a protection case's or a
situation's `code_version`), or from the current one for a new record.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hofburg.cases.engine import codes as hate_codes
from hofburg.cases.engine import media as media_codes
from hofburg.cases.engine import protection as protection_codes
from hofburg.cases.engine import situations as situation_codes
from hofburg.cases.engine.fields import VAULT_FIELDS
from hofburg.cases.models import DetentionEpisode, Grant, Incident, Person
from hofburg.cases.services import evidence, grants, hatecrime, persons, prisoners, protection
from hofburg.cases.services import media as media_services
from hofburg.cases.services import situations as situation_services
from hofburg.core import bounds
from hofburg.core.access import AnyUser, allowed_classifications
from hofburg.core.errors import ServiceError
from hofburg.core.models import Classification

SEPARATORS = re.compile(r"[\n;]+")
MAX_USERNAME = 150  # Django's username column
# What the evidence page accepts, by the file's extension; the command line takes any file.
EVIDENCE_TYPES = {
    ".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".png": "image/png", ".webp": "image/webp", ".mp4": "video/mp4", ".webm": "video/webm",
    ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".wav": "audio/wav", ".txt": "text/plain",
    ".csv": "text/csv", ".json": "application/json", ".zip": "application/zip",
    ".warc": "application/warc",
}


def _with(text: Promise, **values: Any) -> Any:
    """`text` with its bounds filled in when it is shown, in the reader's language."""
    return lazy(lambda: str(text) % values, str)()


def show_error(form: forms.Form, error: ServiceError,
               aliases: dict[str, str] | None = None) -> None:
    """Put a service's refusal beside the field it names (or above the form)."""
    name = (aliases or {}).get(error.field or "", error.field or "")
    form.add_error(name if name in form.fields else None, str(error.message))


def split(value: str) -> list[str]:
    """Items given one a line or separated by semicolons."""
    return [item.strip() for item in SEPARATORS.split(value) if item.strip()]


def _choices(listed: dict[str, Any], *, blank: bool = False) -> list[tuple[str, str]]:
    pairs = [(code, str(getattr(item, "label", item))) for code, item in listed.items()]
    return [("", "—"), *pairs] if blank else pairs


def _checkboxes(label: Any, *, required: bool = False, **kwargs: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, required=required, choices=[],
                                     widget=forms.CheckboxSelectMultiple, **kwargs)


def _text(label: Any, limit: int, *, required: bool = False, rows: int = 3,
          **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=limit,
                           widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _iso2(label: Any, *, required: bool = True) -> forms.RegexField:
    return forms.RegexField(label=label, regex=r"^[A-Za-z]{2}$", max_length=2, required=required,
                            error_messages={"invalid": _("Two letters (ISO 3166 alpha-2).")})


class DeskForm(forms.Form):
    """A form of the desk's pages that record, built the same way for each by the one view
    (`cases.writes`): the reader and the record it writes into (if any)."""

    def __init__(self, *args: Any, user: AnyUser, record: Any = None, **kwargs: Any) -> None:
        self.user, self.record = user, record
        super().__init__(*args, **kwargs)
        if "classification" in self.fields:
            allowed = allowed_classifications(user)
            self.fields["classification"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Classification.choices if value in allowed]

    def aliases(self) -> dict[str, str]:
        """The service's names of fields that this form calls otherwise."""
        return {}


def _classification(initial: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Classification"), choices=Classification.choices,
                             initial=initial)


# -- persons and grants -------------------------------------------------------------------------


class PersonForm(DeskForm):
    name = forms.CharField(label=_("Name"), max_length=persons.MAX_VAULT_TEXT,
                           help_text=_("Sealed in the identity vault; shown only to holders of a "
                                       "grant."))
    contacts = _text(_("Contacts"), persons.MAX_VAULT_TEXT, rows=2)
    identity_number = forms.CharField(label=_("Identity number"), required=False,
                                      max_length=persons.MAX_VAULT_TEXT)
    medical = _text(_("Medical details"), persons.MAX_VAULT_TEXT, rows=2)
    birth_date = bounds.day_field(_("Birth date"), required=False,
                                  help_text=_("Used only, with the name and identity number, to "
                                              "find possible duplicates; not stored."))
    protection_level = forms.ChoiceField(label=_("Protection level"),
                                         choices=Person.Protection.choices,
                                         initial=Person.Protection.HIGH)
    classification = _classification(Classification.CONFIDENTIAL)

    def vault_values(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in VAULT_FIELDS}


class GrantForm(DeskForm):
    """Need-to-know for a person or a situation, given to one user by name."""

    username = forms.CharField(label=_("User name"), max_length=MAX_USERNAME)
    level = forms.ChoiceField(label=_("Level"), choices=Grant.Level.choices,
                              initial=Grant.Level.RESTRICTED,
                              help_text=_("Restricted opens the name; strictly confidential "
                                          "opens everything."))

    def aliases(self) -> dict[str, str]:
        return {"user": "username"}


class RevokeForm(DeskForm):
    """Withdraw a holder's need-to-know for a person or a situation, with the reason. The
    holders are the record's own, the reader excepted (another holder revokes theirs)."""

    username = forms.ChoiceField(label=_("Holder"), choices=[])
    reason = _text(_("Why the grant is withdrawn"), grants.MAX_REASON, required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        holders = [] if self.record is None else sorted(
            self.record.grants.exclude(user_id=getattr(self.user, "pk", None))
            .values_list("user__username", "level"))
        levels = dict(Grant.Level.choices)
        self.fields["username"].choices = [  # type: ignore[attr-defined]
            ("", "—"), *((name, f"{name} · {levels.get(level, level)}")
                         for name, level in holders)]

    def aliases(self) -> dict[str, str]:
        return {"user": "username"}


# -- political prisoners ------------------------------------------------------------------------


class PrisonerCaseForm(DeskForm):
    jurisdiction = _iso2(_("Jurisdiction (ISO alpha-2)"))
    articles = forms.CharField(
        label=_("Articles"), required=False, max_length=prisoners.MAX_ARTICLES * 41,
        help_text=_with(_("The articles charged, separated by semicolons, e.g. CC 130; CC 190 "
                          "(at most %(n)d)."), n=prisoners.MAX_ARTICLES))
    charges = _text(_("Charges"), bounds.MAX_TEXT_LENGTH)
    case_number = forms.CharField(label=_("Case number"), required=False, max_length=100)
    classification = _classification(Classification.RESTRICTED)


class EpisodeForm(DeskForm):
    kind = forms.ChoiceField(label=_("Kind of detention"), choices=DetentionEpisode.Kind.choices)
    start = bounds.day_field(_("Start"))
    end = bounds.day_field(_("End"), required=False,
                           help_text=_("Empty while the person is held."))
    died = forms.BooleanField(label=_("Died in custody"), required=False)
    facility = forms.CharField(label=_("Facility"), required=False, max_length=200)


class EndDetentionForm(DeskForm):
    end = bounds.day_field(_("Released on"))
    died = forms.BooleanField(label=_("Died in custody"), required=False)


class ProceedingForm(DeskForm):
    court = forms.CharField(label=_("Court"), max_length=200)
    hearing_date = bounds.day_field(_("Hearing date"))
    closed_trial = forms.BooleanField(label=_("Closed trial"), required=False)
    verdict = forms.CharField(label=_("Verdict"), required=False, max_length=200)
    sentence = forms.CharField(label=_("Sentence"), required=False, max_length=200)


class RecognitionForm(DeskForm):
    organisations = forms.CharField(
        label=_("Recognising organisations"), max_length=2000,
        help_text=_("Separated by semicolons."))
    criteria = _checkboxes(_("PACE Resolution 1900 (2012) criteria"), required=True,
                           help_text=_("Paragraph 3, letters a to e."))
    recognised_on = bounds.day_field(_("Recognised on"))
    statement_url = forms.URLField(label=_("Statement (address)"), required=False,
                                   assume_scheme="https", max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = [  # type: ignore[attr-defined]
            (letter, f"§3.{letter}") for letter in prisoners.PACE_CRITERIA]


class WithdrawalForm(DeskForm):
    withdrawn_on = bounds.day_field(_("Withdrawn on"))


class ConditionReportForm(DeskForm):
    reported_on = bounds.day_field(_("Reported on"))
    text = _text(_("Conditions of detention"), bounds.MAX_TEXT_LENGTH, required=True, rows=4)


# -- hate incidents and media freedom -----------------------------------------------------------


class IncidentForm(DeskForm):
    reporting_year = forms.IntegerField(label=_("Reporting year"), min_value=1990,
                                        max_value=2999)
    country = _iso2(_("Country (ISO alpha-2)"))
    occurred_on = bounds.day_field(_("Date"), required=False,
                                   help_text=_("Within the reporting year."))
    incident_type = forms.ChoiceField(label=_("Incident type"), choices=[])
    bias_motivations = _checkboxes(_("Bias motivations"), required=True)
    other_bias = forms.CharField(label=_("Other bias"), required=False,
                                 max_length=hatecrime.MAX_SHORT_TEXT)
    indicators = _text(_("Bias indicators"), bounds.MAX_TEXT_LENGTH, rows=2)
    description = _text(_("Description"), bounds.MAX_TEXT_LENGTH)
    victim_count = forms.IntegerField(label=_("Victims"), required=False, min_value=0,
                                      max_value=hatecrime.MAX_VICTIMS)
    source_org = forms.CharField(label=_("Source organisation"),
                                 max_length=hatecrime.MAX_SHORT_TEXT)
    source_kind = forms.ChoiceField(label=_("Source kind"), choices=Incident.SourceKind.choices)
    classification = _classification(Classification.CONFIDENTIAL)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = hate_codes.version_for(timezone.localdate().year)
        self.fields["incident_type"].choices = _choices(  # type: ignore[attr-defined]
            version.incident_types)
        self.fields["bias_motivations"].choices = _choices(  # type: ignore[attr-defined]
            version.bias_motivations)


class AlertForm(DeskForm):
    country = _iso2(_("Country (ISO alpha-2)"))
    submitted_on = bounds.day_field(_("Submitted on"))
    occurred_on = bounds.day_field(_("Date of the event"), required=False)
    violations = _checkboxes(_("Violations"), required=True)
    perpetrator_type = forms.ChoiceField(label=_("Perpetrator type"), choices=[
        (code, code.replace("_", " ")) for code in media_codes.PERPETRATORS])
    media_actor_type = forms.CharField(label=_("Media actor"), max_length=100,
                                       help_text=_("For example journalist, outlet, blogger."))
    severity = forms.ChoiceField(label=_("Severity"), choices=[
        (code, code) for code in media_codes.SEVERITIES])
    verification = forms.ChoiceField(label=_("Verification"), choices=[
        (code, code) for code in media_codes.VERIFICATION])
    partner = forms.CharField(label=_("Submitting partner"), max_length=200)
    summary = _text(_("Summary"), media_services.MAX_TEXT, required=True, rows=4)
    person = forms.CharField(label=_("Person (surrogate id)"), required=False, max_length=20,
                             help_text=_("Only a person granted to you."))
    classification = _classification(Classification.RESTRICTED)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = media_codes.version_for(timezone.localdate().year)
        self.fields["violations"].choices = [  # type: ignore[attr-defined]
            (code, violation.label) for code, violation in version.violations.items()]


class ReplyForm(DeskForm):
    received_on = bounds.day_field(_("Received on"))
    text = _text(_("The State's reply"), media_services.MAX_TEXT, required=True, rows=4)


class FollowUpForm(DeskForm):
    on = bounds.day_field(_("Date"))
    note = _text(_("Follow-up"), media_services.MAX_TEXT, required=True)


# -- protection cases ---------------------------------------------------------------------------


class _ProtectionCodes(DeskForm):
    """A form whose choices are codes of the case's version (the current one for a new case)."""

    code_fields: dict[str, tuple[str, bool]] = {}  # field -> (code list, blank choice)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = protection_codes.version(getattr(self.record, "code_version", None)
                                           if hasattr(self.record, "concern") else None)
        for name, (listed, blank) in self.code_fields.items():
            self.fields[name].choices = _choices(  # type: ignore[attr-defined]
                version.codes(listed), blank=blank)


class ProtectionCaseForm(_ProtectionCodes):
    code_fields = {
        "concern": ("concerns", False), "trafficking_status": ("trafficking_statuses", True),
        "status_decided_by": ("status_deciders", True), "gender": ("genders", True),
        "relationship_to_trafficker": ("relationships", True),
        "exploitation_types": ("exploitation_types", False),
        "recruitment_methods": ("recruitment_methods", False),
        "control_methods": ("control_methods", False)}

    concern = forms.ChoiceField(label=_("Concern"), choices=[])
    country = _iso2(_("Country (ISO alpha-2)"))
    opened_on = bounds.day_field(_("Opened on"))
    trafficking_status = forms.ChoiceField(label=_("Trafficking status"), required=False,
                                           choices=[])
    status_decided_by = forms.ChoiceField(label=_("Status decided by"), required=False,
                                          choices=[])
    consent = forms.BooleanField(label=_("Consent recorded"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=[])
    age_at_exploitation = forms.IntegerField(label=_("Age when trafficked"), required=False,
                                             min_value=0, max_value=protection_codes.MAX_AGE)
    citizenship = forms.CharField(
        label=_("Citizenship"), required=False, max_length=protection.MAX_CITIZENSHIPS * 3 + 10,
        help_text=_with(_("ISO alpha-2 codes separated by spaces (at most %(n)d)."),
                        n=protection.MAX_CITIZENSHIPS))
    relationship_to_trafficker = forms.ChoiceField(label=_("Relationship to trafficker"),
                                                   required=False, choices=[])
    exploitation_types = _checkboxes(_("Types of exploitation"))
    recruitment_methods = _checkboxes(_("Methods of recruitment"))
    control_methods = _checkboxes(_("Methods of control"))
    summary = _text(_("Summary"), protection.MAX_TEXT)
    classification = _classification(Classification.CONFIDENTIAL)


class MovementForm(_ProtectionCodes):
    code_fields = {"kind": ("movement_types", False)}

    kind = forms.ChoiceField(label=_("Step"), choices=[])
    country = _iso2(_("Country (ISO alpha-2)"))
    on = bounds.day_field(_("Date"), required=False)
    description = _text(_("Description"), protection.MAX_TEXT)


class RiskForm(_ProtectionCodes):
    code_fields = {"level": ("risk_levels", False), "factors": ("risk_factors", False)}

    assessed_on = bounds.day_field(_("Assessed on"))
    level = forms.ChoiceField(label=_("Section"), choices=[])
    factors = _checkboxes(_("Risk factors"), help_text=_("Factors of the section chosen."))
    note = _text(_("Note"), protection.MAX_TEXT)


class ReferralForm(_ProtectionCodes):
    code_fields = {"reason": ("referral_reasons", False),
                   "organisation_type": ("organisation_types", True)}

    direction = forms.ChoiceField(label=_("Direction"), choices=[
        ("outgoing", _("outgoing (made to)")), ("incoming", _("incoming (accepted from)"))])
    organisation = forms.CharField(label=_("Organisation"), max_length=300)
    organisation_type = forms.ChoiceField(label=_("Kind of organisation"), required=False,
                                          choices=[])
    on = bounds.day_field(_("Date"))
    reason = forms.ChoiceField(label=_("Reason"), choices=[])
    details = _text(_("Details"), protection.MAX_TEXT)


class AssistanceForm(_ProtectionCodes):
    code_fields = {"kind": ("assistance_types", False)}

    kind = forms.ChoiceField(label=_("Assistance"), choices=[])
    started_on = bounds.day_field(_("Started on"))
    planned_end = bounds.day_field(_("Planned end"), required=False)
    actual_end = bounds.day_field(_("Actual end"), required=False)
    objectives = _text(_("Objectives"), protection.MAX_TEXT)


# -- national-minority situations ---------------------------------------------------------------


class SituationForm(DeskForm):
    state = _iso2(_("State (ISO alpha-2)"))
    region = forms.CharField(label=_("Region"), required=False, max_length=200)
    title = forms.CharField(label=_("Title"), max_length=300)
    opened_on = bounds.day_field(_("Followed since"))
    communities = forms.CharField(
        label=_("Communities concerned"), widget=forms.Textarea(attrs={"rows": 2}),
        max_length=situation_services.MAX_COMMUNITIES * 201,
        help_text=_with(_("One a line or separated by semicolons (at most %(n)d)."),
                        n=situation_services.MAX_COMMUNITIES))
    classification = _classification(Classification.CONFIDENTIAL)


class ObservationForm(DeskForm):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=[])
    observed_on = bounds.day_field(_("Observed on"))
    value = forms.DecimalField(label=_("Value"), required=False, max_digits=14,
                               decimal_places=2)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[])
    source = _text(_("Source"), situation_services.MAX_TEXT, required=True, rows=2)
    note = _text(_("Note"), situation_services.MAX_TEXT, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = situation_codes.version(getattr(self.record, "code_version", None))
        self.fields["indicator"].choices = _choices(  # type: ignore[attr-defined]
            version.codes("indicators"))
        self.fields["level"].choices = _choices(  # type: ignore[attr-defined]
            version.codes("observation_levels"), blank=True)


# -- evidence -----------------------------------------------------------------------------------


EVIDENCE_BOUNDS = _with(_("At most %(mb)d MB; PDF, JPEG, PNG, WebP, MP4, WebM, MP3, Ogg, WAV, "
                          "text, CSV, JSON, ZIP or WARC."), mb=evidence.MAX_BYTES // 2**20)


class EvidenceForm(DeskForm):
    file = forms.FileField(label=_("File"), help_text=EVIDENCE_BOUNDS)
    title = forms.CharField(label=_("What the file is"), max_length=300)
    source_url = forms.URLField(label=_("Where it was captured (address)"), assume_scheme="https",
                                required=False,
                                max_length=1000)
    classification = _classification(Classification.CONFIDENTIAL)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if upload.size > evidence.MAX_BYTES or suffix not in EVIDENCE_TYPES:
            raise forms.ValidationError(EVIDENCE_BOUNDS)
        return upload

    def media_type(self) -> str:
        name = self.cleaned_data["file"].name
        return EVIDENCE_TYPES["." + name.rsplit(".", 1)[-1].lower()]


class WorkingCopyForm(DeskForm):
    """A working copy of a piece of evidence: a file made from the original (a redaction, a
    conversion), or, without one, a copy of the original as it is."""

    file = forms.FileField(label=_("File made from the original"), required=False,
                           help_text=format_lazy("{} {}", _("Leave empty to copy the original "
                                                            "as it is."), EVIDENCE_BOUNDS))
    label = forms.CharField(label=_("What the copy is"), max_length=200, required=False,
                            help_text=_("For example: redacted, transcript, converted to PDF."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if upload.size > evidence.MAX_BYTES or suffix not in EVIDENCE_TYPES:
            raise forms.ValidationError(EVIDENCE_BOUNDS)
        return upload

    def media_type(self) -> str:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return ""
        return EVIDENCE_TYPES["." + upload.name.rsplit(".", 1)[-1].lower()]


class RefusedWorkingCopyForm(WorkingCopyForm):
    """The form of a request whose body was above the bound: its file was not received
    (`uploads.SealedUpload`), so the form refuses it rather than copy the original in its
    place."""

    def clean_file(self) -> Any:
        raise forms.ValidationError(EVIDENCE_BOUNDS)
