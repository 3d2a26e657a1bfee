"""The hate-crime code lists and the annual publication, without a database."""

from __future__ import annotations

import pytest

from hofburg.cases.engine import codes, publication
from hofburg.cases.engine.publication import Official, PublishedIncident


def test_the_shipped_code_list_is_sourced_and_labelled() -> None:
    version = codes.version_for(2023)
    assert version.source.startswith("human-dimension.md")
    assert "antisemitism" in version.bias_motivations
    assert version.bias_motivations["antisemitism"].confidence == "confirmed"
    assert version.incident_types["arson"].target == "property"
    assert version.incident_types["arson"].confidence == "unconfirmed"
    with pytest.raises(codes.CodeListError):
        codes.version_for(1990)


def test_versions_apply_from_their_year() -> None:
    text = """
versions:
  - from_year: 2010
    source: s
    bias_motivations: [{code: a, label: A, confidence: confirmed}]
    incident_types: [{code: t, label: T, target: person, confidence: unconfirmed}]
  - from_year: 2020
    source: s2
    bias_motivations: [{code: b, label: B, confidence: secondary}]
    incident_types: [{code: t, label: T, target: property, confidence: unconfirmed}]
"""
    versions = tuple(codes.parse(text))
    assert codes.check_incident(2019, "t", ["a"], versions) == "person"
    assert codes.check_incident(2020, "t", ["b"], versions) == "property"
    with pytest.raises(codes.CodeListError, match="bias_motivations: a not codes of 2021"):
        codes.check_incident(2021, "t", ["a"], versions)
    with pytest.raises(codes.CodeListError, match="incident_type"):
        codes.check_incident(2021, "x", ["b"], versions)


def test_a_malformed_code_list_is_refused_with_its_place() -> None:
    with pytest.raises(codes.CodeListError, match="version 2010 a: confidence"):
        codes.parse("versions:\n  - from_year: 2010\n    source: s\n"
                    "    bias_motivations: [{code: a, label: A, confidence: sure}]\n"
                    "    incident_types: [{code: t, label: T, target: person, "
                    "confidence: confirmed}]\n")
    with pytest.raises(codes.CodeListError, match="target"):
        codes.parse("versions:\n  - from_year: 2010\n    source: s\n"
                    "    bias_motivations: [{code: a, label: A, confidence: confirmed}]\n"
                    "    incident_types: [{code: t, label: T, confidence: confirmed}]\n")


def test_the_publication_suppresses_small_civil_society_counts() -> None:
    official = [Official("XE", 2024, "recorded_by_police", "total", 120),
                Official("XE", 2024, "prosecuted", "total", None),
                Official("XE", 2024, "recorded_by_police", "antisemitism", 4),
                Official("XE", 2023, "recorded_by_police", "total", 99)]
    incidents = ([PublishedIncident("XE", 2024, "person", ("antisemitism",))] * 30
                 + [PublishedIncident("XE", 2024, "property", ("antisemitism",))] * 3
                 + [PublishedIncident("XE", 2024, "property", ("anti_muslim",))] * 12
                 + [PublishedIncident("XE", 2023, "person", ("anti_muslim",))] * 50)
    table = publication.publication_table(2024, official, incidents, k=11)
    by_bias = {row[2]: row for row in table}
    assert list(by_bias) == ["total", "anti_muslim", "antisemitism"]
    assert by_bias["total"] == ["XE", 2024, "total", 120, "not available", "not available",
                                30, 15, False]
    assert by_bias["antisemitism"][3] == 4  # official figures as the State reported them
    # 3 property incidents: suppressed, and the 12 beside them in the column too (else the
    # total, 15, would give the 3 back)
    assert by_bias["antisemitism"][6:] == [30, "suppressed", False]
    assert by_bias["anti_muslim"][6:] == [0, "suppressed", False]
    # An exercise table marks every row.
    marked = publication.publication_table(2024, official, incidents, k=11, exercise=True)
    assert [row[-1] for row in marked] == [True, True, True]
