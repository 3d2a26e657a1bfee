""""Last updated" on the cards of the desks' home pages and of a State's page (decision
0072): read from the newest record the reader may see on the card, never from a hidden one,
and said plainly when the card has no record to date it by."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from time_machine import TimeMachineFixture

from hofburg.core import dates
from hofburg.core.models import Classification, Role, User
from hofburg.decisions.models import Draft
from hofburg.elections.models import Mission
from hofburg.projects.services.projects import create_project
from tests.conftest import PASSWORD, Cast
from tests.csbm.test_pages import create_desk
from tests.projects.samples import fill, make_donors, make_registry, project_in
from tests.registry.factories import create_osce, freeze_today

SEEN = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
HIDDEN = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)  # a later record the reader may not see
NOTHING = "Last updated: no record visible to you"


def stamp(at: datetime) -> str:
    return dates.moment(at)  # "3 November 2026, 10:00 CET"


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return " ".join(response.content.decode().split())


def test_the_decisions_table_is_dated_by_the_drafts_the_reader_sees(
        cast: Cast, time_machine: TimeMachineFixture) -> None:
    for at, number, level in ((SEEN, 1, Classification.PUBLIC),
                              (HIDDEN, 2, Classification.CONFIDENTIAL)):
        time_machine.move_to(at, tick=False)
        Draft.objects.create(body="PC", number=number, year=2026, symbol=f"PC.DD/{number}/26",
                             title=f"Draft {number}", classification=level,
                             owner_affiliation=cast.finland)
    time_machine.move_to(HIDDEN + timedelta(days=1), tick=False)
    public = page(Client(), "/decisions/")
    assert "Last updated: <time datetime=" in public and stamp(SEEN) in public
    assert stamp(HIDDEN) not in public
    assert stamp(HIDDEN) in page(cast.client(cast.bob), "/decisions/")  # Finland's own
    assert NOTHING in page(Client(), "/decisions/?body=FSC")


def test_the_portfolio_is_dated_by_the_projects_and_money_the_reader_sees(
        cast: Cast, time_machine: TimeMachineFixture) -> None:
    make_registry()
    make_donors()
    erin = User.objects.create_user("erin", password=PASSWORD, affiliation=cast.cpc,
                                    roles=[Role.READER, Role.EDITOR])
    time_machine.move_to(SEEN, tick=False)
    fill(erin, create_project(erin, project_in("P-100", "public")))
    time_machine.move_to(HIDDEN, tick=False)
    fill(erin, create_project(erin, project_in("P-300", "confidential")))
    public = page(Client(), "/projects/")
    assert stamp(SEEN) in public and stamp(HIDDEN) not in public
    assert stamp(HIDDEN) in page(cast.client(erin), "/projects/")
    assert NOTHING in page(Client(), "/projects/?status=closed")


def test_the_missions_are_dated_by_the_newest_the_reader_sees(
        cast: Cast, time_machine: TimeMachineFixture) -> None:
    for at, code, level in ((SEEN, "EOM-1", Classification.PUBLIC),
                            (HIDDEN, "EOM-2", Classification.CONFIDENTIAL)):
        time_machine.move_to(at, tick=False)
        Mission.objects.create(code=code, name=code, state="Exercise Republic",
                               election_date=date(2027, 3, 1), classification=level,
                               owner_affiliation=cast.mission, is_exercise=True)
    public = page(Client(), "/elections/")
    assert stamp(SEEN) in public and stamp(HIDDEN) not in public
    assert stamp(HIDDEN) in page(cast.client(cast.mona), "/elections/")


def test_a_desk_with_nothing_visible_says_so(cast: Cast) -> None:
    assert NOTHING in page(Client(), "/elections/")
    assert NOTHING in page(Client(), "/monitoring/")  # "No figures have been published yet."


@pytest.mark.django_db
def test_reference_data_without_a_recorded_load_is_not_guessed_at() -> None:
    create_osce()  # straight into the tables: no audit entry dates it
    glance = page(Client(), "/")
    glance = glance[glance.index("The OSCE at a glance"):]
    assert "Last updated: not recorded" in glance[:glance.index("</section>")]


def test_a_states_vienna_document_panel_is_dated(
        cast: Cast, time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, date(2026, 6, 1))
    create_desk()  # its records made at noon in Vienna that day
    profile = page(cast.client(cast.bob), "/registry/states/AT/")
    panel = profile[profile.index('id="csbm-panel-heading"'):]
    panel = panel[:panel.index("</section>")]
    assert 'Last updated: <time datetime="2026-06-01T12:00:00+02:00">1 June 2026, 12:00 CEST' \
        in panel


def test_a_states_contributions_are_dated_by_its_visible_money(
        cast: Cast, time_machine: TimeMachineFixture) -> None:
    make_registry()
    make_donors()
    erin = User.objects.create_user("erin", password=PASSWORD, affiliation=cast.cpc,
                                    roles=[Role.READER, Role.EDITOR])
    time_machine.move_to(SEEN, tick=False)
    fill(erin, create_project(erin, project_in("P-100", "public")))  # Austria gives to it
    time_machine.move_to(HIDDEN, tick=False)
    fill(erin, create_project(erin, project_in("P-300", "confidential")))
    profile = page(Client(), "/registry/states/AT/")
    panel = profile[profile.index('id="projects-panel-heading"'):]
    panel = panel[:panel.index("</section>")]
    assert stamp(SEEN) in panel and stamp(HIDDEN) not in panel
