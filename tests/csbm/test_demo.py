"""The demo data: sourced real exercises as public records, synthetic exchanges marked as
exercise data and restricted, and a second load that adds nothing."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from django.conf import settings

from hofburg.csbm import demo
from hofburg.csbm.models import Activity, AnnualExchange, ExchangeHolding, Notification

pytestmark = pytest.mark.django_db


def _load(states) -> None:
    demo.load_real_exercises(settings.REFERENCE_DATA_DIR / "csbm" / demo.EXERCISES_FILE,
                             states.codes)
    demo.load_synthetic(states.codes, today=date(2026, 11, 27), total_units=200, activities=40)


def test_every_real_exercise_carries_its_source_and_confidence(states):
    _load(states)
    real = Activity.objects.filter(is_exercise=False)
    assert real.exists()
    for activity in real:
        assert activity.source and activity.confidence
        assert activity.classification == "public"


def test_real_exercises_carry_only_the_figures_the_file_gives(states):
    _load(states)
    entries = yaml.safe_load((settings.REFERENCE_DATA_DIR / "csbm" / demo.EXERCISES_FILE)
                             .read_text())["exercises"]
    for entry in entries:
        activity = Activity.objects.get(reference=entry["reference"])
        for name in ("troops", "battle_tanks", "acvs", "artillery", "amphibious_troops",
                     "airborne_troops", "sorties"):
            assert getattr(activity, name) == entry["figures"].get(name), name


def test_synthetic_data_is_restricted_exercise_data(states):
    _load(states)
    assert AnnualExchange.objects.exists() and Notification.objects.exists()
    assert not AnnualExchange.objects.exclude(is_exercise=True).exists()
    assert not AnnualExchange.objects.exclude(classification="restricted").exists()
    assert not ExchangeHolding.objects.exclude(is_exercise=True).exists()
    assert not Activity.objects.filter(is_exercise=True).exclude(name__startswith="Exercise"
                                                                 ).exists()


def test_loading_twice_adds_nothing(states):
    _load(states)
    counts = (Activity.objects.count(), AnnualExchange.objects.count(),
              Notification.objects.count())
    _load(states)
    assert (Activity.objects.count(), AnnualExchange.objects.count(),
            Notification.objects.count()) == counts
