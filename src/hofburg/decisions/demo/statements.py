"""EXERCISE statements for `hofburg demo`: the exercise delegations speak in the exercise
Permanent Council, in English, French and Russian, aligned with exercise names only, and the
exercise delegation North keeps a position on an exercise draft if one is loaded.

Recorded through the ordinary services as the demo accounts (North's editor speaks for itself;
the exercise Secretariat records South's statement). Idempotent: nothing is added once the
exercise statements exist. No real State or person is named.
"""

from __future__ import annotations

from datetime import timedelta

from hofburg.core import access
from hofburg.core.demo import DemoError
from hofburg.core.errors import ServiceError
from hofburg.core.models import Classification, User
from hofburg.decisions import clock
from hofburg.decisions.models import Draft, Statement
from hofburg.decisions.services.positions import record_stance, set_instruction
from hofburg.decisions.services.statements import (
    StatementInput,
    add_statement_translation,
    record_statement,
)

WATER_EN = ("Exercise Delegation North welcomes the exercise initiative on shared rivers. "
            "Riparian States share the basin, and its security is a matter for all of us.")
WATER_RU = ("Учебная делегация «Север» приветствует учебную инициативу по общим рекам. "
            "Прибрежные государства делят бассейн, и его безопасность касается всех нас.")
BUDGET_FR = ("La délégation d'exercice Sud rappelle que le budget de la mission d'exercice "
             "doit être adopté avant la fin de l'année.")


def load() -> None:
    if Statement.objects.filter(is_exercise=True).exists():
        return
    north = User.objects.filter(username="demo-editor").first()
    chair = User.objects.filter(username="demo-chair").first()
    if north is None or chair is None:
        return
    today = clock.now().date()
    try:
        water = record_statement(north, StatementInput(
            body="PC", original_language="en", delivered_on=today - timedelta(days=14),
            title="EXERCISE: on shared rivers", texts={"en": WATER_EN},
            aligned=["Exercise Delegation South"],
            alignment_note="with the exercise candidate countries in alignment",
            classification=Classification.PUBLIC, distribute=True))
        add_statement_translation(north, water, "ru", WATER_RU)
        record_statement(chair, StatementInput(
            body="PC", original_language="fr", delivered_on=today - timedelta(days=7),
            delegation="exercise-south", title="EXERCISE : budget de la mission",
            texts={"fr": BUDGET_FR}, classification=Classification.RESTRICTED))
        _position(north)
    except ServiceError as exc:
        raise DemoError(f"decisions statements: {exc}") from exc


def _position(north: User) -> None:
    draft = Draft.objects.filter(is_exercise=True).order_by("id").first()
    if draft is None or not draft.revisions.exists() or not access.can_view(north, draft):
        return
    set_instruction(north, draft, instruction="EXERCISE: join consensus if the exercise "
                    "budget line stays within this year's ceiling.",
                    red_lines="EXERCISE: no new budget line.", received_on=None)
    latest = draft.revisions.order_by("-number").first()
    if latest is not None:
        record_stance(north, draft, latest.number, "accept", "EXERCISE: within the ceiling.")
