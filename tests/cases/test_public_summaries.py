"""An incident's public summary (decision 0065): written by an analyst of the owner affiliation
for an incident against people, through the service, the incident's page and the API, audited;
published beside the hate-crime table by the command and shown by the preview, only for the
released incidents whose counts the table shows, with the whitelisted fields only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hofburg.cases import queries
from hofburg.cases.engine.publication import MAX_PUBLIC_SUMMARY
from hofburg.cases.models import AccessLog, Incident
from hofburg.cases.services import hatecrime
from hofburg.cli import app
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Invalid
from hofburg.core.models import AuditEntry, Role, User
from tests.cases.calls import problem
from tests.cases.conftest import verified_client
from tests.cases.tokens import bearer
from tests.conftest import Cast

HEADER = ("reporting_year,country,date,incident_type,bias_motivations,source_org,source_kind,"
          "description\n")
ACCOUNT, SOURCE = "account-marker-never-published", "source-marker-never-published"
SUMMARY = "A man wearing a kippah was punched at a tram stop."


def _release(cast: Cast, count: int, kind: str, bias: str, *, day: str = "2024-03-05",
             stage: str = "published") -> list[Incident]:
    before = set(Incident.objects.values_list("pk", flat=True))
    rows = "".join(f"2024,XE,{day},{kind},{bias},{SOURCE},cso,{ACCOUNT}\n" for _ in range(count))
    hatecrime.import_incidents(cast.alice, (HEADER + rows).encode())
    made = list(Incident.objects.exclude(pk__in=before).order_by("incident_id"))
    for incident in made:
        hatecrime.screen_incident(cast.alice, incident, "included")
        hatecrime.advance_incident(cast.alice, incident, "consultation")
        if stage == "published":
            hatecrime.advance_incident(cast.alice, incident, "published")
    return made


@pytest.fixture
def ana(cast: Cast) -> User:
    """An analyst of the affiliation that owns the incidents (alice's)."""
    return User.objects.create_user("ana", affiliation=cast.austria,
                                    roles=[Role.READER, Role.ANALYST])


def _summaries() -> int:
    return AuditEntry.objects.filter(action="summary").count()


def test_the_owner_analyst_writes_it_for_people_only_and_every_change_is_audited(
        cast: Cast, ana: User) -> None:
    person = _release(cast, 1, "physical_assault", "antisemitism")[0]
    hatecrime.set_public_summary(ana, person, f"  {SUMMARY}\n")
    assert Incident.objects.get(pk=person.pk).public_summary == SUMMARY
    entry = AuditEntry.objects.get(action="summary")
    assert entry.actor_id == ana.pk and entry.before == {"public_summary": ""}
    assert entry.after == {"public_summary": SUMMARY, "stage": "published"}
    hatecrime.set_public_summary(ana, person, SUMMARY)  # the same text stores nothing
    assert _summaries() == 1
    # Published already: a correction is allowed and audited; empty withdraws it.
    hatecrime.set_public_summary(ana, person, "")
    assert Incident.objects.get(pk=person.pk).public_summary == "" and _summaries() == 2
    for who in (cast.alice, cast.bob, cast.carol):  # an editor, another affiliation's people
        with pytest.raises(AccessDenied):
            hatecrime.set_public_summary(who, person, SUMMARY)
    with pytest.raises(Invalid) as refused:
        hatecrime.set_public_summary(ana, person, "x" * (MAX_PUBLIC_SUMMARY + 1))
    assert refused.value.field == "public_summary"
    wall = _release(cast, 1, "graffiti", "antisemitism")[0]
    with pytest.raises(Invalid, match="property"):
        hatecrime.set_public_summary(ana, wall, "Graffiti on a wall.")
    assert _summaries() == 2 and not Incident.objects.exclude(public_summary="").exists()


def _publish(tmp_path: Path, *extra: str) -> tuple[Any, Path]:
    target = tmp_path / "described.csv"
    result = CliRunner().invoke(app, ["cases", "publish", "--dataset", "hate-crime-incidents",
                                      "--year", "2024", *extra, "-o", str(target)])
    return result, target


def test_the_command_publishes_whitelisted_descriptions_of_shown_counts(
        cast: Cast, ana: User, tmp_path: Path) -> None:
    assaults = _release(cast, 13, "physical_assault", "antisemitism")
    hatecrime.set_public_summary(ana, assaults[0], SUMMARY)
    # anti_roma_sinti (12) is the second suppressed cell beside anti_muslim (3): neither described.
    _release(cast, 12, "threats", "anti_roma_sinti")
    small = _release(cast, 3, "threats", "anti_muslim", day="2024-06-01")
    hatecrime.set_public_summary(ana, small[0], "A woman was threatened outside a mosque.")
    waiting = _release(cast, 1, "physical_assault", "antisemitism", stage="consultation")
    hatecrime.set_public_summary(ana, waiting[0], "Not yet published.")
    result, target = _publish(tmp_path)
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.strip().splitlines() == [
        "state,year,bias_motivation,month,incident_type,bias_motivations,public_summary,"
        "is_exercise",
        f"XE,2024,antisemitism,2024-03,physical_assault,antisemitism,{SUMMARY},false"]
    for never in (ACCOUNT, SOURCE, "mosque", "Not yet published", "2024-03-05",
                  *[i.incident_id for i in Incident.objects.all()]):
        assert never not in text
    entry = AccessLog.objects.get(action="publish")
    assert entry.count == 1 and "public_summary" in entry.fields and "description" not in \
        entry.fields
    # Exercise and real never mix.
    exercise, exercise_target = _publish(tmp_path, "--exercise")
    assert exercise.exit_code == 0 and "EXERCISE" in exercise.output
    assert len(exercise_target.read_text().strip().splitlines()) == 1
    Incident.objects.update(is_exercise=True)
    assert _publish(tmp_path)[1].read_text().strip().count("\n") == 0
    exercise, exercise_target = _publish(tmp_path, "--exercise")
    assert exercise_target.read_text().strip().splitlines()[1].endswith(f"{SUMMARY},true")


def test_the_incident_page_writes_it_and_refuses_beside_the_field(cast: Cast, ana: User) -> None:
    person = _release(cast, 1, "physical_assault", "antisemitism")[0]
    wall = _release(cast, 1, "graffiti", "antisemitism")[0]
    page = f"/cases/hate-crime/incidents/{person.incident_id}/"
    client = verified_client(ana)
    assert 'name="public_summary"' in client.get(page).content.decode()
    wall_page = f"/cases/hate-crime/incidents/{wall.incident_id}/"
    assert 'name="public_summary"' not in client.get(wall_page).content.decode()
    assert client.post(page + "summary/", {"public_summary": SUMMARY}).status_code == 302
    assert Incident.objects.get(pk=person.pk).public_summary == SUMMARY
    assert SUMMARY in client.get(page).content.decode()
    too_long = "y" * (MAX_PUBLIC_SUMMARY + 1)
    refused = client.post(page + "summary/", {"public_summary": too_long})
    assert refused.status_code == 400 and too_long in refused.content.decode()
    assert Incident.objects.get(pk=person.pk).public_summary == SUMMARY
    refused = client.post(wall_page + "summary/", {"public_summary": "Graffiti."})
    assert refused.status_code == 400 and "property" in refused.content.decode()
    assert Incident.objects.get(pk=wall.pk).public_summary == ""
    editor = verified_client(cast.alice)
    assert 'name="public_summary"' not in editor.get(page).content.decode()
    assert editor.post(page + "summary/", {"public_summary": "x"}).status_code == 403
    other = verified_client(cast.bob)
    assert other.post(page + "summary/", {"public_summary": "x"}).status_code == 404
    assert other.post("/cases/hate-crime/incidents/HC-000000000000/summary/",
                      {"public_summary": "x"}).status_code == 404
    assert _summaries() == 1


def test_the_preview_shows_the_descriptions_of_what_the_viewer_may_see(
        cast: Cast, ana: User) -> None:
    assaults = _release(cast, 11, "physical_assault", "antisemitism", stage="consultation")
    hatecrime.set_public_summary(ana, assaults[0], SUMMARY)
    shown = verified_client(cast.alice).get("/cases/hate-crime/publication/?year=2024")
    assert shown.status_code == 200 and SUMMARY in shown.content.decode()
    # What it shows is not the command's file (incidents in consultation, as far as the viewer
    # may see), and the page says so above the table.
    assert "This preview is not the published table." in shown.content.decode()
    assert queries.preview_hate_crime_descriptions(cast.alice, 2024, 11)[0][6] == SUMMARY
    assert queries.public_hate_crime_descriptions(2024, 11) == []  # not yet published
    hidden = verified_client(cast.bob).get("/cases/hate-crime/publication/?year=2024")
    assert hidden.status_code == 200 and SUMMARY not in hidden.content.decode()
    exercise = verified_client(cast.alice).get(
        "/cases/hate-crime/publication/?year=2024&exercise=on")
    assert SUMMARY not in exercise.content.decode()


def _post(headers: dict[str, str], incident_id: str, body: Any, key: str | None = None) -> Any:
    from django.test import Client

    extra = {**headers, **({"HTTP_IDEMPOTENCY_KEY": key} if key else {})}
    return Client().post(f"/api/v1/cases/incidents/{incident_id}/public-summary",
                         json.dumps(body), content_type="application/json", **extra)


def test_the_api_writes_it_once_under_a_key_and_refuses_as_problems(
        cast: Cast, ana: User) -> None:
    person = _release(cast, 1, "physical_assault", "antisemitism")[0]
    wall = _release(cast, 1, "graffiti", "antisemitism")[0]
    token = bearer(ana)
    written = _post(token, person.incident_id, {"public_summary": SUMMARY}, key="s-1")
    assert written.status_code == 200, written.content
    assert written.json() == {"incident_id": person.incident_id, "public_summary": SUMMARY}
    again = _post(token, person.incident_id, {"public_summary": SUMMARY}, key="s-1")
    assert again.json() == written.json() and _summaries() == 1
    problem(_post(token, person.incident_id, {"public_summary": "other"}, key="s-1"), 409)
    problem(_post(token, person.incident_id,
                   {"public_summary": "z" * (MAX_PUBLIC_SUMMARY + 1)}), 422, "public_summary")
    problem(_post(token, wall.incident_id, {"public_summary": "Graffiti."}), 422,
             "public_summary")
    problem(_post(bearer(cast.alice), person.incident_id, {"public_summary": "x"}), 403)
    hidden = _post(bearer(cast.bob), person.incident_id, {"public_summary": "x"})
    missing = _post(bearer(cast.bob), "HC-000000000000", {"public_summary": "x"})
    assert hidden.status_code == missing.status_code == 404
    assert _post({}, person.incident_id, {"public_summary": "x"}).status_code == 401
    assert Incident.objects.get(pk=person.pk).public_summary == SUMMARY and _summaries() == 1


def test_a_summary_copying_the_account_or_naming_the_source_is_refused_unstored(
        cast: Cast, ana: User) -> None:
    account = ("Two men followed the victim from the prayer house to the tram stop and pushed "
               "her to the ground")
    hatecrime.import_incidents(cast.alice, (
        f"{HEADER}2024,XE,2024-03-05,physical_assault,anti_muslim,Tram Line Watch,cso,"
        f"{account}\n").encode())
    incident = Incident.objects.get()
    token = bearer(ana)
    copied = problem(_post(token, incident.incident_id, {
        "public_summary": "In March two men followed the victim from the prayer house to the "
                          "tram stop."}), 422, "public_summary")
    named = problem(_post(token, incident.incident_id, {
        "public_summary": "A woman was pushed to the ground (reported by Tram Line Watch)."}),
        422, "public_summary")
    assert "account" in copied["detail"] and "source" in named["detail"]
    # The refusal says why without repeating the sealed text.
    assert "prayer" not in json.dumps(copied) and "Tram" not in json.dumps(named)
    assert Incident.objects.get().public_summary == "" and _summaries() == 0
    # The same facts in words of the analyst's own are accepted.
    own = "In March a woman in a headscarf was followed and pushed over near a place of worship."
    hatecrime.set_public_summary(ana, incident, own)
    assert Incident.objects.get().public_summary == own
