"""Every read of the desk's records, narrowed first by `core.access` and need-to-know grants:
a hidden record is a missing one (404), and is never counted."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from hofburg.cases.engine import custody, publication
from hofburg.cases.models import (
    Alert,
    DetentionEpisode,
    EscalationAssessment,
    Incident,
    OfficialStatistic,
    Person,
    PrisonerCase,
    ProtectionCase,
    Recognition,
    Situation,
)
from hofburg.core import access
from hofburg.core.access import AnyUser


def persons_for(user: AnyUser) -> QuerySet[Person]:
    """The persons `user` may know exist: visible by classification and granted to them."""
    if not access.is_entitled(user):
        return Person.objects.none()
    return access.visible(Person.objects.all(), user).filter(grants__user_id=user.pk or 0)


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


def incidents_for(user: AnyUser, *, country: str = "", year: int | None = None,
                  stage: str = "") -> QuerySet[Incident]:
    if not access.is_entitled(user):
        return Incident.objects.none()  # every field of an incident is internal or above
    incidents = access.visible(Incident.objects.all(), user)
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


def public_hate_crime_table(year: int, k: int) -> list[list[object]]:
    """The publication: incidents screened in and published (reaching `published` is the
    release), and the official figures classified public."""
    figures = OfficialStatistic.objects.filter(year=year, classification="public")
    incidents = Incident.objects.filter(reporting_year=year, stage="published",
                                        screening="included")
    return publication.publication_table(year, _official(figures), _incidents(incidents), k)


def preview_hate_crime_table(user: AnyUser, year: int, k: int) -> list[list[object]]:
    """What the viewer's incidents in consultation or published would give, with the official
    figures the viewer may see: every input narrowed by `core.access` first."""
    figures = access.visible(OfficialStatistic.objects.filter(year=year), user)
    incidents = incidents_for(user, year=year).filter(
        stage__in=["consultation", "published"], screening="included")
    return publication.publication_table(year, _official(figures), _incidents(incidents), k)


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
