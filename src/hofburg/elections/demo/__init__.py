"""Demo data of the elections desk: the EXERCISE-EOM mission in the fictional Exercise Republic,
replayed through the ordinary services. Nothing here is about a real State, election or
person: the regions, stations, teams and answers are generated from a fixed seed.

- the mission, owned by the exercise election observation mission (restricted: every exercise
  account may read it) in the exercise State XE, opened seven weeks before its election day and
  moved through its phases to the post-election one; its core team (an exercise editor) and
  `demo-analyst` as its analyst;
- a frame of 600 polling stations in five regions;
- four areas of responsibility drawn from the frame's regions and districts, each with a team
  of two long-term observers;
- the opening, voting and counting checklists of `data/elections/`;
- 40 short-term observer teams of two, `demo-observer` in team T01, ten in each area, each
  planned to nine stations of its area on election day (the deployment board), with one
  opening, eight voting and one counting form each, received on election day (yesterday);
  in four teams the second observer sent the first voting form too: twice the same answers
  (one observation), twice other ones (observer conflicts waiting for an analyst);
- a few serious problems, so the queue is not empty;
- `demo-coreteam` on the mission's core team (when the account exists: `hofburg demo` makes it);
- an EXERCISE parallel vote tabulation on the same frame (`exercise.py`): 150 stations drawn
  by region, the PVT results form of `data/elections/`, and the results of the sampled stations
  phoned in to four exercise data clerks on election night, arriving over four hours, so that
  the PVT board shows its estimate, its convergence and the reporting rate by region.
  The same sample and results are in `data/elections/exercise-pvt/` for the command line.

A mission from an earlier `hofburg demo` gets what it lacks (the core-team member, the PVT,
the areas with their LTO teams and each STO team's second observer) and nothing else: loading
twice adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from hofburg.core.models import User
    from hofburg.elections.models import Form, Mission

CODE = "EXERCISE-EOM"
REPUBLIC_TIME = ZoneInfo("Europe/Vienna")  # the exercise republic keeps Central European time
TEAMS = 40
CORE_TEAM_ACCOUNT = "demo-coreteam"
PVT_FORM = "pvt_results.md"
PVT_CLERKS = 4
POLLS_CLOSE = time(20, 0)
STATE = "XE"  # the exercise State (registry.exercise): nothing here is about a real State
OPENED_BEFORE = timedelta(weeks=7)  # an EOM opens 6-8 weeks before election day (Handbook 6.1)
# The areas of responsibility: whole regions of the frame, or some of a region's districts.
AREAS = (
    ("Capital", (("Capital District", ""),)),
    ("North-West", (("Northmark", "Northmark 1"), ("Northmark", "Northmark 2"),
                    ("Northmark", "Northmark 3"), ("Westfield", ""))),
    ("North-East", (("Northmark", "Northmark 4"), ("Northmark", "Northmark 5"),
                    ("Northmark", "Northmark 6"), ("Eastshore", ""))),
    ("South", (("Southvale", ""),)),
)
PAIRED = 10  # every tenth STO team's second observer sends its first voting form too ...
CONFLICTING = 20  # ... with another overall assessment in every twentieth


def register() -> None:
    from hofburg.core.demo import register_loader

    register_loader("elections", load_elections_demo)


def load_elections_demo() -> None:
    from hofburg.core.demo import DemoError
    from hofburg.core.errors import ServiceError

    try:
        _load()
    except ServiceError as exc:
        raise DemoError(f"elections: {exc}") from exc


def _actor(username: str, affiliation: str, roles: list[str]) -> User:
    from hofburg.core.services.accounts import ensure_actor

    return ensure_actor(username, affiliation_code=affiliation, roles=roles)


def _answer(rng: random.Random, kind: str, bad_share: float) -> str:
    roll = rng.random()
    if kind == "four":
        if roll < 0.05:
            return "not_observed"
        if roll < 0.05 + bad_share * 0.25:
            return "very_bad"
        if roll < 0.05 + bad_share:
            return "bad"
        return "good" if roll < 0.6 else "very_good"
    if roll < 0.04:
        return "na"
    return "no" if roll < 0.04 + bad_share else "yes"


def _xml(form_id: str, version: str, instance: str, answers: dict[str, str]) -> bytes:
    body = "".join(f"<{k}>{v}</{k}>" for k, v in answers.items())
    return (f'<data id="{form_id}" version="{version}">{body}'
            f"<meta><instanceID>uuid:{instance}</instanceID></meta></data>").encode()


def _form_file(name: str) -> Path:
    from hofburg.core.demo import DemoError

    path = Path(settings.REFERENCE_DATA_DIR) / "elections" / name
    if not path.is_file():
        raise DemoError(f"elections: {path} is missing")
    return path


def _load() -> None:
    from hofburg.core.models import Role
    from hofburg.elections.models import Mission, PvtSetup

    core = _actor("exercise-eom-core", "exercise-eom", [Role.READER, Role.EDITOR])
    mission = Mission.objects.filter(code=CODE).first()
    if mission is None:
        mission = _mission(core)
    elif not mission.areas.exists():
        _organisation(core, mission)
        _partners(core, mission)
    _core_team(core, mission)
    if not PvtSetup.objects.filter(mission=mission).exists():
        _pvt(core, mission)


def _core_team(core: User, mission: Mission) -> None:
    from hofburg.core.models import User
    from hofburg.elections.models import Member
    from hofburg.elections.services.missions import add_member

    account = User.objects.filter(username=CORE_TEAM_ACCOUNT).first()
    if account is not None and not Member.objects.filter(mission=mission,
                                                         user=account).exists():
        add_member(core, mission, account, Member.Role.CORE)


def _mission(core: User) -> Mission:
    from hofburg.core.models import User
    from hofburg.elections.demo.exercise import frame_csv
    from hofburg.elections.models import Member, Mission
    from hofburg.elections.services.forms import add_form
    from hofburg.elections.services.missions import (
        MissionRecord,
        add_member,
        change_phase,
        create_mission,
        import_frame,
    )

    election_day = timezone.localdate() - timedelta(days=1)
    mission = create_mission(core, MissionRecord(
        code=CODE, name="EXERCISE Election Observation Mission", state=STATE,
        election_date=election_day, election_type="EXERCISE parliamentary elections",
        classification="restricted", time_zone=REPUBLIC_TIME.key))
    # Set up when the mission opened (generated data, like the times of its forms below), so
    # that a clerk may still enter the election day's forms; then through its phases.
    opened = datetime.combine(election_day - OPENED_BEFORE, time(9, 0), tzinfo=REPUBLIC_TIME)
    Mission.objects.filter(pk=mission.pk).update(created_at=opened)
    for phase in (Mission.Phase.DEPLOYMENT, Mission.Phase.ELECTION_DAY,
                  Mission.Phase.POST_ELECTION):
        change_phase(core, mission, phase)
    import_frame(core, mission, frame_csv())
    _organisation(core, mission)
    forms = {}
    for name in ("opening", "voting", "counting"):
        path = _form_file(f"{name}.md")
        forms[name], _created = add_form(core, mission, path.read_bytes(), path.name)
    analyst = User.objects.filter(username="demo-analyst").first()
    if analyst is not None:
        add_member(core, mission, analyst, Member.Role.ANALYST)
    _election_day(core, mission, forms, election_day)
    return mission


def _pvt(core: User, mission: Mission) -> None:
    """The EXERCISE PVT: its results form, the sample and the results phoned in to the call
    centre's clerks on election night, each received when `exercise.pvt_results` says."""
    from hofburg.core.models import Role
    from hofburg.elections.demo.exercise import (
        PARTIES,
        PVT_STRATA,
        SEED,
        pvt_results,
        pvt_sample,
    )
    from hofburg.elections.models import Member, Submission
    from hofburg.elections.services.forms import add_form
    from hofburg.elections.services.missions import add_member
    from hofburg.elections.services.pvt import set_up_pvt
    from hofburg.elections.services.submissions import receive

    path = _form_file(PVT_FORM)
    form, _created = add_form(core, mission, path.read_bytes(), path.name)
    set_up_pvt(core, mission, form_id=form.form_id, candidates=list(PARTIES),
               strata=list(PVT_STRATA), sample=[s for s, _h in pvt_sample()])
    clerks = []
    for number in range(1, PVT_CLERKS + 1):
        clerk = _actor(f"exercise-pvt-clerk-{number}", "exercise-eom", [Role.READER])
        if not Member.objects.filter(mission=mission, user=clerk).exists():
            add_member(core, mission, clerk, Member.Role.CLERK)
        clerks.append(clerk)
    closing = datetime.combine(mission.election_date, POLLS_CLOSE, tzinfo=REPUBLIC_TIME)
    arrived: list[tuple[str, datetime]] = []
    for number, result in enumerate(pvt_results()):
        if result.minutes is None:
            continue
        when = closing + timedelta(minutes=result.minutes)
        answers = {"start": (when - timedelta(minutes=4)).isoformat(), "end": when.isoformat(),
                   "station_id": result.station_id, "registered": str(result.registered),
                   "valid": str(result.valid),
                   "rejected": str(result.rejected), "blank": str(result.blank),
                   **{party: str(votes) for party, votes in zip(PARTIES, result.votes,
                                                               strict=True)}}
        instance = f"{SEED:04x}0000-0000-4000-9000-{number:012}"
        submission, _created = receive(
            clerks[number % len(clerks)], _xml(form.form_id, form.version, instance, answers),
            channel="phone", device="EXERCISE PVT call centre")
        arrived.append((submission.instance_id, when))
    for instance_id, when in arrived:
        Submission.objects.filter(instance_id=instance_id).update(received_at=when,
                                                                   captured_at=when)


def _answers(rng: random.Random, form: Form, base: dict[str, str], bad_share: float
             ) -> dict[str, str]:
    answers = dict(base)
    for q in form.questions:
        if q["name"] in answers or q["type"] not in ("select_one", "select_multiple"):
            continue
        if q["type"] == "select_multiple":
            answers[q["name"]] = " ".join(rng.sample(["citizen", "party", "international"],
                                                     rng.randint(1, 2)))
        elif q["name"] == "serious_problem":
            answers[q["name"]] = "yes" if rng.random() < bad_share / 6 else "no"
        else:
            answers[q["name"]] = _answer(rng, "four" if q["name"] == "overall" else "yn",
                                         bad_share)
    return answers


def _organisation(core: User, mission: Mission) -> None:
    """The areas of responsibility, a team of two LTOs in each, and the STO teams spread over
    them, ten to an area (the teams a mission from before the areas had are moved in)."""
    from hofburg.core.models import Role
    from hofburg.elections.engine.areas import Place
    from hofburg.elections.models import Member, Team
    from hofburg.elections.services.areas import create_area
    from hofburg.elections.services.missions import add_member
    from hofburg.elections.services.teams import create_team, set_team_area

    areas = [create_area(core, mission, name=name, places=[Place(*p) for p in places])
             for name, places in AREAS]
    for number, area in enumerate(areas, start=1):
        create_team(core, mission, code=f"L{number}", kind=Team.Kind.LTO, area_id=area.pk)
        for second in "ab":
            observer = _actor(f"exercise-lto-{number}{second}", "exercise-eom", [Role.READER])
            add_member(core, mission, observer, Member.Role.LTO, f"L{number}")
    for team in range(1, TEAMS + 1):
        area = areas[(team - 1) % len(areas)]
        if Team.objects.filter(mission=mission, code=f"T{team:02}").exists():
            set_team_area(core, mission, f"T{team:02}", area.pk)
        else:
            create_team(core, mission, code=f"T{team:02}", kind=Team.Kind.STO, area_id=area.pk)


def _partner(mission: Mission, team: int) -> User:
    from hofburg.core.models import Role

    return _actor(f"exercise-sto-{team:02}b", "exercise-eom", [Role.READER])


def _partners(core: User, mission: Mission) -> None:
    """Each STO team's second observer, on a mission from before the teams of two."""
    from hofburg.elections.models import Member
    from hofburg.elections.services.missions import add_member

    for team in range(1, TEAMS + 1):
        partner = _partner(mission, team)
        if not Member.objects.filter(mission=mission, user=partner).exists():
            add_member(core, mission, partner, Member.Role.STO, f"T{team:02}")


def _area_stations(mission: Mission) -> dict[str, list[str]]:
    """Each STO team's code and the stations of its area, in station order."""
    from hofburg.elections.engine.areas import area_of
    from hofburg.elections.services.areas import places_of

    areas = {a.name: places_of(a) for a in mission.areas.all()}
    by_area: dict[str, list[str]] = {}
    for station_id, region, district in mission.stations.order_by("station_id").values_list(
            "station_id", "region", "district"):
        by_area.setdefault(area_of(areas, region, district) or "", []).append(station_id)
    return {team.code: by_area[team.area.name]
            for team in mission.teams.filter(kind="sto").select_related("area")
            if team.area is not None}


def _election_day(core: User, mission: Mission, forms: dict[str, Form], election_day: date
                  ) -> None:
    from hofburg.core.models import Role, User
    from hofburg.elections.demo.exercise import SEED
    from hofburg.elections.models import Member, Submission
    from hofburg.elections.services.missions import add_member

    rng = random.Random(SEED)  # noqa: S311 -- generated exercise data
    stations = _area_stations(mission)
    received: list[tuple[str, datetime]] = []
    for team in range(1, TEAMS + 1):
        label = f"T{team:02}"
        observer = User.objects.filter(username="demo-observer").first() if team == 1 else None
        if observer is None:
            observer = _actor(f"exercise-sto-{team:02}", "exercise-eom", [Role.READER])
        add_member(core, mission, observer, Member.Role.STO, label)
        partner = _partner(mission, team)
        add_member(core, mission, partner, Member.Role.STO, label)
        _team_day(rng, core, mission, forms, (team, observer, partner),
                  rng.sample(stations[label], 9), election_day, received)
    for instance_id, when in received:
        Submission.objects.filter(instance_id=instance_id).update(received_at=when,
                                                                   captured_at=when)


def _team_day(rng: random.Random, core: User, mission: Mission, forms: dict[str, Form],
              pair: tuple[int, User, User], route: list[str], election_day: date,
              received: list[tuple[str, datetime]]) -> None:
    """One STO team's election day: its route on the plan and its forms; in every PAIRED-th
    team the second observer sends the first voting form too (with another overall assessment
    in every CONFLICTING-th team)."""
    from hofburg.elections.services.deployment import assign_team

    team, observer, partner = pair
    label = f"T{team:02}"
    for station in route:  # the deployment plan: the team's route on election day
        assign_team(core, mission, team=label, station_id=station, day=election_day)
    bad_share = 0.25 if team % 13 == 0 else 0.06
    visits = [("opening", route[0], time(6, 30))]
    visits += [("voting", s, time(8 + i, rng.randrange(60))) for i, s in enumerate(route[:8])]
    visits += [("counting", route[8], time(20, 15))]
    first_voting: dict[str, str] = {}
    for kind, station, at in visits:
        when = datetime.combine(election_day, at, tzinfo=REPUBLIC_TIME)
        answers = _answers(rng, forms[kind], {
            "start": when.isoformat(), "end": (when + timedelta(minutes=40)).isoformat(),
            "team": label, "station_id": station}, bad_share)
        _send(rng, observer, forms[kind], answers, f"collect:exercise-{label}", when, received)
        if kind == "voting" and not first_voting:
            first_voting = answers
    if team % PAIRED == 0:
        answers = dict(first_voting)
        if team % CONFLICTING == 0:
            answers["overall"] = "good" if answers["overall"] == "bad" else "bad"
        when = datetime.fromisoformat(answers["start"])
        _send(rng, partner, forms["voting"], answers, f"collect:exercise-{label}b", when,
              received)


def _send(rng: random.Random, sender: User, form: Form, answers: dict[str, str], device: str,
          when: datetime, received: list[tuple[str, datetime]]) -> None:
    """One form from ODK Collect, received some minutes after the visit ended."""
    from hofburg.elections.demo.exercise import SEED
    from hofburg.elections.services.submissions import receive

    instance = f"{SEED:04x}0000-0000-4000-8000-{answers['team'][1:]:0>4}{len(received):08}"
    submission, _created = receive(sender, _xml(form.form_id, form.version, instance, answers),
                                   channel="odk", device=device)
    received.append((submission.instance_id, when + timedelta(minutes=40 + rng.randint(0, 30))))
