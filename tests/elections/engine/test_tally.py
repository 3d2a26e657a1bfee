import json
import random
from typing import Any

import pytest

from hofburg.elections.engine.tally import (
    CodedAnswers,
    Question,
    breakdown,
    hour_of,
    tally,
    tally_question,
)

OVERALL = Question("overall", "select_one",
                   ("very_good", "good", "bad", "very_bad", "not_observed", "na"))


def test_four_point_question_excludes_na_not_observed_and_blanks() -> None:
    answers = ["very_good", "good", "bad", "very_bad", "na", "not_observed", None, "  ", "bad"]
    figures = tally_question(OVERALL, answers)
    assert figures.four_point
    assert (figures.forms, figures.excluded, figures.blank, figures.n) == (9, 2, 2, 5)
    data = figures.as_dict()
    assert data["counts"] == {"very_good": 1, "good": 1, "bad": 2, "very_bad": 1}
    assert data["percentages"] == {"very_good": 20.0, "good": 20.0, "bad": 40.0,
                                   "very_bad": 20.0}
    assert data["negative"] == 3
    assert data["negative_pct"] == 60.0


def test_yes_no_question_has_no_negative_share_and_an_empty_n_has_no_percentage() -> None:
    sealed = Question("box_sealed", "select_one", ("yes", "no", "na"))
    assert not sealed.four_point
    data = tally_question(sealed, ["na", None, "na"]).as_dict()
    assert data["n"] == 0
    assert data["percentages"] == {"yes": None, "no": None}
    assert "negative_pct" not in data


def test_the_unit_is_the_form_a_station_visited_twice_counts_twice() -> None:
    forms = [{"station": "S1", "overall": "bad"}, {"station": "S1", "overall": "good"},
             {"station": "S2", "overall": "good"}]
    (figures,) = tally([OVERALL], forms)
    assert figures.n == 3
    assert figures.counts["good"] == 2


def test_select_multiple_counts_each_choice_once_per_form() -> None:
    problems = Question("problems", "select_multiple", ("queue", "ink", "na"))
    data = tally_question(problems, ["queue ink", "ink ink", "na", None]).as_dict()
    assert data["n"] == 2
    assert data["counts"] == {"queue": 1, "ink": 2}
    assert data["percentages"] == {"queue": 50.0, "ink": 100.0}


def test_breakdown_by_region_is_unweighted_and_keeps_forms_without_a_region() -> None:
    forms = [{"region": "North", "overall": "bad"}, {"region": "North", "overall": "good"},
             {"region": "South", "overall": "very_bad"}, {"overall": "good"}]
    groups = breakdown([OVERALL], forms, "region")
    assert sorted(groups) == ["", "North", "South"]
    assert groups["North"][0].as_dict()["negative_pct"] == 50.0
    assert groups["South"][0].as_dict()["negative_pct"] == 100.0
    assert groups[""][0].n == 1


def test_hour_of_visit() -> None:
    assert hour_of("2026-12-06T07:45:00+01:00") == "07"
    assert hour_of("13:05:00.000+01:00") == "13"
    assert hour_of(None) == ""
    assert hour_of("soon") == ""


def _checklist() -> list[Question]:
    yes_no = ("yes", "no", "na", "not_observed")
    return [*(Question(f"q{i}", "select_one", yes_no) for i in range(6)),
            OVERALL, Question("queue", "select_one", ("very_good", "good", "bad", "very_bad")),
            Question("problems", "select_multiple", ("queue", "ink", "secrecy", "na")),
            Question("count", "integer")]


def _generated_forms(count: int, seed: int) -> list[dict[str, Any]]:
    """Forms with every kind of answer the tally meets: choices, na, not_observed, blanks
    (None, "", spaces), answers beyond the choices, space-padded ones, select_multiple answers
    with repeats and excluded names, questions missing from a form (an older version), and
    visits with no region, no area or no hour."""
    rng = random.Random(seed)
    answers: dict[str, list[Any]] = {
        **{f"q{i}": ["yes", "no", "na", "not_observed", None, "", "  ", " yes", "maybe"]
           for i in range(6)},
        "overall": ["very_good", "good", "bad", "very_bad", "na", "not_observed", None],
        "queue": ["good", "bad", "very_bad", "", "unclear"],
        "problems": ["queue", "ink", "queue ink", "ink queue queue", "na", "na ink",
                     "na not_observed", "fraud queue", "secrecy fraud other", None, " "],
        "count": ["1", "2", None, "12"],
    }
    forms = []
    for _ in range(count):
        form: dict[str, Any] = {name: rng.choice(values) for name, values in answers.items()
                                if rng.random() > 0.04}
        form["_region"] = rng.choice(["North", "South", "East", "", None, "  "])
        form["_urban_rural"] = rng.choice(["urban", "rural", ""])
        form["_hour"] = hour_of(rng.choice(["2026-12-06T07:45:00+01:00", "13:05:00.000+01:00",
                                            "2026-12-06T19:59:59+01:00", None, "soon"]))
        forms.append(form)
    return forms


def _as_json(figures: list[Any]) -> str:
    """The figures as the command and the page get them, order of every mapping included."""
    return json.dumps([f.as_dict() for f in figures])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_coded_answers_give_exactly_the_straightforward_figures(seed: int) -> None:
    questions, forms = _checklist(), _generated_forms(4000, seed)
    keys = ("_region", "_urban_rural", "_hour")
    coded = CodedAnswers(questions, forms)
    assert coded.vectorised
    result = coded.figures({key: [form.get(key) for form in forms] for key in keys})
    assert _as_json(result.overall) == _as_json(tally(questions, forms))
    for key in keys:
        expected = breakdown(questions, forms, key)
        assert list(result.breakdowns[key]) == list(expected)
        for group, figures in expected.items():
            assert _as_json(result.breakdowns[key][group]) == _as_json(figures), (key, group)
    # an answer beyond the choices is counted, after them, where it is first met
    problems = result.breakdowns["_region"]["North"][8].as_dict()
    assert list(problems["counts"])[:3] == ["queue", "ink", "secrecy"]
    assert {"fraud", "other"} <= set(problems["counts"])
    assert "" in result.breakdowns["_region"] and "" in result.breakdowns["_hour"]


def test_coded_answers_with_no_form_and_with_answers_that_are_not_text() -> None:
    questions = _checklist()
    empty = CodedAnswers(questions, [])
    assert _as_json(empty.tally()) == _as_json(tally(questions, []))
    assert empty.breakdown([]) == {}
    odd = [{"overall": "bad", "count": 3}, {"overall": "good", "count": 3.0},
           {"overall": "bad", "count": True}]
    fallback = CodedAnswers(questions, odd)
    assert not fallback.vectorised
    assert _as_json(fallback.tally()) == _as_json(tally(questions, odd))
    assert fallback.breakdown(["a", "b", "a"])["a"][6].as_dict()["negative"] == 2
    with pytest.raises(ValueError, match="2 labels for 3 forms"):
        fallback.breakdown(["a", "b"])
