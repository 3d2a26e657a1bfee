"""The descriptions published beside the hate-crime table (decision 0065), without a
database."""

from __future__ import annotations

import pytest

from hofburg.cases.engine import fields, publication
from hofburg.cases.engine.publication import PublishedIncident


def _people(n: int, bias: str, summary: str = "", state: str = "XE", *,
            biases: tuple[str, ...] = ()) -> list[PublishedIncident]:
    return [PublishedIncident(state, 2024, "person", biases or (bias,), month="2024-03",
                              incident_type="physical_assault", public_summary=summary)
            for _ in range(n)]


def test_descriptions_show_only_whitelisted_fields_of_described_people() -> None:
    incidents = [*_people(11, "antisemitism"), *_people(1, "antisemitism", "A man was beaten."),
                 PublishedIncident("XE", 2024, "property", ("antisemitism",), month="2024-04",
                                   incident_type="graffiti", public_summary="Property text")]
    rows = publication.descriptions(2024, incidents, 11)
    assert publication.DESCRIPTION_COLUMNS == [
        "state", "year", "bias_motivation", "month", "incident_type", "bias_motivations",
        "public_summary", "is_exercise"]
    assert rows == [["XE", 2024, "antisemitism", "2024-03", "physical_assault", "antisemitism",
                     "A man was beaten.", False]]
    # Every column comes from a whitelisted, public field; none is an id, source or account.
    assert set(publication.DESCRIBED_FIELDS) == set(fields.publishable_fields("incident"))
    assert not {"incident_id", "source_org", "description", "source_kind"} & set(
        fields.publishable_fields("incident"))


def test_a_group_below_k_is_not_described_nor_is_an_incident_with_a_suppressed_bias() -> None:
    small = _people(10, "anti_roma", "Roma family threatened.")
    assert publication.descriptions(2024, small, 11) == []
    # A bias row shown (12) and one suppressed (1): the incident that has both biases would
    # tell the suppressed row is not zero, so it is not described at all.
    both = _people(1, "", "Two biases.", biases=("antisemitism", "anti_roma"))
    assert publication.descriptions(2024, [*_people(11, "antisemitism"), *both], 11) == []
    # The second suppressed cell: anti_roma 12 would give back anti_lgbti 3 from the total, so
    # it is suppressed too, and its descriptions are left out.
    table = publication.publication_table(
        2024, [], [*_people(20, "antisemitism"), *_people(12, "anti_roma", "Roma text"),
                   *_people(3, "anti_lgbti")], 11)
    assert {r[2]: r[6] for r in table} == {"total": 35, "antisemitism": 20,
                                           "anti_roma": "suppressed",
                                           "anti_lgbti": "suppressed"}
    assert publication.descriptions(
        2024, [*_people(20, "antisemitism"), *_people(12, "anti_roma", "Roma text"),
               *_people(3, "anti_lgbti")], 11) == []


def test_several_biases_are_listed_under_each_and_exercise_is_marked() -> None:
    both = _people(1, "", "Two biases.", biases=("antisemitism", "anti_roma"))
    rows = publication.descriptions(
        2024, [*_people(11, "antisemitism"), *_people(11, "anti_roma"), *both], 11,
        exercise=True)
    assert [(r[2], r[5], r[-1]) for r in rows] == [
        ("anti_roma", "antisemitism; anti_roma", True),
        ("antisemitism", "antisemitism; anti_roma", True)]
    other_year = [PublishedIncident("XE", 2023, "person", ("anti_roma",), public_summary="x")]
    assert publication.descriptions(2024, other_year, 11) == []


def test_the_summary_is_bounded_and_only_for_people() -> None:
    assert publication.check_public_summary("  A short text.\n", "person") == "A short text."
    assert publication.check_public_summary("", "property") == ""
    with pytest.raises(publication.SummaryError, match="property"):
        publication.check_public_summary("Graffiti on a wall.", "property")
    limit = publication.MAX_PUBLIC_SUMMARY
    assert len(publication.check_public_summary("x" * limit, "person")) == limit
    with pytest.raises(publication.SummaryError, match=str(limit)):
        publication.check_public_summary("x" * (limit + 1), "person")
    with pytest.raises(publication.SummaryError, match="control"):
        publication.check_public_summary("bell\x07", "person")


ACCOUNT = ("On 3 March two men followed the victim from the prayer house to the tram stop on "
           "Lindenweg, shouted insults about her headscarf and pushed her to the ground.")


def test_the_summary_never_names_the_source() -> None:
    def check(text: str, source: str) -> str:
        return publication.check_public_summary(text, "person", source=source)

    with pytest.raises(publication.SummaryError, match="source organisation"):
        check("Reported by the Lindenweg Women's Forum: a woman was pushed.",
              "Lindenweg women's  FORUM")  # compared without case, spacing or punctuation
    # The whole name, as words: a summary sharing one of its words is not refused.
    assert check("A women's group reported that a woman was pushed.", "Lindenweg Women's Forum")
    assert check("A woman was pushed; the forum was told.", "Forums United")
    assert check("X marks where a woman was pushed.", "X")  # a stray initial is not a name


def test_the_summary_is_written_anew_not_copied_from_the_account() -> None:
    def check(text: str) -> str:
        return publication.check_public_summary(text, "person", account=ACCOUNT)

    copied = "Two men followed the victim from the prayer house to the tram stop."
    with pytest.raises(publication.SummaryError, match=f"{publication.COPIED_WORDS} or more"):
        check(copied)
    with pytest.raises(publication.SummaryError):
        check(copied.upper().replace(" ", "  "))  # without case or spacing
    # Nine words of the account in a row are a phrase, not a copy.
    assert check("In March, followed the victim from the prayer house to the.")
    assert check("In March a woman wearing a headscarf was insulted and pushed to the ground "
                 "near a place of worship.")
    # Empty withdraws the summary whatever the account or source say.
    assert publication.check_public_summary("", "person", account=ACCOUNT, source="x") == ""
