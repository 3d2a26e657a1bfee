"""The decisions desk's forms: drafts and decisions (tabling, revisions, language versions,
amendments, adoption, silence, objections, announcement, statements attached to decisions).

Forms only check the shape of the input; the rules (who may, in which state, before which
expiry) are the services', whose refusals the views show next to the field they name.
Moments are entered in Vienna local time, the time of the Hofburg's meetings, and converted to
aware UTC here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hofburg.core import filters as list_filters
from hofburg.core.bounds import (
    FIRST_DAY,
    LAST_DAY,
    MAX_DRAFT_TEXT_LENGTH,
    MAX_DRAFT_TITLE_LENGTH,
)
from hofburg.core.models import Classification
from hofburg.decisions import mechanisms, parties
from hofburg.decisions.clock import VIENNA
from hofburg.decisions.engine.rules import MAX_STATES_CONCERNED
from hofburg.decisions.models import (
    Amendment,
    Attachment,
    Body,
    Draft,
    Meeting,
    Objection,
    Revision,
)

NOTE_LENGTH = 500


def _text_field(label: Any, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=MAX_DRAFT_TEXT_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 10}), **kwargs)


def _language_field(label: Any, codes: Iterable[str] | None = None) -> forms.ChoiceField:
    names = dict(settings.LANGUAGES)
    allowed = list(codes) if codes is not None else list(names)
    return forms.ChoiceField(label=label, choices=[(code, names[code]) for code in allowed])


class VienneseMomentField(forms.DateTimeField):
    """A date and time typed in Vienna local time, cleaned to an aware UTC datetime.

    A time that does not exist in Vienna (the hour skipped when summer time starts) or that
    occurs twice (the hour repeated when it ends) is refused rather than guessed: an expiry of
    silence must be exact (Annex 1(A)1).
    """

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            naive = value.replace(tzinfo=None)
        else:
            naive = self._parse(str(value).strip())
        if not FIRST_DAY <= naive.date() <= LAST_DAY:
            raise forms.ValidationError(_("Enter a date between %(first)s and %(last)s.")
                                        % {"first": FIRST_DAY, "last": LAST_DAY})
        return vienna_to_utc(naive)

    def _parse(self, text: str) -> dt.datetime:
        for pattern in self.input_formats:
            try:
                # Naive on purpose: the zone is Vienna's, attached by `vienna_to_utc`.
                return dt.datetime.strptime(text, pattern)  # noqa: DTZ007
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(VIENNA).replace(tzinfo=None)
        return value


def vienna_to_utc(naive: dt.datetime) -> dt.datetime:
    """`naive` read as Vienna local time, as an aware UTC datetime; ValidationError for a time
    that is skipped or repeated at a change of summer time."""
    first = naive.replace(tzinfo=VIENNA, fold=0)
    second = naive.replace(tzinfo=VIENNA, fold=1)
    if first.utcoffset() != second.utcoffset():
        raise forms.ValidationError(
            _("This time occurs twice in Vienna when summer time ends, or not at all when it "
              "starts: choose another time."), code="ambiguous")
    return first.astimezone(dt.UTC)


class StatusTableFilterForm(forms.Form):
    """The status table's filters; a value that does not validate is left out and reported
    (core.filters)."""

    body = forms.ChoiceField(label=_("Body"), required=False,
                             choices=[("", _("All bodies")), *Body.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *Draft.Status.choices])
    earlier = forms.BooleanField(label=_("Also decisions of earlier years"), required=False)

    def filters(self) -> dict[str, str]:
        return {key: value for key, value in list_filters.applied(self).items() if value}


class DraftForm(forms.Form):
    """A new draft decision or declaration, tabled in its original language."""

    body = forms.ChoiceField(label=_("Body"), choices=Body.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Draft.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=MAX_DRAFT_TITLE_LENGTH)
    language = _language_field(_("Original language"))
    text = _text_field(_("Text"))
    only_original = forms.BooleanField(label=_("Issued in the original language only"),
                                       required=False)
    venue = forms.ChoiceField(label=_("Venue"), choices=Draft.Venue.choices)
    classification = forms.ChoiceField(label=_("Distribution"), choices=Classification.choices,
                                       initial=Classification.RESTRICTED)


class RevisionForm(forms.Form):
    """The next revision (`/Rev.n`): its text, and which pending amendments it takes."""

    text = _text_field(_("Text of the new revision"))
    note = forms.CharField(label=_("Note"), max_length=NOTE_LENGTH, required=False)
    taken = forms.MultipleChoiceField(label=_("Amendments taken into this revision"),
                                      required=False, widget=forms.CheckboxSelectMultiple)
    not_taken = forms.MultipleChoiceField(label=_("Amendments not taken"), required=False,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, pending: Iterable[Amendment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(amendment.pk), _amendment_label(amendment)) for amendment in pending]
        for name in ("taken", "not_taken"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        both = set(cleaned.get("taken", [])) & set(cleaned.get("not_taken", []))
        if both:
            self.add_error("not_taken", _("An amendment is either taken or not taken, not both."))
        return cleaned


def _amendment_label(amendment: Amendment) -> str:
    text = amendment.text if len(amendment.text) <= 120 else amendment.text[:119] + "…"
    return f"{amendment.delegation.name}: {text}"


class TranslationForm(forms.Form):
    """A language version of `revision`, in a language it does not have yet."""

    language = forms.ChoiceField(label=_("Language"))
    text = _text_field(_("Text"))

    def __init__(self, *args: Any, revision: Revision | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.revision = revision
        present = revision.texts if revision is not None else {}
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, names[code]) for code in settings.OFFICIAL_LANGUAGE_CODES
            if code not in present]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.revision is None:
            raise forms.ValidationError(_("This draft has no revision yet."))
        cleaned["revision"] = self.revision
        return cleaned


class AmendmentForm(forms.Form):
    text = _text_field(_("Proposed amendment"))


class _MeetingForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(),
                                     empty_label=None)

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.queryset = meetings  # type: ignore[attr-defined]
        field.label_from_instance = _meeting_label  # type: ignore[attr-defined]


def _meeting_label(meeting: Meeting) -> str:
    return f"{meeting.journal_symbol} — {meeting.date:%Y-%m-%d} ({meeting.get_kind_display()})"


# The labels of the fields naming the States an exception to consensus concerns: one for
# consensus-minus-one, two for consensus-minus-two (`engine.rules.MAX_STATES_CONCERNED`).
_CONCERNED_LABELS = (_("State concerned"), _("Second State concerned"))


class AdoptForm(_MeetingForm):
    """Adoption at a meeting on a basis of the data file (`mechanisms.adoption_bases`), with
    the States an exception to consensus concerns chosen by name: participating States of the
    registry, or the exercise delegations for an exercise draft."""

    basis = forms.ChoiceField(label=_("Basis"), initial="consensus")
    note = forms.CharField(label=_("Note on the adoption"), max_length=NOTE_LENGTH,
                           required=False,
                           help_text=_("Why, for an exception to consensus."))

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], is_exercise: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, meetings=meetings, **kwargs)
        self.fields["basis"].choices = [  # type: ignore[attr-defined]
            (code, mechanisms.name_of(code)) for code in mechanisms.adoption_bases()]
        states = [("", _("None")), *parties.choices(is_exercise=is_exercise)]
        for number, label in enumerate(_CONCERNED_LABELS[:MAX_STATES_CONCERNED], start=1):
            self.fields[f"state_concerned_{number}"] = forms.ChoiceField(
                label=label, choices=states, required=False,
                help_text=_("Consensus-minus-one: the State whose objection is set aside; "
                            "consensus-minus-two: both States.") if number == 1 else "")


def states_concerned(cleaned: dict[str, Any]) -> list[str]:
    """The States an adoption form names as concerned, in the order of its fields, leaving out
    the empty ones."""
    return [cleaned[f"state_concerned_{number}"]
            for number in range(1, MAX_STATES_CONCERNED + 1)
            if cleaned.get(f"state_concerned_{number}")]


class SilenceForm(_MeetingForm):
    expires_at = VienneseMomentField(
        label=_("Silence expires (Vienna time)"),
        help_text=_("The exact time, in Vienna local time (CET or CEST), stated at the meeting."))


class AnnounceForm(_MeetingForm):
    pass


class ObjectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Objection.Kind.choices)
    text = _text_field(_("Text in writing"))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices)
    language = _language_field(_("Language"))
    text = _text_field(_("Text"))
