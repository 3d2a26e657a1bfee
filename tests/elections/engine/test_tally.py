from hofburg.elections.engine.tally import Question, breakdown, hour_of, tally, tally_question

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
