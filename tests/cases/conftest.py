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
