"""Recording rounds and commitments: the format must be the registry's, participants default to
the format's, exercise rounds name exercise affiliations only, evidence paths lead to the
monitoring desk's pages and nowhere else, and only the mediators' side records."""

from __future__ import annotations

from datetime import date

import pytest

from hofburg.core.access import AccessDenied
from hofburg.core.errors import Invalid, NotFound
from hofburg.core.models import AuditEntry, Classification, Role, User
from hofburg.decisions.models import Commitment, NegotiationRound
from hofburg.decisions.services import rounds as services
from hofburg.registry.models import Chairmanship, ParticipatingState
from tests.decisions.samples_rounds import a_round, exercise_affiliations, make_formats

pytestmark = pytest.mark.django_db


@pytest.fixture
def formats(cast):
    return make_formats()


def commit(user, negotiation_round, **changes):
    fields = {"text": "Weapons withdrawn to 15 km.", "kind": "withdrawal_of_weapons"}
    fields.update(changes)
    return services.record_commitment(user, negotiation_round, services.CommitmentInput(**fields))


def test_a_field_operation_records_a_round_with_the_formats_participants(cast, formats):
    negotiation_round = a_round(cast.mona, documents=["Protocol of the round"])
    stored = NegotiationRound.objects.get(pk=negotiation_round.pk)
    assert stored.format.code == "five-plus-two"
    assert stored.owner_affiliation == cast.mission
    assert not stored.is_exercise
    assert stored.documents == ["Protocol of the round"]
    assert {"role": "side", "state": "MD", "name": ""} in stored.participants
    assert {"role": "observer", "state": "", "name": "European Union"} in stored.participants
    assert len(stored.participants) == 7
    assert AuditEntry.objects.filter(model_label="decisions.NegotiationRound",
                                     object_id=str(stored.pk), action="create").exists()


def test_named_participants_replace_the_default(cast, formats):
    negotiation_round = a_round(cast.mona, participants=[
        services.ParticipantInput(role="side", state="md"),
        services.ParticipantInput(role="mediator", name="OSCE")])
    assert negotiation_round.participants == [
        {"role": "side", "state": "MD", "name": ""},
        {"role": "mediator", "state": "", "name": "OSCE"}]


@pytest.mark.parametrize("code", ["", "no-such-format", "FIVE-PLUS-TWO"])
def test_the_format_must_be_in_the_registry(cast, formats, code):
    with pytest.raises(Invalid) as refused:
        a_round(cast.mona, format_code=code)
    assert refused.value.field == "format"
    assert not NegotiationRound.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"ends_on": date(2026, 3, 1)}, "ends_on"),
    ({"starts_on": date(1899, 12, 31), "ends_on": None}, "starts_on"),
    ({"place": "  "}, "place"),
    ({"place": "x" * 201}, "place"),
    ({"number": 0}, "number"),
    ({"date_precision": "month"}, "date_precision"),
    ({"date_precision": "year"}, "date_precision"),
    ({"documents": [" "]}, "documents"),
    ({"classification": "secret"}, "classification"),
    ({"participants": [services.ParticipantInput(role="host", state="MD")]}, "participants"),
    ({"participants": [services.ParticipantInput(role="side", state="XX")]}, "participants"),
    ({"participants": [services.ParticipantInput(role="side", state="MD", name="Moldova")]},
     "participants"),
    ({"participants": [services.ParticipantInput(role="side", affiliation="exercise-north")]},
     "participants"),
    ({"participants": [services.ParticipantInput(role="side", state="MD")] * 2}, "participants"),
])
def test_a_round_is_refused_with_the_field_and_nothing_stored(cast, formats, changes, field):
    exercise_affiliations()
    with pytest.raises(Invalid) as refused:
        a_round(cast.mona, **changes)
    assert refused.value.field == field
    assert not NegotiationRound.objects.exists()
    assert not AuditEntry.objects.filter(model_label="decisions.NegotiationRound").exists()


def test_a_month_only_round_starts_on_the_first_and_has_no_end(cast, formats):
    negotiation_round = a_round(cast.mona, starts_on=date(2011, 12, 1), ends_on=None,
                                date_precision="month")
    assert negotiation_round.date_precision == "month"


@pytest.mark.parametrize("who", ["alice", "carol", "nick"])
def test_other_delegations_readers_and_analysts_may_not_record(cast, formats, who):
    with pytest.raises(AccessDenied):
        a_round(getattr(cast, who))
    assert not NegotiationRound.objects.exists()


def test_a_secretariat_editor_records(cast, formats):
    cast.carol.roles = [Role.READER, Role.EDITOR]
    cast.carol.save()
    assert a_round(cast.carol).owner_affiliation == cast.cpc


def test_the_chairmanships_delegation_records_while_it_chairs(cast, formats, clock):
    # The cast's clock stands in January 2027.
    Chairmanship.objects.create(year=2027, state=ParticipatingState.objects.get(iso2="AT"),
                                source="test")
    assert a_round(cast.alice).owner_affiliation == cast.austria
    with pytest.raises(AccessDenied):
        a_round(cast.bob)


def test_an_exercise_editor_records_exercise_rounds_with_exercise_participants_only(cast, formats):
    affiliations = exercise_affiliations()
    editor = User.objects.create_user("ex", affiliation=affiliations["exercise-secretariat"],
                                      roles=[Role.READER, Role.EDITOR])
    negotiation_round = a_round(editor, format_code="exercise-talks")
    assert negotiation_round.is_exercise
    assert negotiation_round.participants == []  # the registry's participants are real
    named = a_round(editor, format_code="exercise-talks", participants=[
        services.ParticipantInput(role="side", affiliation="exercise-north"),
        services.ParticipantInput(role="side", affiliation="exercise-south")])
    assert [p["affiliation"] for p in named.participants] == ["exercise-north", "exercise-south"]
    for participant in (services.ParticipantInput(role="side", state="MD"),
                        services.ParticipantInput(role="side", name="OSCE"),
                        services.ParticipantInput(role="side", affiliation="delegation-at")):
        with pytest.raises(Invalid) as refused:
            a_round(editor, format_code="exercise-talks", participants=[participant])
        assert refused.value.field == "participants"


def test_a_commitment_is_recorded_with_its_evidence(cast, formats):
    negotiation_round = a_round(cast.mona)
    commitment = commit(cast.mona, negotiation_round, source="Protocol, point 2",
                        confidence="confirmed", evidence_path="/monitoring/reports/2026-03-04/")
    stored = Commitment.objects.get(pk=commitment.pk)
    assert (stored.round, stored.kind, stored.evidence_path, stored.confidence) == (
        negotiation_round, "withdrawal_of_weapons", "/monitoring/reports/2026-03-04/",
        "confirmed")
    assert AuditEntry.objects.filter(model_label="decisions.Commitment", action="create").exists()


@pytest.mark.parametrize("path", [
    "/monitoring/", "/monitoring/map/", "/monitoring/events/12/", "/monitoring/observations/3/",
    "/monitoring/reports/", "/monitoring/reports/2026-03-04/", "/monitoring/trends/",
    "/monitoring/reports/2026-03-04/pdf/",
])
def test_evidence_paths_of_monitoring_pages_are_accepted(path):
    assert services.check_evidence_path(path) == path


@pytest.mark.parametrize("path", [
    "https://evil.example/monitoring/map/", "//evil.example/monitoring/map/",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)//", " /monitoring/map/", "/monitoring/map/ ",
    "/monitoring/map/?next=//evil.example", "/monitoring/map/#x", "\\\\evil.example\\x",
    "/\\evil.example/", "/monitoring/%2e%2e/admin/", "/monitoring/reports/../../admin/",
    "/monitoring/reports/./", "/monitoring/reports/../", "/monitoring/map/\n",
    "/monitoring/map/\x00", "monitoring/map/", "/decisions/rounds/", "/registry/states/AT/",
    "/admin/", "/monitoring/nowhere/", "/monitoring/sw.js", "/monitoring/map/data.json",
    "/monitoring/map/layers.json", "/monitoring/events/1/publish/",
    "/monitoring/observations/1/verify/", "/monitoring/observations/submit/",
    "/api/v1/monitoring/events", "/monitoring/events/1/<script>/", "data:text/html,x",
    "/monitoring/" + "x/" * 200,
])
def test_hostile_or_foreign_evidence_paths_are_refused(cast, formats, path):
    negotiation_round = a_round(cast.mona)
    with pytest.raises(Invalid) as refused:
        commit(cast.mona, negotiation_round, evidence_path=path)
    assert refused.value.field == "evidence_path"
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"text": " "}, "text"),
    ({"kind": "promise"}, "kind"),
    ({"confidence": "certain", "source": "x"}, "confidence"),
    ({"confidence": "confirmed"}, "confidence"),
    ({"source": "s" * 501}, "source"),
])
def test_a_commitment_is_refused_with_the_field(cast, formats, changes, field):
    negotiation_round = a_round(cast.mona)
    with pytest.raises(Invalid) as refused:
        commit(cast.mona, negotiation_round, **changes)
    assert refused.value.field == field
    assert not Commitment.objects.exists()


def test_a_commitment_on_a_hidden_round_is_not_found_and_others_may_not_add(cast, formats):
    hidden = a_round(cast.mona, classification=Classification.CONFIDENTIAL)
    cast.carol.roles = [Role.READER, Role.EDITOR]
    cast.carol.save()
    with pytest.raises(NotFound):
        commit(cast.carol, hidden)
    visible = a_round(cast.mona)
    with pytest.raises(AccessDenied):
        commit(cast.alice, visible)
    assert commit(cast.carol, visible).round == visible
    assert Commitment.objects.count() == 1


def test_a_real_editor_may_not_add_to_an_exercise_round(cast, formats):
    affiliations = exercise_affiliations()
    editor = User.objects.create_user("ex", affiliation=affiliations["exercise-secretariat"],
                                      roles=[Role.READER, Role.EDITOR])
    exercise_round = a_round(editor, format_code="exercise-talks")
    with pytest.raises(AccessDenied):
        commit(cast.mona, exercise_round)
    real_round = a_round(cast.mona)
    with pytest.raises(AccessDenied):
        commit(editor, real_round)
