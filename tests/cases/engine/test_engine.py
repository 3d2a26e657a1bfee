"""The human-dimension desk's pure rules, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from hofburg.cases.engine import custody, fields, identifiers, suppression, surrogates, workflow
from hofburg.cases.engine.custody import Episode, Status
from hofburg.cases.engine.fields import Clearance
from hofburg.cases.engine.workflow import Screening, Stage, WorkflowError

KEY = b"k" * 32


def test_surrogate_ids_are_random_and_well_formed() -> None:
    ids = {surrogates.new_surrogate_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(surrogates.is_surrogate_id(i) and i.startswith("P-") for i in ids)
    assert not surrogates.is_surrogate_id("P-ILOU00000000")  # letters Crockford leaves out
    with pytest.raises(ValueError):
        surrogates.new_surrogate_id("p1")


def test_names_that_differ_by_accident_normalise_alike() -> None:
    n = identifiers.normalise_identifier
    assert n("name", "Müller, Jána ") == n("name", "jana MULLER") == "jana muller"
    assert n("identity_number", "AB 12-34") == "ab1234"
    with pytest.raises(identifiers.IdentifierError):
        n("name", " ,. ")
    with pytest.raises(identifiers.IdentifierError):
        n("birth_date", "1.2.1990")
    with pytest.raises(identifiers.IdentifierError):
        n("nickname", "x")


def test_the_digest_matches_duplicates_and_depends_on_the_key() -> None:
    a = identifiers.identifier_digest(KEY, {"name": "Doe, Jane", "birth_date": "1990-02-01"})
    b = identifiers.identifier_digest(KEY, {"birth_date": "1990-02-01", "name": "JANE DOE"})
    c = identifiers.identifier_digest(b"x" * 32, {"name": "Doe, Jane", "birth_date": "1990-02-01"})
    d = identifiers.identifier_digest(KEY, {"name": "Doe, John", "birth_date": "1990-02-01"})
    assert a == b and a not in (c, d)
    assert "jane" not in a
    with pytest.raises(identifiers.IdentifierError):
        identifiers.identifier_digest(KEY, {"name": "  "})
    with pytest.raises(identifiers.IdentifierError):
        identifiers.identifier_digest(b"short", {"name": "x"})


def test_each_clearance_reads_its_levels_and_below() -> None:
    assert fields.readable_fields("person", Clearance.ANONYMOUS) == []
    entitled = fields.readable_fields("person", Clearance.ENTITLED)
    assert "surrogate_id" in entitled and "name" not in entitled
    granted = fields.readable_fields("person", Clearance.GRANTED)
    assert "name" in granted and "medical" not in granted
    assert "medical" in fields.readable_fields("person", Clearance.GRANTED_STRICT)
    assert fields.protected_fields("prisoner") == ["name", "conditions"]
    with pytest.raises(fields.UnknownField):
        fields.readable_fields("diary", Clearance.ENTITLED)


def test_only_public_fields_may_be_whitelisted() -> None:
    for record_type in fields.PUBLISHABLE:
        for name in fields.publishable_fields(record_type):
            assert fields.level_of(record_type, name) == fields.Level.PUBLIC


def test_small_cells_are_suppressed_and_a_lone_one_gets_a_companion() -> None:
    row = suppression.suppress_row({"a": 40, "b": 3, "c": 25, "d": 0})
    assert row == {"a": 40, "b": None, "c": None, "d": 0}
    assert suppression.suppress_row({"a": 40, "b": 3, "c": 5}) == {"a": 40, "b": None, "c": None}
    assert suppression.suppress_row({"a": 11, "b": 12}) == {"a": 11, "b": 12}
    assert suppression.suppress_row({"a": 3}, k=3) == {"a": 3}
    assert suppression.suppressed_total({"a": 4, "b": 5}) is None
    assert suppression.suppressed_total({"a": 0}) == 0
    with pytest.raises(ValueError):
        suppression.suppress_row({"a": -1})


def test_the_screening_workflow() -> None:
    adv = workflow.advance
    assert adv(Stage.RECEIVED, Stage.SCREENED, Screening.INCLUDED) == Stage.SCREENED
    assert adv(Stage.RECEIVED, Stage.SCREENED, Screening.EXCLUDED_HATE_SPEECH,
               "a speech offence, no crime") == Stage.SCREENED
    with pytest.raises(WorkflowError, match="reason"):
        adv(Stage.RECEIVED, Stage.SCREENED, Screening.EXCLUDED_DISCRIMINATION, " ")
    with pytest.raises(WorkflowError, match="decision"):
        adv(Stage.RECEIVED, Stage.SCREENED, Screening.PENDING)
    with pytest.raises(WorkflowError, match="cannot go"):
        adv(Stage.RECEIVED, Stage.PUBLISHED, Screening.INCLUDED)
    with pytest.raises(WorkflowError, match="only an included"):
        adv(Stage.SCREENED, Stage.CONSULTATION, Screening.EXCLUDED_HATE_SPEECH)
    assert adv(Stage.CONSULTATION, Stage.SCREENED, Screening.INCLUDED) == Stage.SCREENED
    with pytest.raises(WorkflowError):
        adv(Stage.PUBLISHED, Stage.SCREENED, Screening.INCLUDED)


def test_custody_status_on_a_day() -> None:
    episodes = [Episode(date(2024, 3, 1), date(2024, 6, 1)), Episode(date(2025, 1, 10))]
    assert custody.status_on(episodes, date(2024, 2, 28)) == Status.NOT_YET_DETAINED
    assert custody.status_on(episodes, date(2024, 3, 1)) == Status.IN_CUSTODY
    assert custody.status_on(episodes, date(2024, 6, 1)) == Status.RELEASED  # released that day
    assert custody.status_on(episodes, date(2024, 12, 1)) == Status.RELEASED
    assert custody.status_on(episodes, date(2025, 12, 1)) == Status.IN_CUSTODY
    assert custody.in_custody_since(episodes, date(2025, 12, 1)) == date(2025, 1, 10)
    died = [Episode(date(2020, 1, 1), date(2021, 1, 1), died=True)]
    assert custody.status_on(died, date(2022, 1, 1)) == Status.DIED_IN_CUSTODY
    with pytest.raises(ValueError):
        Episode(date(2024, 2, 1), date(2024, 1, 1))


def test_the_point_in_time_count() -> None:
    cases = [
        [Episode(date(2024, 1, 1))],
        [Episode(date(2024, 1, 1), date(2024, 12, 1))],  # released on census day: out
        [Episode(date(2024, 12, 2))],  # detained the day after
        [Episode(date(2023, 1, 1), date(2023, 6, 1)), Episode(date(2024, 11, 30))],
    ]
    assert custody.count_in_custody(cases, date(2024, 12, 1)) == 2


def test_the_protection_code_lists_are_htcds_with_labels() -> None:
    from hofburg.cases.engine import protection

    codes = protection.version()
    assert codes.version == "2.0" and "HTCDS" in codes.source
    exploitation = codes.codes("exploitation_types")
    assert exploitation["forced_labour"].extra["htcds"] == "ForcedLabour"
    assert all(c.confidence == "confirmed" for c in exploitation.values())
    # HTCDS gives risk factors only as example questions: the desk's list is unconfirmed
    assert {c.confidence for c in codes.codes("risk_factors").values()} == {"unconfirmed"}
    assert codes.codes("concerns")["trafficking"].confidence == "confirmed"
    assert codes.check_all("control_methods", ["other", "debt_bondage"]) == [
        "debt_bondage", "other"]
    with pytest.raises(ValueError, match="risk_factors"):
        protection.check_risk_factors(codes, "community", ["age"])


def test_a_malformed_code_file_is_refused_naming_the_place() -> None:
    from hofburg.cases.engine import codelists
    from hofburg.cases.engine.codes import CodeListError

    with pytest.raises(CodeListError, match=r"x\.yaml version 1 a b: confidence"):
        codelists.parse("versions:\n  - {version: '1', source: s, a: [{code: b, label: B}]}\n",
                        "x.yaml", ("a",))
    with pytest.raises(CodeListError, match="version 1 listed twice"):
        codelists.parse("versions:\n  - {version: '1', source: s}\n"
                        "  - {version: '1', source: s}\n", "x.yaml", ())


def test_the_current_escalation_is_the_latest_assessment() -> None:
    from datetime import datetime

    from hofburg.cases.engine import situations

    assert situations.current_level([]) is None
    assert situations.current_level([(datetime(2024, 5, 1), 1, "concern"),
                                     (datetime(2024, 6, 1), 2, "monitoring"),
                                     (datetime(2024, 4, 1), 3, "early_warning")]) == "monitoring"
    same = datetime(2024, 7, 1)
    assert situations.current_level([(same, 5, "concern"), (same, 4, "monitoring")]) == "concern"
    codes = situations.version()
    assert list(codes.codes("escalation_levels"))[-1] == "early_warning"
    assert codes.codes("escalation_levels")["early_warning"].confidence == "confirmed"
