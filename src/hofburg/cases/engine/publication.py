"""The annual hate-crime publication of a reporting year, as ODIHR presents it per State
(domain reference §1.3): official data reported by the State (recorded by police, prosecuted,
sentenced; "not available" where nothing was reported), and incidents reported by civil
society, international organisations and the Holy See, counted per bias motivation and split
into attacks on people and attacks on property.

Only screened-in, published incidents count. Civil-society counts are small-cell suppressed
(`suppression`): a count from 1 to k-1 reads "suppressed", and when a State's column of bias
rows holds exactly one such cell, its next smallest cell is suppressed too, so the total row
cannot give it back by subtraction (an incident with several biases counts in each of their
rows, so the rows rarely add up exactly, but they may). Property incidents appear only as
counts (ODIHR publishes attacks on property as statistics), and no incident is described
here. Official figures are shown as the State reported them: they are public at the source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from hofburg.cases.engine.suppression import DEFAULT_K, suppress_row

STAGES = ("recorded_by_police", "prosecuted", "sentenced")
NOT_AVAILABLE = "not available"
SUPPRESSED = "suppressed"
TARGETS = ("person", "property")
COLUMNS = ["state", "year", "bias_motivation", *STAGES,
           "incidents_against_people", "incidents_against_property"]


@dataclass(frozen=True)
class Official:
    state: str
    year: int
    stage: str
    bias_motivation: str  # a code, or "total"
    count: int | None  # None: not available


@dataclass(frozen=True)
class PublishedIncident:
    state: str
    year: int
    target: str  # person or property
    bias_motivations: tuple[str, ...]


def publication_table(year: int, official: Iterable[Official],
                      incidents: Iterable[PublishedIncident],
                      k: int = DEFAULT_K) -> list[list[object]]:
    """Rows of COLUMNS for `year`, by State then bias motivation ("total" first)."""
    figures: dict[tuple[str, str], dict[str, int | None]] = defaultdict(dict)
    for fact in official:
        if fact.year == year:
            figures[(fact.state, fact.bias_motivation)][fact.stage] = fact.count
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"person": 0, "property": 0})
    for incident in incidents:
        if incident.year != year:
            continue
        for bias in set(incident.bias_motivations):
            counts[(incident.state, bias)][incident.target] += 1
        counts[(incident.state, "total")][incident.target] += 1
    keys = sorted(set(figures) | set(counts),
                  key=lambda sb: (sb[0], sb[1] != "total", sb[1]))
    shown: dict[tuple[str, str], dict[str, int | None]] = defaultdict(dict)
    for state in {s for s, _ in keys}:
        biases = [b for s, b in keys if s == state and b != "total"]
        for target in TARGETS:
            column = suppress_row({b: counts[(state, b)][target] for b in biases}, k)
            for bias, value in column.items():
                shown[(state, bias)][target] = value
            total = counts[(state, "total")][target]
            shown[(state, "total")][target] = None if 0 < total < k else total
    rows: list[list[object]] = []
    for state, bias in keys:
        stages = figures.get((state, bias), {})
        rows.append([
            state, year, bias,
            *[NOT_AVAILABLE if stages.get(s) is None else stages[s] for s in STAGES],
            *[SUPPRESSED if shown[(state, bias)][t] is None else shown[(state, bias)][t]
              for t in TARGETS],
        ])
    return rows
