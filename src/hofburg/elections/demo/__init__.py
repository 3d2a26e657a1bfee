"""Demo data of the elections desk: the EXERCISE-EOM mission in the fictional Exercise Republic,
replayed through the ordinary services. Nothing here is about a real State, election or
person: the regions, stations, teams and answers are generated from a fixed seed.

- the mission, owned by the exercise election observation mission (restricted: every exercise
  account may read it), its core team (an exercise editor) and `demo-analyst` as its analyst;
- a frame of 600 polling stations in five regions;
- the opening, voting and counting checklists of `data/elections/`;
- 40 short-term observer teams, `demo-observer` leading team 01, each planned to nine stations
  on election day (the deployment board), with one opening, eight voting and one counting
  form each, received on election day (yesterday);
- a few serious problems, so the queue is not empty.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from hofburg.core.demo import DemoError, register_loader
from hofburg.core.errors import ServiceError
from hofburg.core.models import User

if TYPE_CHECKING:
    from hofburg.elections.models import Form, Mission

CODE = "EXERCISE-EOM"
REGIONS = ("Northmark", "Southvale", "Eastshore", "Westfield", "Capital District")
REPUBLIC_TIME = ZoneInfo("Europe/Vienna")  # the exercise republic keeps Central European time
TEAMS = 40
SEED = 2026


def register() -> None:
    register_loader("elections", load_elections_demo)


def load_elections_demo() -> None:
    try:
        _load()
    except ServiceError as exc:
        raise DemoError(f"elections: {exc}") from exc


def _actor(username: str, affiliation: str, roles: list[str]) -> User:
    from hofburg.core.services.accounts import create_account

    user = User.objects.filter(username=username).first()
    if user is None:
        user, _password = create_account(username, affiliation_code=affiliation, roles=roles)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def frame_csv(seed: int = SEED, stations: int = 600) -> str:
    rng = random.Random(seed)  # noqa: S311 -- generated exercise data, not secrets
    lines = ["station_id,name,region,district,urban_rural,registered_voters,lon,lat"]
    for number in range(1, stations + 1):
        region = REGIONS[rng.randrange(len(REGIONS))]
        urban = region == "Capital District" or rng.random() < 0.35
        lines.append(
            f"XR-{number:04},EXERCISE polling station {number},{region},"
            f"{region} {rng.randint(1, 6)},{'urban' if urban else 'rural'},"
            f"{rng.randint(400, 2500)},{rng.uniform(10.0, 16.0):.4f},{rng.uniform(45.0, 48.0):.4f}")
    return "\n".join(lines) + "\n"


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


def _load() -> None:
    from hofburg.core.models import Role
    from hofburg.elections.models import Member, Mission
    from hofburg.elections.services.forms import add_form
    from hofburg.elections.services.missions import add_member, create_mission, import_frame

    if Mission.objects.filter(code=CODE).exists():
        return
    core = _actor("exercise-eom-core", "exercise-eom", [Role.READER, Role.EDITOR])
    election_day = timezone.localdate() - timedelta(days=1)
    mission = create_mission(core, code=CODE, name="EXERCISE Election Observation Mission",
                             state="Exercise Republic (fictional)", election_date=election_day,
                             election_type="EXERCISE parliamentary elections",
                             classification="restricted")
    Mission.objects.filter(pk=mission.pk).update(phase=Mission.Phase.POST_ELECTION)
    import_frame(core, mission, frame_csv())
    forms = {}
    data_dir = Path(settings.REFERENCE_DATA_DIR) / "elections"
    for name in ("opening", "voting", "counting"):
        path = data_dir / f"{name}.md"
        if not path.is_file():
            raise DemoError(f"elections: {path} is missing")
        forms[name], _created = add_form(core, mission, path.read_bytes(), path.name)
    analyst = User.objects.filter(username="demo-analyst").first()
    if analyst is not None:
        add_member(core, mission, analyst, Member.Role.ANALYST)
    _election_day(core, mission, forms, election_day)


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


def _election_day(core: User, mission: Mission, forms: dict[str, Form], election_day: date
                  ) -> None:
    from hofburg.core.models import Role
    from hofburg.elections.models import Member, Submission
    from hofburg.elections.services.deployment import assign_team
    from hofburg.elections.services.missions import add_member
    from hofburg.elections.services.submissions import receive

    rng = random.Random(SEED)  # noqa: S311 -- generated exercise data
    station_ids = list(mission.stations.order_by("station_id").values_list("station_id",
                                                                           flat=True))
    received: list[tuple[str, datetime]] = []
    for team in range(1, TEAMS + 1):
        label = f"T{team:02}"
        observer = User.objects.filter(username="demo-observer").first() if team == 1 else None
        if observer is None:
            observer = _actor(f"exercise-sto-{team:02}", "exercise-eom", [Role.READER])
        add_member(core, mission, observer, Member.Role.STO, label)
        route = rng.sample(station_ids, 9)
        for station in route:  # the deployment plan: the team's route on election day
            assign_team(core, mission, team=label, station_id=station, day=election_day)
        bad_share = 0.25 if team % 13 == 0 else 0.06
        visits = [("opening", route[0], time(6, 30))]
        visits += [("voting", s, time(8 + i, rng.randrange(60))) for i, s in enumerate(route[:8])]
        visits += [("counting", route[8], time(20, 15))]
        for kind, station, at in visits:
            form = forms[kind]
            when = datetime.combine(election_day, at, tzinfo=REPUBLIC_TIME)
            answers = _answers(rng, form, {
                "start": when.isoformat(), "end": (when + timedelta(minutes=40)).isoformat(),
                "team": label, "station_id": station}, bad_share)
            instance = f"{SEED:04x}0000-0000-4000-8000-{team:04}{len(received):08}"
            submission, _created = receive(observer, _xml(form.form_id, form.version, instance,
                                                          answers), channel="odk",
                                           device=f"collect:exercise-{label}")
            received.append((submission.instance_id,
                             when + timedelta(minutes=40 + rng.randint(0, 30))))
    for instance_id, when in received:
        Submission.objects.filter(instance_id=instance_id).update(received_at=when,
                                                                   captured_at=when)
