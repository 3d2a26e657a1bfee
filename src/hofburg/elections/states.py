"""The State a mission observes: a participating State of the registry, named by its ISO 3166-1
alpha-2 code, or, for an exercise mission only, an exercise State (`registry.exercise`, decision
0071). Checked the way the projects desk checks its States: against the registry's rows.

Missions recorded before the check keep the State as it was typed if the registry has no State
of that name (migration 0003); `state_name` shows such a text as it is.
"""

from __future__ import annotations

from django.utils.translation import get_language, override

from hofburg.core.errors import Invalid
from hofburg.core.i18n import localized
from hofburg.registry.exercise import EXERCISE_STATES, is_exercise_state
from hofburg.registry.models import ParticipatingState


def check_state(value: str, *, exercise: bool) -> str:
    """The upper-case code of the State `value` names; Invalid (field `state`) for anything that
    is not a participating State in the registry, and for an exercise State on a mission that is
    not an exercise."""
    code = (value or "").strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise Invalid("The ISO 3166-1 alpha-2 code of a participating State, such as \"MD\".",
                      field="state")
    if is_exercise_state(code):
        if not exercise:
            raise Invalid(f"{code} is an exercise State: only an exercise mission may observe it.",
                          field="state")
        return code
    if not ParticipatingState.objects.filter(iso2=code).exists():
        raise Invalid(f"Not a participating State in the registry: {code!r}.", field="state")
    return code


def state_name(code: str) -> str:
    """The State's name in the active language; the stored text itself when it is no code the
    registry or the exercise States know (a mission recorded before the check)."""
    if code in EXERCISE_STATES:
        return str(EXERCISE_STATES[code])
    found = ParticipatingState.objects.filter(iso2=code).values_list("names", flat=True).first()
    if found is None:
        return code
    return localized(found, get_language(), fallback=code)


def codes_named(query: str) -> list[str]:
    """The codes of the States whose name in any language (or whose code) holds `query`, for
    finding missions by the State's name."""
    wanted = query.strip().lower()
    if not wanted:
        return []
    found = []
    for code, label in EXERCISE_STATES.items():
        with override("en"):
            english = str(label)
        if wanted in english.lower() or wanted in str(label).lower():
            found.append(code)
    for code, names in ParticipatingState.objects.values_list("iso2", "names"):
        if wanted == code.lower() or any(wanted in str(n).lower() for n in names.values()):
            found.append(code)
    return found
