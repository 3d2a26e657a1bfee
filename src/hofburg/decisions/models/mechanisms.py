"""The mechanisms of `data/decisions/mechanisms.yaml` as they are used: the States concerned by
an adoption under an exception to consensus, and the invocations of the mechanisms a State or
a group of States can set in motion alone.

A State named here is a participating State of the registry in a real record, or an exercise
delegation standing for one in an exercise record (decision 0033): an exercise is never
attributed to a real State. Each row holds exactly one of the two.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hofburg.core.models import Affiliation, ClassifiedRecord
from hofburg.decisions.models.records import Body, Draft, Meeting, Sourced
from hofburg.registry.models import ParticipatingState

# An invocation's short account: what was asked of whom, in a paragraph or two.
MAX_INVOCATION_SUMMARY = 2_000
# Invoking States: more than there are participating States (57), so no real group is refused.
MAX_INVOKING_STATES = 60
# A mechanism's code in the data file (`vienna_human_dimension`).
MAX_MECHANISM_CODE = 32


class StateOrExerciseDelegation(models.Model):
    """A participating State (real records) or an exercise delegation (exercise records).

    `code` is how the API and the forms name it: the State's ISO alpha-2 code (`AT`), or the
    exercise delegation's affiliation code (`exercise-north`)."""

    state = models.ForeignKey(ParticipatingState, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    delegation = models.ForeignKey(Affiliation, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        abstract = True

    @property
    def code(self) -> str:
        if self.state is not None:
            return self.state.iso2
        return self.delegation.code if self.delegation is not None else ""

    @property
    def name(self) -> str:
        if self.state is not None:
            return self.state.name
        return self.delegation.name if self.delegation is not None else ""


def _exactly_one_party(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(models.Q(state__isnull=False, delegation__isnull=True)
                   | models.Q(state__isnull=True, delegation__isnull=False)),
        name=name)


class ConcernedState(StateOrExerciseDelegation):
    """A State whose objection a decision adopted under an exception to consensus set aside:
    the one State of consensus-minus-one, the two of consensus-minus-two (Annex 2)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="states_concerned")
    position = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["draft", "position"]
        constraints = [
            _exactly_one_party("decisions_concerned_state_or_delegation"),
            models.UniqueConstraint(fields=["draft", "state"],
                                    name="decisions_one_concerned_row_per_state"),
            models.UniqueConstraint(fields=["draft", "delegation"],
                                    name="decisions_one_concerned_row_per_delegation"),
        ]

    def __str__(self) -> str:
        return f"{self.code} concerned by draft {self.draft_id}"


class Invocation(ClassifiedRecord, Sourced):
    """A mechanism a State or a group of States set in motion alone (the Moscow Mechanism, the
    Vienna Human Dimension Mechanism, ...): which, by whom, when, where it was raised.

    `mechanism` is a code of kind `invoked_alone` in the data file; `source` a document symbol
    (`PC.DEL/12/26`) or the address of a public page; `confidence` the label of a record copied
    from a public source, blank for one entered here."""

    mechanism = models.CharField(_("mechanism"), max_length=MAX_MECHANISM_CODE, db_index=True)
    invoked_on = models.DateField(_("invoked on"), db_index=True)
    body = models.CharField(_("body"), max_length=8, choices=Body.choices, blank=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="invocations")
    summary = models.TextField(_("summary"), max_length=MAX_INVOCATION_SUMMARY)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-invoked_on", "-id"]
        verbose_name = _("invocation of a mechanism")
        verbose_name_plural = _("invocations of mechanisms")

    def __str__(self) -> str:
        return f"{self.mechanism} {self.invoked_on}"


class InvokingState(StateOrExerciseDelegation):
    """One of the States that invoked a mechanism, in the order recorded."""

    invocation = models.ForeignKey(Invocation, on_delete=models.CASCADE,
                                   related_name="invoking_states")
    position = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["invocation", "position"]
        constraints = [
            _exactly_one_party("decisions_invoking_state_or_delegation"),
            models.UniqueConstraint(fields=["invocation", "state"],
                                    name="decisions_one_invoking_row_per_state"),
            models.UniqueConstraint(fields=["invocation", "delegation"],
                                    name="decisions_one_invoking_row_per_delegation"),
        ]

    def __str__(self) -> str:
        return f"{self.code} invoked {self.invocation_id}"
