"""A little negotiation-round data for the decisions desk's tests and the schemathesis run.

The formats here stand in for the registry's (the real file is loaded only where a test needs
it, by the demo tests); `exercise-talks` is a fictional format for exercise rounds.
"""

from __future__ import annotations

from datetime import date

from hofburg.core.models import Affiliation, Classification, User
from hofburg.decisions.models import NegotiationRound
from hofburg.decisions.services import rounds as services
from hofburg.registry.models import (
    Conflict,
    FormatParticipant,
    NegotiationFormat,
    ParticipatingState,
)

STATES = (("AT", "AUT", "040", "Austria"), ("FI", "FIN", "246", "Finland"),
          ("MD", "MDA", "498", "Moldova"), ("RU", "RUS", "643", "Russia"),
          ("UA", "UKR", "804", "Ukraine"), ("US", "USA", "840", "United States"))


def ensure_states() -> dict[str, ParticipatingState]:
    states = {}
    for iso2, iso3, numeric, name in STATES:
        states[iso2], _created = ParticipatingState.objects.get_or_create(
            iso2=iso2, defaults={"iso3": iso3, "numeric": numeric, "joined": date(1973, 6, 25),
                                 "names": {"en": name}, "source": "test"})
    return states


def make_formats() -> dict[str, NegotiationFormat]:
    """The 5+2 format with its participants as the registry has them, and a fictional format."""
    states = ensure_states()
    conflict = Conflict.objects.create(code="transdniestria", names={"en": "Transdniestria"},
                                       source="test")
    five = NegotiationFormat.objects.create(
        code="five-plus-two", conflict=conflict, names={"en": "5+2"}, source="test",
        is_osce_body=False)
    for state, name, role in (("MD", "", "side"), ("", "Transdniestria", "side"),
                              ("", "OSCE", "mediator"), ("RU", "", "mediator"),
                              ("UA", "", "mediator"), ("", "European Union", "observer"),
                              ("US", "", "observer")):
        FormatParticipant.objects.create(format=five, state=states.get(state), name=name,
                                         role=role)
    fictional = Conflict.objects.create(code="exercise-conflict", names={"en": "EXERCISE"},
                                        source="test")
    exercise = NegotiationFormat.objects.create(
        code="exercise-talks", conflict=fictional, names={"en": "EXERCISE talks"},
        source="test")
    return {"five-plus-two": five, "exercise-talks": exercise}


def exercise_affiliations() -> dict[str, Affiliation]:
    return {code: Affiliation.objects.get_or_create(
        code=code, defaults={"name": code, "kind": kind, "is_exercise": True})[0]
        for code, kind in (("exercise-north", Affiliation.Kind.DELEGATION),
                           ("exercise-south", Affiliation.Kind.DELEGATION),
                           ("exercise-secretariat", Affiliation.Kind.SECRETARIAT_UNIT))}


def a_round(user: User, **changes: object) -> NegotiationRound:
    """A round of the 5+2 format recorded by `user` (changes override the defaults)."""
    fields: dict[str, object] = {
        "format_code": "five-plus-two", "number": None, "starts_on": date(2026, 3, 2),
        "ends_on": date(2026, 3, 3), "place": "Vienna", "classification": Classification.PUBLIC}
    fields.update(changes)
    return services.record_round(user, services.RoundInput(**fields))  # type: ignore[arg-type]


def store_rounds_sample(user: User) -> NegotiationRound:
    """For the schemathesis run: the formats, a public round with a commitment, by `user`, an
    editor of a Secretariat unit or field operation."""
    make_formats()
    negotiation_round = a_round(user)
    services.record_commitment(user, negotiation_round, services.CommitmentInput(
        text="EXERCISE: weapons withdrawn to the agreed lines.", kind="withdrawal_of_weapons",
        evidence_path="/monitoring/map/"))
    return negotiation_round
