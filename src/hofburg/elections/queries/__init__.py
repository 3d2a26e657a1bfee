"""Reading the desk's records as a user may see them: everything through the mission, which
`core.access` narrows. Hidden is absent (404)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.http import Http404

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.core.tables import Table
from hofburg.elections.bulk import collector_paused
from hofburg.elections.engine.tally import CodedAnswers, Question, hour_of
from hofburg.elections.models import (
    CLERK_CHANNELS,
    Attachment,
    Form,
    Mission,
    Snapshot,
    Submission,
)


def missions_for(user: AnyUser) -> QuerySet[Mission]:
    return access.visible(Mission.objects.all(), user)


def mission_for(user: AnyUser, code: str) -> Mission:
    return access.get_visible_or_404(Mission.objects.all(), user, code=code)


def forms_for(user: AnyUser | None, mission: Mission | None = None) -> QuerySet[Form]:
    """The form versions `user` may see (their missions'), newest version first per form;
    every form for the operator at the server's command line (`user` None)."""
    forms = Form.objects.select_related("mission")
    if user is not None:
        forms = forms.filter(mission__in=missions_for(user))
    if mission is not None:
        forms = forms.filter(mission=mission)
    return forms.order_by("form_id", "-created_at")


def form_versions(user: AnyUser | None, form_id: str) -> list[Form]:
    """Every version of `form_id`, newest first; 404 when none is visible."""
    versions = list(forms_for(user).filter(form_id=form_id))
    if not versions:
        raise Http404("No such form.")
    return versions


def questions_of(versions: list[Form]) -> list[Question]:
    """The questions of all versions, in the newest version's order, then older ones'."""
    seen: dict[str, Question] = {}
    for form in versions:
        for q in form.questions:
            seen.setdefault(q["name"], Question(q["name"], q["type"], tuple(q["choices"])))
    return list(seen.values())


def label_for(label: Any, language: str) -> str:
    """A question's XLSForm label in `language` where the form has one (XLSForm names its
    languages "English (en)"), else its default or first label."""
    if isinstance(label, str):
        return label
    if not isinstance(label, dict) or not label:
        return ""
    wanted = f"({language.split('-')[0].lower()})"
    for name, text in label.items():
        if str(name).lower().endswith(wanted):
            return str(text)
    return str(label.get("default") or next(iter(label.values())))


def question_labels(versions: list[Form], language: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for form in versions:
        for q in form.questions:
            labels.setdefault(q["name"], label_for(q.get("label", ""), language))
    return labels


def visit_time(row: Mapping[str, Any], zone: ZoneInfo) -> str | None:
    """When a frozen form's visit was, for the breakdown by hour: on the observer's own clock,
    as the form recorded it (its `start`, with its offset); for a paper or phoned-in form the
    time the clerk copied from it, in the mission's zone (the entry's own `start` is when the
    clerk typed it); without either, when it was captured, else received."""
    if row.get("channel") in CLERK_CHANNELS and row.get("captured_at"):
        return datetime.fromisoformat(str(row["captured_at"])).astimezone(zone).isoformat()
    answers = row["data"]
    return (answers.get("start") or answers.get("end") or row.get("captured_at")
            or row.get("received_at"))


def snapshot_content(snapshot: Snapshot) -> dict[str, Any]:
    """The frozen content of a snapshot, parsed: `forms` (the rows counted), `duplicates` and
    `conflicts`. A snapshot `freeze` has just made carries it already parsed."""
    import json

    parsed = snapshot.parsed_content
    return parsed if parsed is not None else dict(json.loads(snapshot.content))


# The breakdowns of the figures: each form's region and urban/rural (from the frame, by its
# station) and the hour of the visit (`visit_time`).
BREAKDOWNS = ("region", "urban_rural", "hour")


def breakdown_labels(rows: list[dict[str, Any]], zone: ZoneInfo) -> dict[str, list[Any]]:
    """Each row's group in each breakdown (`BREAKDOWNS`)."""
    return {
        "region": [row.get("region", "") for row in rows],
        "urban_rural": [row.get("urban_rural", "") for row in rows],
        "hour": [hour_of(visit_time(row, zone)) for row in rows],
    }


def figures(snapshot: Snapshot, versions: list[Form]) -> dict[str, Any]:
    """The statement figures of a frozen snapshot: per question counts, n, percentages and
    negative_pct for four-point questions; breakdowns by region, urban/rural and hour. The
    answers are coded once and every breakdown counted in the same pass (`CodedAnswers`)."""
    questions = [q for q in questions_of(versions) if q.kind in ("select_one", "select_multiple")]
    with collector_paused():
        content = snapshot_content(snapshot)
        rows = content["forms"]
        tallied = CodedAnswers(questions, [row["data"] for row in rows]).figures(
            breakdown_labels(rows, ZoneInfo(snapshot.mission.time_zone)))
    return {
        "form_id": snapshot.form_id,
        "cutoff": snapshot.cutoff.isoformat(),
        "snapshot_sha256": snapshot.sha256,
        "forms": len(rows),
        "distinct_stations": len({r["station_id"] for r in rows if r["station_id"]}),
        "paired_duplicates": len(content["duplicates"]),
        "conflicts_held_out": content["conflicts"],
        "questions": [f.as_dict() for f in tallied.overall],
        "breakdowns": {key: {group: [f.as_dict() for f in figs]
                             for group, figs in tallied.breakdowns[key].items()}
                       for key in BREAKDOWNS},
    }


def fields_of(versions: list[Form]) -> list[str]:
    """The field names of all versions, in the newest version's order, then older ones'
    (a version stored without its field names gives its questions')."""
    seen: dict[str, None] = {}
    for form in versions:
        for name in form.fields or [q["name"] for q in form.questions]:
            seen.setdefault(str(name), None)
    return list(seen)


# After the form's own fields: who sent each record, how and when (decision 0071).
SUBMISSION_COLUMNS = ("instance_id", "submitted_by", "received_at", "channel", "device",
                      "captured_at", "version", "attachments")


def submissions_table(user: AnyUser | None, form_id: str) -> Table:
    """One row per submission of `form_id` (all versions): one column per XLSForm field name
    (`fields_of`: its metadata such as `start` and `end` too), then `SUBMISSION_COLUMNS`:
    instance_id, submitted_by, received_at, the channel, device and time captured, the version
    and the names of the media files received with it (`attachments`, separated by "; ")."""
    versions = form_versions(user, form_id)
    names = fields_of(versions)
    files: dict[int, list[str]] = {}
    for submission_id, name in (Attachment.objects.filter(submission__form__in=versions)
                                .order_by("name").values_list("submission_id", "name")):
        files.setdefault(submission_id, []).append(name)
    rows: list[list[Any]] = []
    for sub in (Submission.objects.filter(form__in=versions)
                .select_related("submitted_by", "form").order_by("received_at", "pk")):
        rows.append([*(sub.data.get(n) for n in names), sub.instance_id,
                     sub.submitted_by.username if sub.submitted_by else "",
                     sub.received_at.isoformat(), sub.channel, sub.device,
                     sub.captured_at.isoformat() if sub.captured_at else "",
                     sub.form.version, "; ".join(files.get(sub.pk, []))])
    return Table(kind="submissions", columns=[*names, *SUBMISSION_COLUMNS], rows=rows)


def submission_files(submission_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The media files received with each of the submissions: name, type and size in bytes,
    by name; the content is not read."""
    from django.db.models.functions import Length

    found: dict[int, list[dict[str, Any]]] = {}
    for submission_id, name, kind, size in (
            Attachment.objects.filter(submission_id__in=submission_ids)
            .annotate(size=Length("content")).order_by("submission_id", "name")
            .values_list("submission_id", "name", "content_type", "size")):
        found.setdefault(submission_id, []).append(
            {"name": name, "content_type": kind, "size": size})
    return found


def submission_file(mission: Mission, instance_id: str, name: str) -> Attachment:
    """One media file of one of the mission's submissions (404 when there is none)."""
    found = Attachment.objects.filter(submission__form__mission=mission,
                                      submission__instance_id=instance_id, name=name).first()
    if found is None:
        raise Http404("No such file.")
    return found


# A form raises a serious problem with a "very bad" on a four-point question or a "yes" to one
# of these flags (the ODIHR voting form's "serious violations" item, an incident flag).
SERIOUS_FLAGS = ("serious_problem", "serious_violation", "incident")


def serious_problems(mission: Mission) -> list[dict[str, Any]]:
    """The mission's submissions that flag a serious problem, newest first: who reported it,
    where (station, region) and when, and which answers raised it."""
    stations = {s.station_id: s for s in mission.stations.all()}
    found = []
    forms = {f.pk: f for f in mission.forms.all()}
    four_point = {pk: {q.name for q in questions_of([f]) if q.four_point}
                  for pk, f in forms.items()}
    for sub in (Submission.objects.filter(form__mission=mission)
                .select_related("submitted_by").order_by("-received_at")):
        reasons = [name for name in four_point.get(sub.form_id, set())
                   if sub.data.get(name) == "very_bad"]
        reasons += [name for name in SERIOUS_FLAGS if sub.data.get(name) == "yes"]
        if not reasons:
            continue
        station = stations.get(sub.station_id)
        found.append({"submission": sub, "form": forms[sub.form_id],
                      "reasons": sorted(reasons), "station": station,
                      "reported_by": sub.submitted_by.username if sub.submitted_by else "",
                      "when": sub.captured_at or sub.received_at})
    return found


def open_conflicts(mission: Mission) -> list[dict[str, Any]]:
    """Paired observers' forms that disagree and no analyst has resolved, over every form of
    the mission as received so far."""
    from hofburg.elections.engine.pairs import reconcile
    from hofburg.elections.services.snapshots import resolutions, submission_rows

    found: list[dict[str, Any]] = []
    for form_id in sorted(set(mission.forms.values_list("form_id", flat=True))):
        found.extend(reconcile(submission_rows(mission, form_id),
                               resolutions(mission, form_id)).conflicts)
    return found


def coverage(mission: Mission) -> dict[str, Any]:
    """Which stations the teams have visited: per region, the frame's stations and those with
    at least one form; per team, its members, forms, distinct stations and last form."""
    from collections import defaultdict

    region_of = dict(mission.stations.values_list("station_id", "region"))
    frame: dict[str, int] = defaultdict(int)
    for region in region_of.values():
        frame[region] += 1
    visited: dict[str, set[str]] = defaultdict(set)
    teams: dict[str, dict[str, Any]] = {}
    for member in mission.members.select_related("user").order_by("team", "user__username"):
        if member.team:
            teams.setdefault(member.team, {"team": member.team, "members": [], "forms": 0,
                                           "stations": set(), "last": None})
            teams[member.team]["members"].append(member.user.username)
    for station_id, team, received in Submission.objects.filter(form__mission=mission) \
            .values_list("station_id", "team", "received_at"):
        if station_id in region_of:
            visited[region_of[station_id]].add(station_id)
        if team:
            row = teams.setdefault(team, {"team": team, "members": [], "forms": 0,
                                          "stations": set(), "last": None})
            row["forms"] += 1
            if station_id:
                row["stations"].add(station_id)
            row["last"] = received if row["last"] is None else max(row["last"], received)
    regions = [{"region": region, "stations": count, "visited": len(visited[region]),
                "visited_pct": round(100.0 * len(visited[region]) / count, 1)}
               for region, count in sorted(frame.items())]
    return {"regions": regions,
            "teams": [{**row, "stations": len(row["stations"])}
                      for _team, row in sorted(teams.items())]}


def deployment(mission: Mission) -> dict[str, Any]:
    """The deployment board: the mission's areas of responsibility, each with its teams (their
    kind, observers and staffing), and the teams in no area; per team the stations it is to
    cover, by day, each marked visited when the mission has a form for it (from any team); and
    the frame's stations for the coverage map, visited or not, with the teams planned for them."""
    from collections import defaultdict

    from hofburg.elections.models import Assignment
    from hofburg.elections.queries.teams import area_rows, team_rows

    visited = set(Submission.objects.filter(form__mission=mission).exclude(station_id="")
                  .values_list("station_id", flat=True).distinct())
    frame = {s.station_id: s for s in mission.stations.all()}
    teams = {row["code"]: {**row, "assignments": []} for row in team_rows(mission)}
    planned: dict[str, list[str]] = defaultdict(list)
    for assignment in Assignment.objects.filter(mission=mission):
        station = frame.get(assignment.station_id)
        teams.setdefault(assignment.team, {
            "team": None, "code": assignment.team, "kind": "", "kind_label": "", "area": None,
            "observers": [], "status": None, "assignments": []})["assignments"].append({
                "assignment": assignment, "station": station,
                "visited": assignment.station_id in visited})
        planned[assignment.station_id].append(assignment.team)
    points = [{"id": s.station_id, "name": s.name, "region": s.region, "lon": s.lon,
               "lat": s.lat, "visited": s.station_id in visited,
               "teams": sorted(set(planned.get(s.station_id, [])))}
              for s in frame.values() if s.lon is not None and s.lat is not None]
    ordered = [teams[code] for code in sorted(teams)]
    areas = [{**row, "anchor": f"area-{row['area'].pk}",
              "teams": [t for t in ordered if t["area"] == row["area"]]}
             for row in area_rows(mission)]
    return {
        "teams": ordered,
        "areas": areas,
        "unplaced": [t for t in ordered if t["area"] is None],
        "points": points,
        "counts": {"visited": sum(1 for s in frame if s in visited),
                   "not_visited": sum(1 for s in frame if s not in visited),
                   "without_place": len(frame) - len(points),
                   "planned": len(planned.keys() & frame.keys())},
    }


def _whole(value: Any) -> int | None:
    """A submitted count as a whole number, or None when blank or not a whole number."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else None


def pvt_board(mission: Mission) -> dict[str, Any] | None:
    """The PVT's live board, from the mission's set-up (None without one): per region the
    sampled stations, those with a result received and those whose result counts as reported
    under the valid-report rule; the estimate on every reported station; and its convergence
    as the results arrived. The first result received for a sampled station counts (the form
    of any version of the results form); later ones for the same station are ignored."""
    from collections import Counter, defaultdict

    from hofburg.elections.engine.convergence import convergence
    from hofburg.elections.engine.files import ValidReport
    from hofburg.elections.engine.pvt import Station as PvtStation
    from hofburg.elections.engine.pvt import estimate
    from hofburg.elections.models import PvtSetup

    setup = PvtSetup.objects.filter(mission=mission).first()
    if setup is None:
        return None
    rule = ValidReport(setup.min_valid, setup.require_registered)
    frame = list(mission.stations.values("station_id", "region", "urban_rural",
                                         "registered_voters"))
    by_id = {s["station_id"]: s for s in frame}

    def stratum(station: Mapping[str, Any]) -> str:
        return "/".join(str(station[column]) for column in setup.strata)

    sizes = Counter(stratum(s) for s in frame)
    sample = [by_id[i] for i in setup.sample if i in by_id]
    in_sample = {s["station_id"] for s in sample}
    arrivals: list[PvtStation] = []
    seen: set[str] = set()
    for station_id, data in (Submission.objects.filter(form__mission=mission,
                                                      form__form_id=setup.form_id,
                                                      station_id__in=in_sample)
                             .order_by("received_at", "pk").values_list("station_id", "data")):
        if station_id in seen:
            continue
        seen.add(station_id)
        station = by_id[station_id]
        valid = _whole(data.get("valid"))
        votes = {c: _whole(data.get(c)) or 0 for c in setup.candidates}
        registered = _whole(data.get("registered")) or station["registered_voters"]
        reported = valid is not None and rule.accepts(valid, sum(votes.values()), registered) \
            and sum(votes.values()) <= valid
        arrivals.append(PvtStation(station_id, stratum(station), valid or 0, votes,
                                   registered, _whole(data.get("rejected")) or 0,
                                   _whole(data.get("blank")) or 0, reported=reported))
    regions: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"sampled": 0, "received": 0, "reported": 0})
    for station in sample:
        regions[station["region"]]["sampled"] += 1
    for arrival in arrivals:
        row = regions[by_id[arrival.station_id]["region"]]
        row["received"] += 1
        row["reported"] += int(arrival.reported)
    region_rows = [{"region": name, **row,
                    "rate_pct": round(100.0 * row["reported"] / row["sampled"], 1)}
                   for name, row in sorted(regions.items())]
    pending = [PvtStation(s["station_id"], stratum(s), 0, {}, reported=False)
               for s in sample if s["station_id"] not in seen]
    result = None
    if any(a.reported for a in arrivals):
        result = estimate([*arrivals, *pending], dict(sizes), setup.candidates).as_dict()
    return {
        "setup": setup,
        "regions": region_rows,
        "sampled": len(sample),
        "received": len(arrivals),
        "reported": sum(1 for a in arrivals if a.reported),
        "estimate": result,
        "convergence": convergence(arrivals, dict(sizes), setup.candidates),
    }
