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
counts (ODIHR publishes attacks on property as statistics). Official figures are shown as the
State reported them: they are public at the source.

Beside the table, `descriptions` lists the short public summaries an analyst wrote for
incidents against people (decision 0065), with the whitelisted fields only
(`fields.PUBLISHABLE`): never the account, its source, an id or a name. An incident is
described only when the count of every one of its bias rows in its State is shown in the
table (k or more, suppressed neither as a small cell nor as the second cell): a description
under a suppressed count would tell that the count is not zero, and a bias listed with it
would do the same for that row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from hofburg.cases.engine.suppression import DEFAULT_K, suppress_row

STAGES = ("recorded_by_police", "prosecuted", "sentenced")
NOT_AVAILABLE = "not available"
SUPPRESSED = "suppressed"
TARGETS = ("person", "property")
COLUMNS = ["state", "year", "bias_motivation", *STAGES,
           "incidents_against_people", "incidents_against_property", "is_exercise"]
# The published description of an incident against people: each column from a whitelisted
# field (state ← country, year ← reporting_year, month ← occurred_on, to the month only).
DESCRIPTION_COLUMNS = ["state", "year", "bias_motivation", "month", "incident_type",
                       "bias_motivations", "public_summary", "is_exercise"]
DESCRIBED_FIELDS = ("country", "reporting_year", "occurred_on", "incident_type",
                    "bias_motivations", "public_summary")
MAX_PUBLIC_SUMMARY = 600  # characters: a few sentences, as ODIHR's incident descriptions are
# A summary holding this many words of the incident's account in a row copies the account: a
# sentence's worth, longer than a common phrase ("a man was attacked in the street at night").
COPIED_WORDS = 10
_WORD = re.compile(r"\w+")


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
    # Only for a description (`descriptions`): the rest of the whitelisted fields.
    month: str = ""  # YYYY-MM, or empty without a date
    incident_type: str = ""
    public_summary: str = ""


class SummaryError(ValueError):
    """A public summary that may not be stored."""


def check_public_summary(text: str, target: str, *, account: str = "",
                         source: str = "") -> str:
    """The summary to store: trimmed, at most MAX_PUBLIC_SUMMARY characters, only for an
    incident against people (attacks on property are published as counts only). Empty
    withdraws the description. It may not name the incident's source organisation (`source`)
    nor repeat COPIED_WORDS or more words of its account (`account`) in a row: a summary is
    written anew for the public (decision 0067). Words are compared without case or
    punctuation."""
    text = text.strip()
    if text and target != "person":
        raise SummaryError("only an incident against people is described; attacks on "
                           "property are published as counts only")
    if len(text) > MAX_PUBLIC_SUMMARY:
        raise SummaryError(f"at most {MAX_PUBLIC_SUMMARY} characters")
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise SummaryError("control characters are not allowed")
    if not text:
        return text
    words = _words(text)
    named = _words(source)
    if len("".join(named)) >= 3 and _holds_run(words, named):  # not a stray initial
        raise SummaryError("it names the incident's source organisation; a public summary "
                           "never does")
    if _shares_run(words, _words(account), COPIED_WORDS):
        raise SummaryError(f"it repeats {COPIED_WORDS} or more words of the incident's account "
                           "in a row; write the summary anew, without the account's words")
    return text


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _holds_run(words: list[str], run: list[str]) -> bool:
    """Whether `run` occurs in `words` as consecutive words."""
    size = len(run)
    return any(words[i:i + size] == run for i in range(len(words) - size + 1))


def _shares_run(words: list[str], other: list[str], size: int) -> bool:
    """Whether `words` and `other` share `size` consecutive words."""
    runs = {tuple(other[i:i + size]) for i in range(len(other) - size + 1)}
    return any(tuple(words[i:i + size]) in runs for i in range(len(words) - size + 1))


def publication_table(year: int, official: Iterable[Official],
                      incidents: Iterable[PublishedIncident],
                      k: int = DEFAULT_K, exercise: bool = False) -> list[list[object]]:
    """Rows of COLUMNS for `year`, by State then bias motivation ("total" first). `exercise`
    marks every row: the caller passes exercise records into an exercise table only."""
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
            exercise,
        ])
    return rows


def _shown_people(year: int, incidents: list[PublishedIncident], k: int
                  ) -> set[tuple[str, str]]:
    """The (State, bias) rows whose count of incidents against people the table shows."""
    table = publication_table(year, [], incidents, k)
    people = COLUMNS.index("incidents_against_people")
    return {(str(row[0]), str(row[2])) for row in table
            if isinstance(count := row[people], int) and count >= k}


def descriptions(year: int, incidents: Iterable[PublishedIncident], k: int = DEFAULT_K,
                 exercise: bool = False) -> list[list[object]]:
    """Rows of DESCRIPTION_COLUMNS for `year`: the incidents against people among `incidents`
    (every released incident of the year, which the counts come from) that have a public
    summary and whose every bias row in their State shows its count, per State then bias
    motivation (an incident with two biases under each), then month and summary."""
    released = [i for i in incidents if i.year == year]
    shown = _shown_people(year, released, k)
    rows: list[list[object]] = []
    for incident in released:
        biases = sorted(set(incident.bias_motivations))
        if incident.target != "person" or not incident.public_summary.strip() or not biases \
                or any((incident.state, b) not in shown for b in biases):
            continue
        for bias in biases:
            rows.append([incident.state, year, bias, incident.month, incident.incident_type,
                         "; ".join(incident.bias_motivations), incident.public_summary,
                         exercise])
    return sorted(rows, key=lambda r: (str(r[0]), str(r[2]), str(r[3]), str(r[6])))
