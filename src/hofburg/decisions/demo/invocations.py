"""Two EXERCISE invocations of the mechanisms States invoke alone, recorded through the ordinary
service by the exercise delegations North and South themselves.

Nothing here is attributed to a real State: the invoking States are exercise delegations, and
the accounts name exercise places and people only. The dates follow the exercise cycle (its
first meeting, or some weeks before the day the demo is loaded).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from hofburg.core.models import Affiliation, Classification
from hofburg.decisions.clock import VIENNA
from hofburg.decisions.demo.cycle import MARK, exercise_actor
from hofburg.decisions.models import Invocation, Meeting
from hofburg.decisions.services.invocations import InvocationInput, record_invocation

NEEDED = ("exercise-north", "exercise-south")


def load() -> None:
    """Record the two invocations once; a second run finds them and records nothing."""
    if Invocation.objects.filter(is_exercise=True).exists():
        return
    if Affiliation.objects.filter(code__in=NEEDED, is_exercise=True).count() != len(NEEDED):
        return
    north, south = exercise_actor("exercise-north"), exercise_actor("exercise-south")
    first = (Meeting.objects.filter(is_exercise=True, body="PC").order_by("number").first())
    today = timezone.localdate(timezone.now(), VIENNA)
    record_invocation(north, InvocationInput(
        mechanism="vienna_human_dimension", states=["exercise-north", "exercise-south"],
        invoked_on=first.date if first else today - timedelta(days=21),
        meeting=first.pk if first else None, body="PC",
        summary=f"{MARK}: Exercise Delegations North and South ask the exercise host "
                "authorities, in writing, for information on two journalists detained after "
                "reporting on the water-security workshop, and announce a bilateral meeting "
                "if no answer comes within ten days.",
        classification=Classification.PUBLIC))
    record_invocation(south, InvocationInput(
        mechanism="vd_chapter_iii", states=["exercise-south"],
        invoked_on=today - timedelta(days=10), body="FSC",
        summary=f"{MARK}: Exercise Delegation South requests an explanation of unusual "
                "military activity reported near the exercise border area, and a meeting "
                "within 48 hours of the answer.",
        classification=Classification.RESTRICTED))
