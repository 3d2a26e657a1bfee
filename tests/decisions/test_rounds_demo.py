"""The reference rounds of the domain reference §2.8: loaded from data/decisions/rounds.yaml
against the real registry, public, each with its source and label, and loaded once only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from hofburg.core.demo import DemoError
from hofburg.core.models import AuditEntry, Classification
from hofburg.decisions.demo import rounds as demo
from hofburg.decisions.models import NegotiationRound
from hofburg.registry.services import load_reference

pytestmark = pytest.mark.django_db

EXPECTED = {
    ("minsk-group", date(1992, 6, 1)): ("Rome", date(1992, 6, 5), "day"),
    ("five-plus-two", date(2011, 12, 1)): ("Vilnius", None, "month"),
    ("five-plus-two", date(2018, 5, 29)): ("Rome", date(2018, 5, 30), "day"),
    ("five-plus-two", date(2019, 10, 9)): ("Bratislava", date(2019, 10, 10), "day"),
}


@pytest.fixture
def registry(db):
    load_reference(Path(settings.REFERENCE_DATA_DIR) / "registry")


def test_the_reference_rounds_load_once_public_and_sourced(registry):
    assert demo.load() == 4
    assert demo.load() == 0
    rounds = NegotiationRound.objects.select_related("format")
    assert {(r.format.code, r.starts_on): (r.place, r.ends_on, r.date_precision)
            for r in rounds} == EXPECTED
    for negotiation_round in rounds:
        assert negotiation_round.classification == Classification.PUBLIC
        assert not negotiation_round.is_exercise
        assert negotiation_round.owner_affiliation is None
        assert negotiation_round.confidence == "confirmed"  # as §2.8 labels both rows
        assert "osce-organization.md §2.8" in negotiation_round.source
    assert AuditEntry.objects.filter(model_label="decisions.NegotiationRound").count() == 4


def test_each_round_carries_only_what_the_reference_gives(registry):
    demo.load()
    rome_2018 = NegotiationRound.objects.get(starts_on=date(2018, 5, 29))
    assert rome_2018.documents == ["Rome Protocol"]
    assert "zdg.md" in rome_2018.source
    assert {"role": "observer", "state": "US", "name": ""} in rome_2018.participants
    vilnius = NegotiationRound.objects.get(place="Vilnius")
    assert "osce.org/cio/85566" in vilnius.source
    first_talks = NegotiationRound.objects.get(format__code="minsk-group")
    assert first_talks.participants == []  # the reference names no one at the Rome talks
    assert not NegotiationRound.objects.filter(is_exercise=True).exists()


def test_a_changed_file_updates_the_round_in_place(registry, tmp_path):
    demo.load()
    changed = tmp_path / "rounds.yaml"
    changed.write_text(demo.rounds_file().read_text(encoding="utf-8").replace(
        "Official talks resumed after a six-year pause.", "Talks resumed."), encoding="utf-8")
    assert demo.load(changed) == 1
    assert NegotiationRound.objects.get(place="Vilnius").outcome == "Talks resumed."
    assert NegotiationRound.objects.count() == 4


def test_nothing_loads_before_the_registry(db):
    assert demo.load() == 0
    assert not NegotiationRound.objects.exists()


@pytest.mark.parametrize(("old", "new"), [
    ("format: minsk-group", "format: no-such-format"),
    ("confidence: confirmed", "confidence: certain"),
    ("source_ids: [reference-2-8, zdg-2018]", "source_ids: [reference-2-8, nowhere]"),
    ("place: Bratislava", "place: Bratislava\n    round: 7"),
])
def test_a_malformed_file_is_refused_and_nothing_loads(registry, tmp_path, old, new):
    text = demo.rounds_file().read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "rounds.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DemoError):
        demo.load(broken)
    assert not NegotiationRound.objects.exists()
