"""Every read of the desk's records, narrowed first by `core.access` and need-to-know grants:
a hidden record is a missing one (404), and is never counted."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from hofburg.cases.engine import custody, publication
from hofburg.cases.engine import protection_publication as protection_counts
from hofburg.cases.engine.fields import countable_fields
from hofburg.cases.models import (
    Alert,
    DetentionEpisode,
    EscalationAssessment,
    Evidence,
    Grant,
    Incident,
    OfficialStatistic,
    Person,
    PrisonerCase,
    ProtectionCase,
    Recognition,
    Situation,
    Statement,
)
from hofburg.core import access, updated
from hofburg.core.access import AnyUser

M = TypeVar("M", bound=Model)


def persons_for(user: AnyUser) -> QuerySet[Person]:
    """The persons `user` may know exist: visible by classification and granted to them."""
    if not access.is_entitled(user):
        return Person.objects.none()
    return access.visible(Person.objects.all(), user).filter(grants__user_id=user.pk or 0)


def persons_updated(user: AnyUser) -> datetime | None:
    """When the persons granted to `user` last changed for them: the newest such person
    recorded, or the newest of their grants to `user` (an internal field, `engine.fields`)."""
    persons = persons_for(user)
    return updated.latest(
        updated.latest_of(persons, "created_at"),
        updated.latest_of(Grant.objects.filter(user_id=user.pk or 0, person__in=persons),
                          "granted_at"))


def person_for(user: AnyUser, surrogate_id: str) -> Person:
    try:
        return persons_for(user).get(surrogate_id=surrogate_id)
    except Person.DoesNotExist as exc:
        raise Http404("No such record.") from exc


def prisoner_cases_for(user: AnyUser, jurisdiction: str = "") -> QuerySet[PrisonerCase]:
    cases = access.visible(PrisonerCase.objects.all(), user)
    if jurisdiction:
        cases = cases.filter(jurisdiction=jurisdiction.upper())
    return cases.select_related("person").prefetch_related(
        Prefetch("episodes", queryset=DetentionEpisode.objects.order_by("start")),
        Prefetch("recognitions", queryset=Recognition.objects.filter(withdrawn_on__isnull=True)))


def prisoner_case_for(user: AnyUser, case_id: str) -> PrisonerCase:
    return access.get_visible_or_404(prisoner_cases_for(user), user, case_id=case_id)


def episodes_of(case: PrisonerCase) -> list[custody.Episode]:
    return [custody.Episode(e.start, e.end, e.died) for e in case.episodes.all()]


def in_custody(user: AnyUser, day: date, jurisdiction: str = "",
               recognised_only: bool = False) -> list[PrisonerCase]:
    """The visible cases whose person was in custody at the end of `day` (CPJ's census rule)."""
    cases = prisoner_cases_for(user, jurisdiction)
    if recognised_only:
        # Exists, not a join: a case with no recognition has no row whose withdrawal is null.
        cases = cases.filter(Exists(Recognition.objects.filter(
            case=OuterRef("pk"), withdrawn_on__isnull=True)))
    return [c for c in cases.filter(episodes__start__lte=day).distinct()
            if custody.status_on(episodes_of(c), day) == custody.Status.IN_CUSTODY]


def _tagged(records: QuerySet[M], mandate: str) -> QuerySet[M]:
    """Records tagged with `mandate`: JSON containment differs between SQLite and PostgreSQL;
    the quoted code in the stored text is the same on both."""
    return records.filter(mandates__icontains=f'"{mandate}"')


def incidents_for(user: AnyUser, *, country: str = "", year: int | None = None,
                  stage: str = "", mandate: str = "") -> QuerySet[Incident]:
    if not access.is_entitled(user):
        # An incident is for staff: even its public fields reach the public only through the
        # publication (decision 0065).
        return Incident.objects.none()
    incidents = access.visible(Incident.objects.all(), user)
    if mandate:
        incidents = _tagged(incidents, mandate)
    if country:
        incidents = incidents.filter(country=country.upper())
    if year is not None:
        incidents = incidents.filter(reporting_year=year)
    if stage:
        incidents = incidents.filter(stage=stage)
    return incidents


def incident_for(user: AnyUser, incident_id: str) -> Incident:
    return access.get_visible_or_404(incidents_for(user), user, incident_id=incident_id)


def _official(figures: QuerySet[OfficialStatistic]) -> list[publication.Official]:
    return [publication.Official(f.state, f.year, f.stage, f.bias_motivation, f.count)
            for f in figures]


def _incidents(incidents: QuerySet[Incident]) -> list[publication.PublishedIncident]:
    return [publication.PublishedIncident(c, y, t, tuple(b)) for c, y, t, b in
            incidents.values_list("country", "reporting_year", "target", "bias_motivations")]


def public_hate_crime_table(year: int, k: int, *, exercise: bool = False
                            ) -> list[list[object]]:
    """The publication: incidents screened in and published (reaching `published` is the
    release), and the official figures classified public. Real and exercise records never
    mix: `exercise` gives the exercise table, every row marked."""
    figures = OfficialStatistic.objects.filter(year=year, classification="public",
                                               is_exercise=exercise)
    incidents = Incident.objects.filter(reporting_year=year, stage="published",
                                        screening="included", is_exercise=exercise)
    return publication.publication_table(year, _official(figures), _incidents(incidents), k,
                                         exercise)


def preview_hate_crime_table(user: AnyUser, year: int, k: int, *, exercise: bool = False
                             ) -> list[list[object]]:
    """What the viewer's incidents in consultation or published would give, with the official
    figures the viewer may see: every input narrowed by `core.access` first, real and exercise
    records apart."""
    figures = access.visible(OfficialStatistic.objects.filter(year=year, is_exercise=exercise),
                             user)
    incidents = incidents_for(user, year=year).filter(
        stage__in=["consultation", "published"], screening="included", is_exercise=exercise)
    return publication.publication_table(year, _official(figures), _incidents(incidents), k,
                                         exercise)


def _described(incidents: QuerySet[Incident]) -> list[publication.PublishedIncident]:
    """Every released incident with the whitelisted fields a description shows (the counts
    decide which may be described); nothing else is read."""
    found = []
    for row in incidents.values(*publication.DESCRIBED_FIELDS, "target"):
        day = row["occurred_on"]
        found.append(publication.PublishedIncident(
            row["country"], row["reporting_year"], row["target"],
            tuple(row["bias_motivations"]), month=day.strftime("%Y-%m") if day else "",
            incident_type=row["incident_type"], public_summary=row["public_summary"]))
    return found


def public_hate_crime_descriptions(year: int, k: int, *, exercise: bool = False
                                   ) -> list[list[object]]:
    """The descriptions published beside the table: from the same released incidents (real
    or exercise, never both), those against people with a public summary whose counts the
    table shows (decision 0065)."""
    incidents = Incident.objects.filter(reporting_year=year, stage="published",
                                        screening="included", is_exercise=exercise)
    return publication.descriptions(year, _described(incidents), k, exercise)


def preview_hate_crime_descriptions(user: AnyUser, year: int, k: int, *,
                                    exercise: bool = False) -> list[list[object]]:
    """The descriptions the viewer's incidents in consultation or published would give."""
    incidents = incidents_for(user, year=year).filter(
        stage__in=["consultation", "published"], screening="included", is_exercise=exercise)
    return publication.descriptions(year, _described(incidents), k, exercise)


def alerts_for(user: AnyUser, *, country: str = "", year: int | None = None,
               coe_category: str = "") -> QuerySet[Alert]:
    alerts = access.visible(Alert.objects.all(), user).select_related("person")
    if country:
        alerts = alerts.filter(country=country.upper())
    if year is not None:
        alerts = alerts.filter(submitted_on__year=year)
    if coe_category:
        # JSON containment differs between SQLite and PostgreSQL; the quoted code in the
        # stored text is the same on both.
        alerts = alerts.filter(coe_categories__icontains=f'"{coe_category}"')
    return alerts


def alert_for(user: AnyUser, alert_id: str) -> Alert:
    return access.get_visible_or_404(Alert.objects.all(), user, alert_id=alert_id)


def protection_cases_for(user: AnyUser, *, concern: str = "", country: str = "",
                         status: str = "") -> QuerySet[ProtectionCase]:
    """The protection cases `user` may see by classification; every field is internal or
    above, so anonymous visitors and users without an affiliation see none."""
    if not access.is_entitled(user):
        return ProtectionCase.objects.none()
    cases = access.visible(ProtectionCase.objects.all(), user).select_related(
        "person").prefetch_related("movements")
    if concern:
        cases = cases.filter(concern=concern)
    if country:
        cases = cases.filter(country=country.upper())
    if status:
        cases = cases.filter(status=status)
    return cases


def protection_case_for(user: AnyUser, case_id: str) -> ProtectionCase:
    return access.get_visible_or_404(protection_cases_for(user), user, case_id=case_id)


def publishable_protection_cases(user: AnyUser, year: int, *,
                                 exercise: bool) -> QuerySet[ProtectionCase]:
    """The cases of `year` the protection table counts for `user` (a publisher, decision
    0076): those of their affiliation they may see (`protection_cases_for`; the owner sees all
    its own, so every publisher of an affiliation counts the same cases), opened in the year,
    of the exercise or of the real data as asked (never both), with the person's consent
    recorded, whose person is neither erased nor under restriction nor awaiting an erasure
    decision, and not found "not a victim" of trafficking."""
    return protection_cases_for(user).filter(
        owner_affiliation_id=getattr(user, "affiliation_id", None) or 0,
        opened_on__year=year, is_exercise=exercise, consent=True,
        person__erased_at__isnull=True, person__restricted_at__isnull=True,
    ).exclude(trafficking_status="not_a_victim").exclude(
        person__erasure_requests__outcome="pending")


def protection_table(user: AnyUser, year: int, k: int, *,
                     exercise: bool = False) -> tuple[list[list[object]], int]:
    """The public table of protection cases as `user` would publish it, and how many cases it
    counts. Only the whitelisted fields (`fields.COUNTABLE`) are read from the database."""
    counted = []
    for row in publishable_protection_cases(user, year, exercise=exercise).values(
            *countable_fields("protection")):
        counted.append(protection_counts.CountedCase(
            year=row["opened_on"].year, concern=row["concern"], country=row["country"],
            gender=row.get("gender") or "", age=row.get("age_at_exploitation"),
            citizenship=tuple(str(c).upper() for c in row.get("citizenship") or ()),
            exploitation_types=tuple(str(t) for t in row.get("exploitation_types") or ())))
    return (protection_counts.protection_table(year, counted, k, exercise=exercise),
            len(counted))


def situations_for(user: AnyUser, *, state: str = "") -> QuerySet[Situation]:
    """The situations `user` may know exist: visible by classification and granted to them."""
    if not access.is_entitled(user):
        return Situation.objects.none()
    found = access.visible(Situation.objects.all(), user).filter(grants__user_id=user.pk or 0)
    if state:
        found = found.filter(state=state.upper())
    return found.prefetch_related(
        "observations",
        Prefetch("assessments", queryset=EscalationAssessment.objects.order_by("assessed_at",
                                                                                "pk")))


def situation_for(user: AnyUser, situation_id: str) -> Situation:
    try:
        return situations_for(user).get(situation_id=situation_id)
    except Situation.DoesNotExist as exc:
        raise Http404("No such record.") from exc


def statements_for(user: AnyUser, *, mandate: str = "", language: str = "",
                   year: int | None = None) -> QuerySet[Statement]:
    """Statements on intolerance the caller may see by their classification, newest first."""
    found = access.visible(Statement.objects.all(), user)
    if mandate:
        found = _tagged(found, mandate)
    if language:
        found = found.filter(language=language.lower())
    if year is not None:
        found = found.filter(made_on__year=year)
    return found.order_by("-made_on", "statement_id")


def statement_for(user: AnyUser, statement_id: str) -> Statement:
    return access.get_visible_or_404(Statement.objects.all(), user, statement_id=statement_id)


def linked_incident_ids(user: AnyUser, statements: list[Statement]) -> dict[int, list[str]]:
    """statement id → the ids of its linked incidents the caller may see, sorted; a hidden
    incident is neither named nor counted."""
    if not statements:
        return {}
    through = Statement.incidents.through
    links = through.objects.filter(
        statement_id__in=[s.pk for s in statements],
        incident_id__in=incidents_for(user).values("pk")).values_list(
        "statement_id", "incident__incident_id")
    linked: dict[int, list[str]] = {}
    for statement_pk, incident_id in links:
        linked.setdefault(statement_pk, []).append(incident_id)
    return {pk: sorted(ids) for pk, ids in linked.items()}


def evidence_for(user: AnyUser, evidence_id: str) -> Evidence:
    """A piece of evidence `user` may see by its own classification and by its case's or
    alert's; 404 otherwise, as for a missing one."""
    found = Evidence.objects.filter(
        Q(case__in=access.visible(PrisonerCase.objects.all(), user))
        | Q(alert__in=access.visible(Alert.objects.all(), user))).select_related("case", "alert")
    return access.get_visible_or_404(found, user, evidence_id=evidence_id)
