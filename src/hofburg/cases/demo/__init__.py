"""Demo data of the human-dimension desk: EXERCISE people and cases, generated from a fixed
seed through the ordinary services. The names are obviously fictional ("Bravo Placeholder
(EXERCISE)"), the jurisdiction is `XE`, a code ISO 3166 leaves to its users (no real State), and
every record is marked as exercise data and owned by the exercise Secretariat unit.

- twelve persons, sealed in the vault, with a prisoner's case each: detention episodes (some
  ended), a hearing, a recognition by a fictional organisation for most, a condition report;
- sixty civil-society hate incidents of last year in `XE`, from a fictional organisation, most
  screened in and published, a few excluded with their reason or still received; the official
  figures of `XE` for last year (public, so the publication shows them);
- five media-freedom alerts in `XE` from a fictional partner, public, two of them naming an
  exercise person (names shown only with a grant), one with the State's reply;
- four more persons with a protection case each in `XE` (trafficking, gender-based violence,
  Roma and Sinti; HTCDS codes), with the movement, a risk assessment, a referral and
  assistance; confidential, so only the exercise Secretariat sees them;
- two national-minority situations in `XE` with fictional communities, monthly indicator
  observations and escalation assessments; confidential, granted to `demo-analyst` at the
  restricted level (no sources);
- four EXERCISE statements on intolerance by obviously fictional speakers of exercise
  bodies, tagged by `demo-analyst` with the Personal Representatives' mandates, three public
  and one restricted, two linked to exercise incidents; `demo-analyst` also tags two
  incidents per mandate (the exercise analyst's own choice, not a rule of the product) and
  writes obviously fictional public summaries, marked EXERCISE, for three published exercise
  incidents against people (decision 0065);
- `demo-analyst` (exercise Secretariat) holds a restricted grant for every exercise person:
  names, no contacts or medical details; `demo-reader` (exercise South) holds none, so sees the
  restricted cases without a name and no person at all.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from hofburg.core.demo import DemoError, register_loader
from hofburg.core.errors import ServiceError
from hofburg.core.models import Affiliation, Classification, User

FIRST = ("Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India",
         "Juliett", "Kilo", "Lima")
PROTECTED = ("Mike", "November", "Oscar", "Papa")  # the persons of the protection cases
LAST = ("Placeholder", "Fictitious", "Madeup", "Imaginary", "Testcase", "Nonexistent")
JURISDICTION = "XE"  # ISO 3166-1 user-assigned range: no real State
ORGANISATIONS = ("Exercise Human Rights Centre", "Exercise Lawyers' Forum")
SEED = 41
EDITOR = "demo-cases-editor"


def register() -> None:
    register_loader("cases", load_cases_demo)


def load_cases_demo() -> None:
    try:
        _load()
        _load_tolerance()
        _load_summaries()
    except ServiceError as exc:
        raise DemoError(f"cases: {exc}") from exc


def _editor() -> User:
    from hofburg.core.services.accounts import ensure_actor

    return ensure_actor(EDITOR, affiliation_code="exercise-secretariat",
                        roles=["reader", "editor"])


def _load() -> None:
    from hofburg.cases.models import Grant, Person
    from hofburg.cases.services import persons, prisoners

    if Person.objects.filter(is_exercise=True).exists():
        return
    owner = Affiliation.objects.get(code="exercise-secretariat")
    editor = _editor()
    analyst = User.objects.get(username="demo-analyst")
    rng = random.Random(SEED)  # noqa: S311 (exercise data, reproducible on purpose)
    today = timezone.localdate()
    for number, first in enumerate(FIRST):
        name = f"{first} {LAST[number % len(LAST)]} (EXERCISE)"
        person, _dupes = persons.create_person(
            editor, owner=owner, is_exercise=True,
            birth_date=f"{1970 + number}-0{1 + number % 9}-15",
            vault_values={"name": name, "contacts": f"exercise-contact-{number:02d}@example.org",
                          "identity_number": f"EX{rng.randrange(10**6, 10**7)}",
                          "medical": "EXERCISE: needs regular medication"})
        persons.grant_access(editor, person, analyst, Grant.Level.RESTRICTED)
        case = prisoners.create_prisoner_case(
            editor, person, jurisdiction=JURISDICTION, is_exercise=True,
            articles=[f"ECC {rng.choice((130, 342, 361, 368))}"],
            charges="EXERCISE: participation in a peaceful assembly",
            case_number=f"EX-{2026}-{number:03d}",
            classification=Classification.RESTRICTED)
        start = today - timedelta(days=rng.randrange(60, 900))
        released = number % 4 == 3
        end: date | None = start + timedelta(days=rng.randrange(20, 50)) if released else None
        prisoners.add_detention_episode(editor, case, kind="pre_trial", start=start, end=end,
                                        facility="EXERCISE Detention Centre No. 1")
        prisoners.add_proceeding(editor, case, court="EXERCISE District Court",
                                 hearing_date=start + timedelta(days=14),
                                 closed_trial=number % 3 == 0,
                                 verdict="" if released else "guilty",
                                 sentence="" if released else "3 years, general regime")
        if number % 5 != 4:
            prisoners.add_recognition(editor, case, organisations=list(ORGANISATIONS),
                                      criteria=["a", "e"],
                                      recognised_on=start + timedelta(days=30))
        prisoners.add_condition_report(editor, case, reported_on=start + timedelta(days=40),
                                       text="EXERCISE: denied access to a lawyer of choice")
    _load_hate_crime(editor, rng)
    _load_alerts(editor, rng, list(Person.objects.filter(is_exercise=True)[:2]))
    _load_protection(editor, owner, analyst, rng)
    _load_situations(editor, owner, analyst, rng)


def _load_hate_crime(editor: User, rng: random.Random) -> None:
    from hofburg.cases.engine import codes
    from hofburg.cases.models import Incident
    from hofburg.cases.services import hatecrime

    year = timezone.localdate().year - 1
    version = codes.version_for(year)
    biases = sorted(version.bias_motivations)
    # Two incidents against people for one against property, so that both columns of the
    # published table clear the suppression threshold and the demo shows figures.
    against = {target: sorted(code for code, kind in version.incident_types.items()
                              if kind.target == target) for target in ("person", "property")}
    lines = ["reporting_year,country,date,incident_type,bias_motivations,source_org,"
             "source_kind,description"]
    for number in range(60):
        day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        types = against["property" if number % 3 == 2 else "person"]
        lines.append(f"{year},{JURISDICTION},{day.isoformat()},{rng.choice(types)},"
                     f"{rng.choice(biases)},Exercise Monitoring Network,cso,"
                     "EXERCISE: generated incident")
    hatecrime.import_incidents(editor, ("\n".join(lines) + "\n").encode(), is_exercise=True)
    for number, incident in enumerate(Incident.objects.filter(is_exercise=True).order_by("pk")):
        if number % 10 == 9:
            continue  # still received
        if number % 10 == 8:
            hatecrime.screen_incident(editor, incident, "excluded_hate_speech",
                                      "EXERCISE: speech without a criminal offence")
            continue
        hatecrime.screen_incident(editor, incident, "included")
        hatecrime.advance_incident(editor, incident, "consultation")
        hatecrime.advance_incident(editor, incident, "published")
    figures = ["state,year,stage,bias_motivation,count,point_of_contact,source"]
    for stage, count in (("recorded_by_police", rng.randrange(100, 200)),
                         ("prosecuted", rng.randrange(20, 60)), ("sentenced", "")):
        figures.append(f"{JURISDICTION},{year},{stage},total,{count},EXERCISE NPC,generated")
    hatecrime.import_official_statistics(editor, ("\n".join(figures) + "\n").encode(),
                                         "figures.csv", classification=Classification.PUBLIC,
                                         is_exercise=True)


def _load_alerts(editor: User, rng: random.Random, named: list[object]) -> None:
    from hofburg.cases.engine import media as media_codes
    from hofburg.cases.services import media

    today = timezone.localdate()
    violations = sorted(media_codes.version_for(today.year).violations)
    for number in range(5):
        submitted = today - timedelta(days=rng.randrange(10, 300))
        alert = media.create_alert(editor, media.AlertRecord(
            country=JURISDICTION, submitted_on=submitted,
            occurred_on=submitted - timedelta(days=2),
            violations=rng.sample(violations, 2), perpetrator_type="state_actor",
            media_actor_type="EXERCISE journalist", severity=rng.choice(media_codes.SEVERITIES),
            partner="Exercise Press Freedom Partner", summary="EXERCISE: generated alert",
            person=named[number] if number < len(named) else None,  # type: ignore[arg-type]
            classification=Classification.PUBLIC, is_exercise=True))
        if number == 0:
            media.record_state_reply(editor, alert, received_on=submitted + timedelta(days=5),
                                     text="EXERCISE: the authorities are looking into it")


def _load_protection(editor: User, owner: Affiliation, analyst: User,
                     rng: random.Random) -> None:
    from hofburg.cases.models import Grant
    from hofburg.cases.services import persons, protection

    today = timezone.localdate()
    concerns = ("trafficking", "trafficking", "gender_based_violence", "roma_sinti")
    for number, first in enumerate(PROTECTED):
        person, _dupes = persons.create_person(
            editor, owner=owner, is_exercise=True,
            vault_values={"name": f"{first} {LAST[number]} (EXERCISE)",
                          "contacts": f"exercise-shelter-{number:02d}@example.org"})
        persons.grant_access(editor, person, analyst, Grant.Level.RESTRICTED)
        concern = concerns[number]
        trafficked = concern == "trafficking"
        opened = today - timedelta(days=rng.randrange(60, 400))
        case = protection.create_protection_case(editor, person, protection.ProtectionRecord(
            concern=concern, country=JURISDICTION, opened_on=opened, consent=True,
            trafficking_status="possible_victim" if trafficked else "",
            status_decided_by="ngo" if trafficked else "",
            gender=rng.choice(("feminine", "masculine", "not_specified")),
            age_at_exploitation=rng.randrange(16, 40) if trafficked else None,
            citizenship=[JURISDICTION],
            relationship_to_trafficker="acquainted" if trafficked else "",
            exploitation_types=[rng.choice(("forced_labour", "sexual_exploitation",
                                            "forced_begging"))] if trafficked else [],
            recruitment_methods=["online_advertisement"] if trafficked else [],
            control_methods=["withholds_documents", "debt_bondage"] if trafficked else [],
            summary="EXERCISE: generated case, no real person",
            classification=Classification.CONFIDENTIAL, is_exercise=True))
        if trafficked:
            for step, kind in enumerate(("recruitment", "transit", "exploitation")):
                protection.add_movement(editor, case, kind=kind, country=JURISDICTION,
                                        on=opened - timedelta(days=90 - 30 * step),
                                        description=f"EXERCISE: {kind}")
        protection.add_risk_assessment(editor, case, assessed_on=opened, level="individual",
                                       factors=["age"], note="EXERCISE: first assessment")
        protection.add_referral(editor, case, direction="outgoing",
                                organisation="Exercise Shelter Network",
                                organisation_type="ngo", on=opened + timedelta(days=3),
                                reason="additional_services")
        protection.add_assistance(editor, case, kind="legal", started_on=opened,
                                  objectives="EXERCISE: legal counselling",
                                  planned_end=opened + timedelta(days=180))
        if number == 3:
            protection.set_case_status(editor, case, "closed_referred",
                                       "EXERCISE: referred to the exercise shelter")


def _load_situations(editor: User, owner: Affiliation, analyst: User,
                     rng: random.Random) -> None:
    from hofburg.cases.engine import situations as rules
    from hofburg.cases.services import situations

    today = timezone.localdate()
    indicators = [c for c in rules.version().codes("indicators") if c != "other"]
    for number, (title, community) in enumerate((
            ("EXERCISE: schooling in the minority language", "Exercise Northern Community"),
            ("EXERCISE: tensions over local representation", "Exercise Valley Community"))):
        situation = situations.create_situation(editor, owner, situations.SituationRecord(
            state=JURISDICTION, region=f"Exercise Region {number + 1}", title=title,
            opened_on=today - timedelta(days=365), communities=[community],
            classification=Classification.CONFIDENTIAL, is_exercise=True))
        situations.grant_situation(editor, situation, analyst, "restricted")
        for month in range(6):
            situations.record_observation(
                editor, situation, indicator=rng.choice(indicators),
                observed_on=today - timedelta(days=30 * (6 - month)),
                level=rng.choice(("low", "elevated", "high")), value=rng.randrange(0, 20),
                source="EXERCISE: generated source", note="EXERCISE: generated observation")
        for level in ("monitoring", "concern")[: number + 1]:
            situations.assess_escalation(editor, situation, level=level,
                                         reason=f"EXERCISE: assessed as {level}")


# The exercise analyst's choice of incidents to tag, by the bias they record: demo data that
# plays an analyst's judgement, never a mapping the product applies (decision 0056).
_DEMO_TAGS = {"antisemitism": "antisemitism", "anti_muslim": "anti_muslim",
              "racism_xenophobia_christians_other_religions": "anti_christian_other_religions"}
_STATEMENTS = (
    # (days ago, speaker, title, language, text, mandates, classification, linked)
    (12, "Exercise Interfaith Council (EXERCISE)",
     "EXERCISE: Statement on an arson attack on a place of worship", "en",
     "EXERCISE: a generated statement by a fictional council condemning an attack on a "
     "place of worship in the exercise jurisdiction XE.",
     ("racism_xenophobia_christians_other_religions",), Classification.PUBLIC, True),
    (30, "Golf Imaginary, spokesperson of the Exercise Delegation North (EXERCISE)",
     "EXERCISE: Call to remove antisemitic graffiti", "en",
     "EXERCISE: a generated statement by a fictional spokesperson; no real person or State "
     "said this.", ("antisemitism",), Classification.PUBLIC, True),
    (45, "Forum d'exercice pour la tolérance (EXERCISE)",
     "EXERCICE : déclaration sur des menaces visant des fidèles musulmans", "fr",
     "EXERCICE : déclaration fictive, générée pour la démonstration ; aucune personne ni "
     "aucun État réel ne l'a faite.", ("anti_muslim",), Classification.RESTRICTED, False),
    (80, "Exercise Civil Society Platform (EXERCISE)",
     "EXERCISE: Joint statement for the International Day for Tolerance", "en",
     "EXERCISE: a generated joint statement of fictional organisations.",
     tuple(_DEMO_TAGS), Classification.PUBLIC, False),
)


def _load_tolerance() -> None:
    from hofburg.cases.models import Incident, Statement
    from hofburg.cases.services import tolerance

    if Statement.objects.filter(is_exercise=True).exists():
        return
    analyst = User.objects.get(username="demo-analyst")
    incidents = list(Incident.objects.filter(is_exercise=True).order_by("pk"))
    tagged: dict[str, list[Incident]] = {}
    for mandate, bias in _DEMO_TAGS.items():
        chosen = [i for i in incidents if bias in i.bias_motivations][:2]
        for incident in chosen:
            tolerance.tag_incident_mandates(analyst, incident, [*incident.mandates, mandate])
        tagged[mandate] = chosen
    today = timezone.localdate()
    for days, speaker, title, language, text, mandates, level, linked in _STATEMENTS:
        about = [i.incident_id for m in mandates for i in tagged.get(m, [])][:1] if linked \
            else []
        tolerance.record_statement(analyst, tolerance.StatementRecord(
            made_on=today - timedelta(days=days), speaker=speaker, title=title, text=text,
            language=language, mandates=mandates, incident_ids=tuple(about),
            classification=level, is_exercise=True))


def _load_summaries() -> None:
    """`demo-analyst` writes a public summary for the first three published exercise incidents
    against people that have none yet: generated text, naming no one and nowhere real."""
    from hofburg.cases.models import Incident
    from hofburg.cases.services import hatecrime

    analyst = User.objects.get(username="demo-analyst")
    released = Incident.objects.filter(is_exercise=True, target="person", stage="published",
                                       screening="included").order_by("pk")
    if released.exclude(public_summary="").exists():
        return
    for incident in released[:3]:
        hatecrime.set_public_summary(analyst, incident, (
            f"EXERCISE: a generated description of a fictional "
            f"{incident.incident_type.replace('_', ' ')} against a person in the exercise "
            f"jurisdiction {JURISDICTION}; no real person, place or State."))
