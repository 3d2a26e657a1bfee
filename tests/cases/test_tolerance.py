"""Tolerance and non-discrimination: the Personal Representatives' mandates as data, the tags
an analyst of the owner affiliation sets (and nobody else, and nothing inferred), statements on
intolerance recorded with their bounds, filtered, exported and logged. Who sees which
statement through every route is in the leak walk (test_access_leaks.py)."""

from __future__ import annotations

import typing
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

from hofburg.cases import api_statements
from hofburg.cases import statements as statement_pages
from hofburg.cases.engine import codes, mandates
from hofburg.cases.models import AccessLog, Incident, Statement
from hofburg.cases.services import tolerance
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Invalid
from hofburg.core.models import AuditEntry, Classification
from tests.cases.conftest import STATEMENT_MARKERS, Scene, Statements, verified_client

pytestmark = pytest.mark.django_db

MANDATES = ["antisemitism", "anti_muslim", "racism_xenophobia_christians_other_religions"]


def test_the_three_mandates_come_from_the_data_file_with_their_source() -> None:
    version = mandates.version()
    assert list(version.codes("mandates")) == MANDATES
    assert "osce.org/cio/121787" in version.source
    for code in version.codes("mandates").values():
        # Not in the domain reference, current appointments not checked: labelled so.
        assert code.confidence == "unconfirmed"
        assert code.extra["title"].startswith("Personal Representative on Combating")
        # The interface's translatable labels say what the file says.
        assert str(statement_pages.MANDATE_LABELS[code.code]) == code.label
    # The API's filters offer exactly the file's codes.
    assert list(typing.get_args(api_statements.Mandate))[1:] == MANDATES


def test_a_malformed_mandates_file_is_refused(tmp_path: Path) -> None:
    text = (mandates.DATA_DIR / "tolerance-mandates.yaml").read_text()
    data = yaml.safe_load(text)
    data["versions"][0]["mandates"][1]["confidence"] = "certain"
    broken = tmp_path / "tolerance-mandates.yaml"
    broken.write_text(yaml.safe_dump(data))
    with pytest.raises(codes.CodeListError, match="anti_muslim: confidence"):
        mandates.load(broken)


def test_nothing_tags_an_incident_from_its_bias_motivations(scene: Scene) -> None:
    # The scene's incidents record antisemitic and anti-Muslim bias: no mandate follows.
    biases = sorted(b for i in Incident.objects.all() for b in i.bias_motivations)
    assert biases == ["anti_muslim", "antisemitism"]
    assert [i.mandates for i in Incident.objects.all()] == [[], []]


def test_an_analyst_of_the_owner_affiliation_tags_an_incident(scene: Scene) -> None:
    incident = scene.restricted_incident
    tolerance.tag_incident_mandates(scene.gina, incident, ["anti_muslim", "antisemitism"])
    incident.refresh_from_db()
    assert incident.mandates == ["antisemitism", "anti_muslim"]  # the file's order
    entry = AuditEntry.objects.filter(action="tag").get()
    assert entry.before == {"mandates": []}
    assert entry.after == {"mandates": ["antisemitism", "anti_muslim"]}
    # The same tags again store nothing new.
    tolerance.tag_incident_mandates(scene.gina, incident, ["antisemitism", "anti_muslim"])
    assert AuditEntry.objects.filter(action="tag").count() == 1


def test_nobody_else_tags_and_a_refusal_changes_nothing(scene: Scene) -> None:
    incident = scene.restricted_incident
    for who in (scene.erin, scene.cast.bob):  # an editor of the owner; another affiliation
        with pytest.raises(AccessDenied):
            tolerance.tag_incident_mandates(who, incident, ["antisemitism"])
    with pytest.raises(Invalid) as refused:
        tolerance.tag_incident_mandates(scene.gina, incident, ["antisemitism", "roma"])
    assert refused.value.field == "mandates" and "roma" in refused.value.message
    incident.refresh_from_db()
    assert incident.mandates == []


def _record(scene: Scene, **change: object) -> Statement:
    values: dict[str, object] = {
        "made_on": date(2024, 11, 16), "speaker": "Exercise Forum (EXERCISE)",
        "title": "EXERCISE statement", "text": "EXERCISE text", "language": "en",
        "source_url": "https://example.org/s", "mandates": ("antisemitism",),
        "classification": Classification.PUBLIC, **change}
    return tolerance.record_statement(scene.gina, tolerance.StatementRecord(**values))  # type: ignore[arg-type]


@pytest.mark.parametrize(("change", "field"), [
    ({"language": "english"}, "language"),
    ({"made_on": timezone.localdate() + timedelta(days=1)}, "made_on"),
    ({"source_url": "javascript:alert(1)"}, "source_url"),
    ({"title": " "}, "title"),
    ({"text": "x" * 100_001}, "text"),
    ({"mandates": ("tolerance",)}, "mandates"),
    ({"classification": "secret"}, "classification"),
])
def test_a_bad_statement_is_refused_naming_the_field(
        scene: Scene, change: dict[str, object], field: str) -> None:
    with pytest.raises(Invalid) as refused:
        _record(scene, **change)
    assert refused.value.field == field
    assert Statement.objects.count() == 0


def test_a_hidden_incident_is_refused_like_a_missing_one(scene: Scene) -> None:
    """bob may not see the confidential incident: naming it reads as naming none."""
    from hofburg.core.models import Role

    scene.cast.bob.roles = [Role.READER, Role.ANALYST]
    scene.cast.bob.save()

    def refusal(incident_id: str) -> str:
        with pytest.raises(Invalid) as refused:
            tolerance.record_statement(scene.cast.bob, tolerance.StatementRecord(
                made_on=date(2024, 1, 1), speaker="s", title="t", text="x", language="en",
                incident_ids=(incident_id,)))
        return refused.value.message.replace(incident_id, "ID")

    assert refusal(scene.confidential_incident.incident_id) == refusal("HC-000000000000")
    assert Statement.objects.count() == 0


def test_only_analysts_record_statements_and_a_retry_stores_nothing_new(scene: Scene) -> None:
    with pytest.raises(AccessDenied):
        tolerance.record_statement(scene.erin, tolerance.StatementRecord(
            made_on=date(2024, 1, 1), speaker="s", title="t", text="x", language="en"))
    first = _record(scene, incident_ids=(scene.restricted_incident.incident_id,))
    again = _record(scene, incident_ids=(scene.restricted_incident.incident_id,))
    assert again.pk == first.pk and Statement.objects.count() == 1
    other = _record(scene, mandates=("anti_muslim",))
    assert other.pk != first.pk
    assert first.owner_affiliation_id == scene.cast.cpc.pk
    assert list(first.incidents.values_list("incident_id", flat=True)) == [
        scene.restricted_incident.incident_id]


def test_statements_filter_by_mandate_language_and_year(statements: Statements) -> None:
    client = verified_client(statements.scene.cast.carol)
    page = client.get("/cases/tolerance/statements/", {"mandate": "antisemitism"})
    body = page.content.decode()
    assert page.status_code == 200 and "1 statement" in body
    assert STATEMENT_MARKERS["public"] in body and STATEMENT_MARKERS["restricted"] not in body
    by_language = client.get("/api/v1/cases/statements", {"language": "fr"}).json()
    assert [i["statement_id"] for i in by_language["items"]] == [
        statements.restricted.statement_id]
    by_year = client.get("/api/v1/cases/statements", {"year": 2024}).json()
    assert by_year["count"] == 2
    assert [i["made_on"] for i in by_year["items"]] == ["2024-11-16", "2024-02-01"]
    bad = client.get("/cases/tolerance/statements/", {"mandate": "roma"})
    assert bad.status_code == 400 and "errors" in bad.content.decode()
    assert client.get("/api/v1/cases/statements", {"mandate": "roma"}).status_code == 422


def test_the_csv_goes_through_the_export_helper_and_is_logged(statements: Statements) -> None:
    statements.public.title = "=HYPERLINK(\"http://example.org\")"
    statements.public.save()
    client = verified_client(None)
    download = client.get("/cases/tolerance/statements/", {"format": "csv"})
    assert download["Content-Disposition"] == 'attachment; filename="statements.csv"'
    text = download.content.decode()
    assert "'=HYPERLINK" in text  # defused by core.tables, as every export
    entry = AccessLog.objects.get(action="export", record_type="statement")
    assert (entry.user_label, entry.count, entry.channel) == ("anonymous", 1, "page")


def test_the_statement_page_tags_for_the_owner_s_analyst_only(statements: Statements) -> None:
    s = statements.scene
    target = f"/cases/tolerance/statements/{statements.public.statement_id}/"
    analyst = verified_client(s.gina)
    assert 'name="mandates"' in analyst.get(target).content.decode()
    done = analyst.post(target, {"mandates": ["anti_muslim", "antisemitism"]})
    assert done.status_code == 302
    statements.public.refresh_from_db()
    assert statements.public.mandates == ["antisemitism", "anti_muslim"]
    for who in (s.erin, s.cast.bob, None):
        client = verified_client(who)
        assert 'name="mandates"' not in client.get(target).content.decode()
        assert client.post(target, {"mandates": []}).status_code == 403
    statements.public.refresh_from_db()
    assert statements.public.mandates == ["antisemitism", "anti_muslim"]
    hidden = f"/cases/tolerance/statements/{statements.confidential.statement_id}/"
    assert verified_client(s.cast.bob).post(hidden, {"mandates": []}).status_code == 404


def test_the_incident_mandates_page(statements: Statements) -> None:
    s = statements.scene
    restricted = f"/cases/hate-crime/incidents/{s.restricted_incident.incident_id}/mandates/"
    confidential = f"/cases/hate-crime/incidents/{s.confidential_incident.incident_id}/mandates/"
    analyst = verified_client(s.cast.carol)
    page = analyst.get(restricted)
    assert page.status_code == 200
    assert STATEMENT_MARKERS["restricted"] in page.content.decode()  # the linked statement
    assert analyst.post(restricted, {"mandates": ["anti_muslim"]}).status_code == 302
    s.restricted_incident.refresh_from_db()
    assert s.restricted_incident.mandates == ["anti_muslim"]
    refused = analyst.post(restricted, {"mandates": ["roma"]})
    assert refused.status_code == 400 and "errors" in refused.content.decode()
    bob = verified_client(s.cast.bob)
    assert 'name="mandates"' not in bob.get(restricted).content.decode()
    assert bob.post(restricted, {"mandates": []}).status_code == 403
    assert bob.get(confidential).status_code == 404
    assert verified_client(None).get(restricted).status_code == 404
    s.restricted_incident.refresh_from_db()
    assert s.restricted_incident.mandates == ["anti_muslim"]
    # The mandate shows on the incident and filters the incidents, on the page and the API.
    api = analyst.get("/api/v1/cases/incidents", {"mandate": "anti_muslim"}).json()
    assert [(i["incident_id"], i["mandates"]) for i in api["items"]] == [
        (s.restricted_incident.incident_id, "anti_muslim")]
    listing = analyst.get("/cases/hate-crime/incidents/", {"mandate": "anti_muslim"})
    assert "1 incident" in listing.content.decode()


def test_recording_a_statement_on_the_page(scene: Scene) -> None:
    client = verified_client(scene.gina)
    form = {"made_on": "2024-11-16", "speaker": "Exercise Forum (EXERCISE)",
            "title": "EXERCISE page statement", "text": "EXERCISE text", "language": "EN",
            "source_url": "https://example.org/p", "mandates": ["anti_muslim"],
            "incidents": scene.restricted_incident.incident_id,
            "classification": "restricted"}
    assert client.get("/cases/tolerance/statements/new/").status_code == 200
    first = client.post("/cases/tolerance/statements/new/", form)
    assert first.status_code == 302
    again = client.post("/cases/tolerance/statements/new/", form)
    assert again["Location"] == first["Location"] and Statement.objects.count() == 1
    made = Statement.objects.get()
    assert (made.language, made.mandates, made.classification) == (
        "en", ["anti_muslim"], "restricted")
    bad = client.post("/cases/tolerance/statements/new/",
                      {**form, "incidents": "HC-000000000000", "title": "another"})
    assert bad.status_code == 400 and "no incident HC-000000000000" in bad.content.decode()
    assert Statement.objects.count() == 1
    assert verified_client(scene.erin).get("/cases/tolerance/statements/new/").status_code == 403


def test_linking_a_statement_to_more_incidents(statements: Statements) -> None:
    """The owner affiliation's analyst adds links; a repeat stores nothing; a hidden incident is
    refused like a missing one; nobody else links."""
    s = statements.scene
    statement = statements.confidential  # linked to no incident yet
    target = f"/cases/tolerance/statements/{statement.statement_id}/incidents/"
    analyst = verified_client(s.gina)
    assert "Link to more incidents" in analyst.get(
        f"/cases/tolerance/statements/{statement.statement_id}/").content.decode()
    done = analyst.post(target, {"incidents": f"{s.restricted_incident.incident_id}, "
                                              f"{s.confidential_incident.incident_id}"})
    assert done.status_code == 302 and done["Location"] == target
    assert set(statement.incidents.values_list("incident_id", flat=True)) == {
        s.restricted_incident.incident_id, s.confidential_incident.incident_id}
    audits = AuditEntry.objects.filter(action="link").count()
    assert audits == 1
    again = analyst.post(target, {"incidents": s.restricted_incident.incident_id})
    assert again.status_code == 302
    assert AuditEntry.objects.filter(action="link").count() == audits
    assert statement.incidents.count() == 2
    page = analyst.get(target)
    assert s.confidential_incident.incident_id in page.content.decode()
    refused = analyst.post(target, {"incidents": "HI-000000000000"})
    assert refused.status_code == 400
    assert "no incident HI-000000000000" in refused.content.decode()
    assert 'value="HI-000000000000"' in refused.content.decode()  # what was typed is kept
    assert statement.incidents.count() == 2
    editor = verified_client(s.erin)  # of the owner affiliation, but not an analyst
    assert editor.get(target).status_code == 200
    assert 'name="incidents"' not in editor.get(target).content.decode()
    assert editor.post(target, {"incidents": "x"}).status_code == 403
    bob = verified_client(s.cast.bob)
    assert bob.get(target).status_code == 404  # the statement is confidential
    assert bob.post(target, {"incidents": "x"}).status_code == 404


def test_removing_a_link_from_the_page(statements: Statements) -> None:
    """The owner affiliation's analyst removes one link with the button beside it; the
    incident stays; a repeat stores nothing; a hidden or unknown incident is refused like a
    missing one, beside the list; nobody else removes a link."""
    s = statements.scene
    statement = statements.confidential
    target = f"/cases/tolerance/statements/{statement.statement_id}/incidents/"
    kept, dropped = s.restricted_incident.incident_id, s.confidential_incident.incident_id
    tolerance.link_statement_incidents(s.gina, statement, [kept, dropped])
    analyst = verified_client(s.gina)
    page = analyst.get(target).content.decode()
    assert f'name="remove" value="{dropped}"' in page
    assert f'aria-label="Remove the link to {dropped}"' in page
    done = analyst.post(target, {"remove": dropped})
    assert done.status_code == 302 and done["Location"] == target
    assert list(statement.incidents.values_list("incident_id", flat=True)) == [kept]
    assert Incident.objects.filter(incident_id=dropped).exists()  # the incident stays
    entry = AuditEntry.objects.get(action="unlink")
    assert entry.before == {"incidents": sorted([kept, dropped])}
    assert entry.after == {"incidents": [kept]} and entry.actor_id == s.gina.pk
    assert analyst.post(target, {"remove": dropped}).status_code == 302  # not linked: nothing
    assert AuditEntry.objects.filter(action="unlink").count() == 1
    refused = analyst.post(target, {"remove": "HI-000000000000"})
    assert refused.status_code == 400
    assert "no incident HI-000000000000" in refused.content.decode()
    assert statement.incidents.count() == 1
    editor = verified_client(s.erin)  # of the owner affiliation, but not an analyst
    assert 'name="remove"' not in editor.get(target).content.decode()
    assert editor.post(target, {"remove": kept}).status_code == 403
    assert verified_client(s.cast.bob).post(target, {"remove": kept}).status_code == 404
    assert statement.incidents.count() == 1 and AuditEntry.objects.filter(
        action="unlink").count() == 1


def test_removing_a_link_refuses_an_incident_the_analyst_may_not_see(
        statements: Statements) -> None:
    s = statements.scene
    from hofburg.core.models import Role, User

    outsider = User.objects.create_user("olga", affiliation=s.cast.finland,
                                        roles=[Role.READER, Role.ANALYST])
    own = tolerance.record_statement(outsider, tolerance.StatementRecord(
        made_on=date(2024, 1, 2), speaker="Exercise Speaker (EXERCISE)", title="t", text="x",
        language="en", classification=Classification.RESTRICTED))
    with pytest.raises(Invalid) as refused:
        tolerance.unlink_statement_incident(outsider, own, s.confidential_incident.incident_id)
    with pytest.raises(Invalid) as missing:
        tolerance.unlink_statement_incident(outsider, own, "HI-000000000000")
    assert str(refused.value.message).replace(s.confidential_incident.incident_id, "ID") == \
        str(missing.value.message).replace("HI-000000000000", "ID")
    with pytest.raises(Invalid):
        tolerance.unlink_statement_incident(outsider, own, "  ")
    with pytest.raises(AccessDenied):
        tolerance.unlink_statement_incident(s.erin, statements.confidential,
                                            s.restricted_incident.incident_id)
    assert AuditEntry.objects.filter(action="unlink").count() == 0


def test_linking_refuses_an_incident_the_analyst_may_not_see(statements: Statements) -> None:
    s = statements.scene
    from hofburg.core.models import Role, User

    outsider = User.objects.create_user("olga", affiliation=s.cast.finland,
                                        roles=[Role.READER, Role.ANALYST])
    own = tolerance.record_statement(outsider, tolerance.StatementRecord(
        made_on=date(2024, 1, 2), speaker="Exercise Speaker (EXERCISE)", title="t", text="x",
        language="en", classification=Classification.RESTRICTED))
    with pytest.raises(Invalid) as refused:
        tolerance.link_statement_incidents(outsider, own,
                                           [s.confidential_incident.incident_id])
    with pytest.raises(Invalid) as missing:
        tolerance.link_statement_incidents(outsider, own, ["HI-000000000000"])
    assert str(refused.value.message).replace(s.confidential_incident.incident_id, "ID") == \
        str(missing.value.message).replace("HI-000000000000", "ID")
    assert own.incidents.count() == 0
    with pytest.raises(AccessDenied):
        tolerance.link_statement_incidents(s.erin, own, [s.restricted_incident.incident_id])
