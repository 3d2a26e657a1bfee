"""Reads of negotiation rounds: every one narrowed by `core.access` first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from hofburg.core.access import AnyUser, get_visible_or_404, visible
from hofburg.core.models import Affiliation
from hofburg.decisions.models import NegotiationRound
from hofburg.registry.models import FormatParticipant, NegotiationFormat, ParticipatingState


def rounds_for(user: AnyUser, *, format_code: str = "") -> QuerySet[NegotiationRound]:
    """The rounds `user` may see, newest first, of one format if `format_code` is given."""
    rounds = visible(NegotiationRound.objects.select_related("format"), user)
    if format_code:
        rounds = rounds.filter(format__code=format_code)
    return rounds.order_by("-starts_on", "-id")


def rounds_by_format(user: AnyUser, *, format_code: str = "") -> QuerySet[NegotiationRound]:
    """The same rounds ordered by format, newest first within each (for a grouped page)."""
    return rounds_for(user, format_code=format_code).order_by("format__code", "-starts_on", "-id")


def round_for(user: AnyUser, pk: int) -> NegotiationRound:
    """One round `user` may see, with its commitments; Http404 if missing or hidden."""
    return get_visible_or_404(
        NegotiationRound.objects.select_related("format").prefetch_related("commitments"),
        user, pk=pk)


def formats() -> QuerySet[NegotiationFormat]:
    """Every format in the registry (public reference data)."""
    return NegotiationFormat.objects.order_by("code")


@dataclass(frozen=True)
class ParticipantView:
    """A participant as shown: its name in the page's language, its role, and a State's code
    for a link to the registry's profile."""

    name: str
    role: str
    role_label: Any
    state: str
    is_exercise: bool


def participants_of(negotiation_round: NegotiationRound) -> list[ParticipantView]:
    """The round's participants in the order recorded, with names from the registry."""
    rows: list[dict[str, str]] = list(negotiation_round.participants or [])
    states = {s.iso2: s for s in ParticipatingState.objects.filter(
        iso2__in=[row.get("state", "") for row in rows if row.get("state")])}
    exercise = dict(Affiliation.objects.filter(
        code__in=[row.get("affiliation", "") for row in rows if row.get("affiliation")],
        is_exercise=True).values_list("code", "name"))
    labels = dict(FormatParticipant.Role.choices)
    views = []
    for row in rows:
        iso2 = row.get("state", "")
        code = row.get("affiliation", "")
        if iso2:
            name = states[iso2].name if iso2 in states else iso2
        elif code:
            name = exercise.get(code, code)
        else:
            name = row.get("name", "")
        role = row.get("role", "")
        views.append(ParticipantView(name=name, role=role, role_label=labels.get(role, role),
                                     state=iso2, is_exercise=bool(code)))
    return views
