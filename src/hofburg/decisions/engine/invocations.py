"""The mechanisms a participating State or a group of participating States can set in motion
alone (osce-organization.md §1.3, "actions one or a group of States can take alone"): the
Vienna Human Dimension Mechanism, the Moscow Mechanism, the Berlin emergency mechanism, the
Vienna Document's Chapter III risk-reduction mechanisms and the Valletta dispute-settlement
mechanism, as `data/decisions/mechanisms.yaml` lists them (kind `invoked_alone`).

No consensus is needed: the invoking States act on their own. The reference labels the whole
list unconfirmed and gives no thresholds it confirms (the Moscow Mechanism's "support of 5 or 9
others" is unconfirmed), so an invocation is checked for what is certain only: a mechanism of
that kind, invoked by at least one State, each named once. The caller passes the data in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from hofburg.decisions.engine.rules import Mechanism


class InvocationRefused(ValueError):
    """An invocation the rules do not allow. `reason` is a stable code (`unknown_mechanism`,
    `not_invoked_alone`, `no_state`, `too_many_states`, `named_twice`) and `field` the input
    it concerns (`mechanism`, `states`)."""

    def __init__(self, reason: str, field: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.field = field
        self.message = message


def invoked_alone(mechanisms: Iterable[Mechanism]) -> dict[str, Mechanism]:
    """The mechanisms of kind `invoked_alone`, by code, in the data file's order."""
    return {m.code: m for m in mechanisms if m.kind == "invoked_alone"}


def check_invocation(mechanism: str, states: Sequence[str],
                     mechanisms: Mapping[str, Mechanism], *, most: int) -> Mechanism:
    """The mechanism `mechanism` if the States `states` (their codes) may invoke it alone:
    a mechanism of kind `invoked_alone`, at least one State and at most `most`, none named
    twice. Raises `InvocationRefused` otherwise."""
    found = mechanisms.get(mechanism)
    if found is None:
        known = ", ".join(invoked_alone(mechanisms.values()))
        raise InvocationRefused("unknown_mechanism", "mechanism",
                                f"{mechanism[:40]!r} is not a mechanism in the data: {known}")
    if found.kind != "invoked_alone":
        raise InvocationRefused(
            "not_invoked_alone", "mechanism",
            f"{found.name} is a way of adopting a decision, not a mechanism States invoke "
            "alone: record it as the basis of the decision's adoption")
    if not states:
        raise InvocationRefused("no_state", "states",
                                "name at least one participating State that invoked it")
    if len(states) > most:
        raise InvocationRefused("too_many_states", "states", f"at most {most} States")
    if len(set(states)) != len(states):
        raise InvocationRefused("named_twice", "states", "a State is named twice")
    return found
