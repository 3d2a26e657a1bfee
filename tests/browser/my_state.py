"""What a member of Austria's delegation finds on the home page in the browser walks: every
card of "My State" filled (decision 0072) — a notification falling due, the yearly submissions
overdue, a document of the delegation's own, a draft under silence and a media-freedom alert
awaiting the State's reply. Exercise records, dated from the real today: the live server's
clock is not frozen."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from hofburg.cases.models import Alert
from hofburg.core.models import Affiliation, Classification, Role, User
from hofburg.csbm import services as csbm
from hofburg.decisions.models import Draft
from hofburg.documents.services import register_document

DELEGATE = "delegate"
CARDS = ("#my-state-deadlines-heading", "#my-state-alerts-heading",
         "#my-state-documents-heading")


def fill_my_state(passphrase: str) -> User:
    """The delegate of Austria (which the desk fixture holds) and a record for every card."""
    delegation = Affiliation.objects.create(
        code="delegation-at", name="Delegation of Austria", state_iso2="AT",
        kind=Affiliation.Kind.DELEGATION)
    delegate = User.objects.create_user(DELEGATE, password=passphrase, affiliation=delegation,
                                        roles=[Role.READER, Role.EDITOR])
    today = timezone.localdate()
    csbm.record_activity(None, csbm.ActivityRecord(
        state="AT", reference="exercise-alpine-step", name="Exercise Alpine Step",
        start=today + timedelta(days=50), end=today + timedelta(days=55),
        classification=Classification.RESTRICTED, is_exercise=True, details={"troops": 9500}))
    register_document(delegate, symbol="PC.DEL/12/26", title="Statement on the exercise",
                      date=today, originator="Delegation of Austria", original_language="en",
                      classification=Classification.RESTRICTED, is_exercise=True)
    now = timezone.now()
    Draft.objects.create(
        body="PC", number=12, year=today.year, symbol=f"PC.DD/12/{today.year % 100:02d}",
        title="Draft decision on the exercise", status=Draft.Status.UNDER_SILENCE,
        silence_placed_at=now - timedelta(days=1), silence_expires_at=now + timedelta(days=3),
        classification=Classification.PUBLIC, is_exercise=True)
    Alert.objects.create(
        alert_id="MF-EXERCISE1", country="AT", submitted_on=today - timedelta(days=3),
        perpetrator_type="unknown", media_actor_type="journalist", severity="high",
        partner="Exercise Press Union", summary="An exercise alert.",
        classification=Classification.PUBLIC, is_exercise=True)
    return delegate
