"""The desk's test scene: a person in the vault, their cases at every classification, and the
cast of the leak walk — anonymous, another affiliation (bob), the owner affiliation without a
grant (carol), with a restricted grant (gina) and the editor who recorded the person (erin,
strictly-confidential grant).

Signed-in clients have passed the second factor (`verified_client`); the two-factor flow
itself is tested in test_two_factor.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from hofburg.cases.models import Alert, Grant, Incident, Person, PrisonerCase
from hofburg.cases.services import hatecrime, media, persons, prisoners
from hofburg.core.models import Classification, Role, User
from tests.conftest import PASSWORD, Cast

SECRET = {
    "name": "Zebulon Quixotic-Secretname",
    "contacts": "zq-hidden-contact@example.org",
    "identity_number": "QX-998877-SECRET",
    "medical": "marker-medical-condition-zq",
}
OTHER_NAME = "Ottilie Confidential-Nameless"


@pytest.fixture(autouse=True)
def _vault_keys(settings: Any, tmp_path: Path) -> Path:
    """Each test seals with keys of its own, in a file of its own."""
    settings.CASES_KEYS = ""
    settings.CASES_KEY_FILE = tmp_path / "cases.keys"
    return tmp_path / "cases.keys"


def verified_client(user: User | None) -> Client:
    """A client signed in as `user` who has passed the second factor (anonymous for None)."""
    client = Client()
    if user is None:
        return client
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@dataclass
class Scene:
    cast: Cast
    erin: User
    gina: User
    person: Person
    other: Person
    public_case: PrisonerCase
    restricted_case: PrisonerCase
    confidential_case: PrisonerCase
    released_case: PrisonerCase
    confidential_incident: Incident
    restricted_incident: Incident
    public_alert: Alert
    confidential_alert: Alert


@pytest.fixture
def scene(cast: Cast) -> Scene:
    erin = User.objects.create_user("erin", password=PASSWORD, affiliation=cast.cpc,
                                    roles=[Role.READER, Role.EDITOR])
    gina = User.objects.create_user("gina", password=PASSWORD, affiliation=cast.cpc,
                                    roles=[Role.READER, Role.ANALYST])
    person, _ = persons.create_person(erin, owner=cast.cpc, vault_values=SECRET,
                                      birth_date="1980-05-04")
    other, _ = persons.create_person(erin, owner=cast.cpc, vault_values={"name": OTHER_NAME})
    persons.grant_access(erin, person, gina, Grant.Level.RESTRICTED)

    def case(who: Person, level: str, start: date, end: date | None = None) -> PrisonerCase:
        made = prisoners.create_prisoner_case(erin, who, jurisdiction="XE", articles=["ECC 130"],
                                              charges="charges-marker", case_number="N-1",
                                              classification=level)
        prisoners.add_detention_episode(erin, made, kind="pre_trial", start=start, end=end,
                                        facility="facility-marker")
        return made

    public_case = case(person, Classification.PUBLIC, date(2024, 1, 10))
    restricted_case = case(person, Classification.RESTRICTED, date(2024, 2, 10))
    confidential_case = case(other, Classification.CONFIDENTIAL, date(2024, 3, 10))
    released_case = case(other, Classification.RESTRICTED, date(2024, 3, 10), date(2024, 6, 1))
    prisoners.add_condition_report(erin, restricted_case, reported_on=date(2024, 5, 1),
                                   text="conditions-marker-beaten")
    prisoners.add_recognition(erin, public_case, organisations=["Exercise Rights Centre"],
                              criteria=["a"], recognised_on=date(2024, 4, 1))
    header = "reporting_year,country,date,incident_type,bias_motivations,source_org,source_kind," \
        "description\n"
    hatecrime.import_incidents(erin, (header + "2024,XE,,arson,anti_muslim,"
                                      "incident-source-marker,cso,incident-desc-marker\n").encode())
    confidential_incident = Incident.objects.get()
    hatecrime.import_incidents(erin, (header + "2024,XE,,threats,antisemitism,"
                                      "incident-source-marker,cso,incident-desc-marker\n").encode(),
                               classification=Classification.RESTRICTED)
    restricted_incident = Incident.objects.exclude(pk=confidential_incident.pk).get()
    hatecrime.screen_incident(erin, confidential_incident, "included")
    hatecrime.advance_incident(erin, confidential_incident, "consultation")
    def alert(level: str, who: Person | None) -> Alert:
        return media.create_alert(erin, media.AlertRecord(
            country="XE", submitted_on=date(2024, 6, 1), occurred_on=date(2024, 5, 30),
            violations=["legal.arrest_detention", "verbal.insult"],
            perpetrator_type="state_actor", media_actor_type="journalist", severity="high",
            partner="Exercise Press Union", summary="alert-summary-marker", person=who,
            classification=level))

    public_alert = alert(Classification.PUBLIC, person)
    confidential_alert = alert(Classification.CONFIDENTIAL, None)
    media.record_state_reply(erin, public_alert, received_on=date(2024, 7, 1),
                             text="the State replied")
    media.add_follow_up(erin, public_alert, on=date(2024, 7, 2), note="followup-marker")
    return Scene(cast, erin, gina, person, other, public_case, restricted_case,
                 confidential_case, released_case, confidential_incident, restricted_incident,
                 public_alert, confidential_alert)


PROTECTION_MARKERS = {  # strictly confidential: only erin (the strictly-confidential grant)
    "summary": "protection-summary-marker",
    "movement": "movement-marker-border",
    "risk": "risk-note-marker",
    "referral": "referral-org-marker",
    "assistance": "assistance-objective-marker",
}
SITUATION_MARKERS = {
    "title": "situation-title-marker",  # any holder of the grant (gina, erin)
    "note": "situation-note-marker",  # any holder
    "reason": "escalation-reason-marker",  # any holder
    "source": "situation-source-marker",  # strictly confidential: erin only
    "hidden_title": "granted-to-none-marker",  # the second situation: erin only
}


@dataclass
class Records:
    """The protection cases and HCNM situations of the scene: a confidential trafficking case
    for the scene's person (gina holds a restricted grant on them, erin a strictly-confidential
    one), a restricted gender-based violence case for the other person (no grant but erin's),
    a confidential situation granted to gina at the restricted level and a restricted one
    granted to no one but its creator erin."""

    scene: Scene
    trafficking: Any
    gbv: Any
    situation: Any
    ungranted_situation: Any


@pytest.fixture
def records(scene: Scene) -> Records:
    from hofburg.cases.services import protection, situations

    erin, s = scene.erin, scene
    trafficking = protection.create_protection_case(erin, s.person, protection.ProtectionRecord(
        concern="trafficking", country="XE", opened_on=date(2024, 3, 1), consent=True,
        trafficking_status="actual_victim", status_decided_by="court_or_prosecution",
        gender="feminine", age_at_exploitation=19, citizenship=["XE", "xf"],
        relationship_to_trafficker="acquainted",
        exploitation_types=["sexual_exploitation", "forced_labour"],
        recruitment_methods=["online_advertisement"], control_methods=["withholds_documents"],
        summary=PROTECTION_MARKERS["summary"]))
    protection.add_movement(erin, trafficking, kind="recruitment", country="XE",
                            on=date(2023, 10, 1), description=PROTECTION_MARKERS["movement"])
    protection.add_movement(erin, trafficking, kind="exploitation", country="XF",
                            on=date(2023, 12, 1))
    protection.add_risk_assessment(erin, trafficking, assessed_on=date(2024, 3, 2),
                                   level="individual", factors=["age"],
                                   note=PROTECTION_MARKERS["risk"])
    protection.add_referral(erin, trafficking, direction="outgoing",
                            organisation=PROTECTION_MARKERS["referral"],
                            organisation_type="ngo", on=date(2024, 3, 5),
                            reason="additional_services")
    protection.add_assistance(erin, trafficking, kind="legal", started_on=date(2024, 3, 5),
                              objectives=PROTECTION_MARKERS["assistance"])
    gbv = protection.create_protection_case(erin, s.other, protection.ProtectionRecord(
        concern="gender_based_violence", country="XE", opened_on=date(2024, 4, 1),
        summary="gbv-summary-marker", classification=Classification.RESTRICTED))
    situation = situations.create_situation(erin, s.cast.cpc, situations.SituationRecord(
        state="XE", region="Exercise North", title=SITUATION_MARKERS["title"],
        opened_on=date(2024, 1, 1), communities=["Exercise Community"]))
    situations.record_observation(erin, situation, indicator="education",
                                  observed_on=date(2024, 2, 1), level="elevated", value="12",
                                  source=SITUATION_MARKERS["source"],
                                  note=SITUATION_MARKERS["note"])
    situations.assess_escalation(erin, situation, level="monitoring", reason="first look")
    situations.assess_escalation(erin, situation, level="concern",
                                 reason=SITUATION_MARKERS["reason"])
    situations.grant_situation(erin, situation, s.gina, Grant.Level.RESTRICTED)
    ungranted = situations.create_situation(erin, s.cast.cpc, situations.SituationRecord(
        state="XE", title=SITUATION_MARKERS["hidden_title"], opened_on=date(2024, 1, 1),
        communities=["Exercise Community"], classification=Classification.RESTRICTED))
    return Records(scene, trafficking, gbv, situation, ungranted)


STATEMENT_MARKERS = {
    "public": "public-statement-marker",  # anyone
    "restricted": "restricted-statement-marker",  # users with an affiliation
    "confidential": "confidential-statement-marker",  # the owner affiliation (cpc)
}


@dataclass
class Statements:
    """Statements on intolerance recorded by gina (analyst, cpc): a public one tagged
    anti-Semitism and linked to the confidential incident, a restricted one tagged anti-Muslim
    and linked to the restricted incident, a confidential one tagged with the third mandate."""

    scene: Scene
    public: Any
    restricted: Any
    confidential: Any


@pytest.fixture
def statements(scene: Scene) -> Statements:
    from hofburg.cases.services import tolerance

    def record(level: str, mandate: str, linked: tuple[str, ...], day: date,
               language: str = "en") -> Any:
        return tolerance.record_statement(scene.gina, tolerance.StatementRecord(
            made_on=day, speaker=f"Exercise Speaker {level} (EXERCISE)",
            title=f"{STATEMENT_MARKERS[level]} title", text=f"{STATEMENT_MARKERS[level]} text",
            language=language, source_url="https://example.org/statement",
            mandates=(mandate,), incident_ids=linked, classification=level))

    public = record(Classification.PUBLIC, "antisemitism",
                    (scene.confidential_incident.incident_id,), date(2024, 11, 16))
    restricted = record(Classification.RESTRICTED, "anti_muslim",
                        (scene.restricted_incident.incident_id,), date(2023, 5, 2), "fr")
    confidential = record(Classification.CONFIDENTIAL,
                          "racism_xenophobia_christians_other_religions", (), date(2024, 2, 1))
    return Statements(scene, public, restricted, confidential)
