"""The observation's fields are the engine's: the model, the CSV columns, the database rows and
the choices all agree with `engine.observations.Observation`."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any

from hofburg.monitoring import models
from hofburg.monitoring.engine import observations as engine
from hofburg.monitoring.importing.header import CSV_COLUMNS, REQUIRED_COLUMNS
from hofburg.monitoring.records import CORRECTABLE_FIELDS, REPORTED_COLUMNS, Row


def test_the_csv_columns_are_the_engines_fields_but_the_compass() -> None:
    names = [f.name for f in fields(engine.Observation)]
    assert list(CSV_COLUMNS) == [name for name in names if name != "compass_points"]
    assert list(REQUIRED_COLUMNS) == [f.name for f in fields(engine.Observation)
                                      if f.default is MISSING]
    assert CSV_COLUMNS[:8] == REQUIRED_COLUMNS
    # The header every file written so far carries, in this order.
    assert ",".join(CSV_COLUMNS) == (
        "observation_id,observed_at,observer_id,observer_kind,observer_lon,observer_lat,"
        "method,category,weapon_class,count,bearing_deg,sector,distance_km_min,"
        "distance_km_max,notes")


def test_the_model_stores_every_engine_field_with_the_engines_defaults() -> None:
    model = {f.name: f for f in models.Observation._meta.get_fields()}
    for f in fields(engine.Observation):
        assert f.name in model, f.name
        stored: Any = model[f.name]
        if f.default is MISSING:
            assert not stored.has_default() and not stored.blank, f.name
        elif f.default is None:
            assert stored.null or stored.blank, f.name  # absent: NULL, or "" for a text
        else:  # a text's empty default is the blank the model stores
            assert (stored.default if stored.has_default() else "") == f.default, f.name
    assert set(REPORTED_COLUMNS) <= set(model)
    assert list(REPORTED_COLUMNS) == ["observation_id", "observed_at", "utc_offset_minutes",
                                      *engine.OBSERVATION_FIELDS[2:]]
    assert engine.OBSERVATION_FIELDS[1:] == CORRECTABLE_FIELDS


def test_a_row_holds_every_engine_field() -> None:
    renamed = {"at_least": "count"}
    assert {renamed.get(name, name) for name in Row._fields} == set(engine.OBSERVATION_FIELDS)


def test_the_choices_are_the_engines_vocabularies() -> None:
    for choices, vocabulary in ((models.ObserverKind, engine.ObserverKind),
                                (models.Method, engine.Method),
                                (models.Category, engine.Category)):
        assert list(choices.values) == [member.value for member in vocabulary]
    for name, choices in (("observer_kind", models.ObserverKind), ("method", models.Method),
                          ("category", models.Category)):
        field = models.Observation._meta.get_field(name)
        assert [value for value, _label in field.choices] == list(choices.values)  # type: ignore[union-attr]
