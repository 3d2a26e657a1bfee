"""The bulk tables keep only the indexes their queries use (decision 0014), on both databases.

Migration 0005 drops seven plain indexes in place and makes client_id unique only where given;
these tests read the schema the migrations leave, prove the partial unique index still refuses
a second record with the same client id, and run the migration backwards and forwards over
stored rows.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from hofburg.monitoring.models import Event, Observation

DROPPED = {
    Event: ("classification", "owner_affiliation_id"),
    Observation: ("classification", "owner_affiliation_id", "status", "batch_id",
                  "submitted_by_id"),
}
KEPT = {
    Event: ("event_key", "status", "first_observed_at", "report_date", "h3_cell", "area"),
    Observation: ("observation_id", "observed_at", "event_id", "client_id"),
}


def _indexed_columns(model: type[Event] | type[Observation]) -> dict[str, bool]:
    """Each singly indexed column and whether its index is unique."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {info["columns"][0]: bool(info["unique"]) for info in constraints.values()
            if (info["index"] or info["unique"]) and len(info["columns"] or ()) == 1
            and not info["primary_key"]}


def _observation(observation_id: str, client_id: str | None) -> Observation:
    return Observation(observation_id=observation_id, client_id=client_id,
                       observed_at=timezone.now(), observer_id="EX-PATROL-01",
                       observer_kind="patrol", observer_lon=30.0, observer_lat=48.0,
                       method="heard", category="explosion_undetermined", is_exercise=True)


@pytest.mark.django_db
def test_the_bulk_tables_keep_only_the_indexes_queries_use() -> None:
    for model, columns in DROPPED.items():
        indexed = _indexed_columns(model)
        assert not set(columns) & set(indexed), model
        assert set(KEPT[model]) <= set(indexed), model
    assert _indexed_columns(Observation)["client_id"] is True


@pytest.mark.django_db
def test_a_client_id_is_unique_where_given_and_imported_rows_need_none() -> None:
    _observation("EX-1", None).save()
    _observation("EX-2", None).save()
    _observation("EX-3", "phone-1").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _observation("EX-4", "phone-1").save()
    assert Observation.objects.count() == 3
    assert Observation.objects.get(client_id="phone-1").observation_id == "EX-3"


@pytest.mark.django_db(transaction=True)
def test_the_migration_runs_backwards_and_forwards_over_stored_rows() -> None:
    _observation("EX-1", None).save()
    _observation("EX-2", "phone-1").save()
    try:
        call_command("migrate", "monitoring", "0004", verbosity=0)
        backwards = _indexed_columns(Observation)
        assert {"classification", "status", "batch_id", "submitted_by_id"} <= set(backwards)
    finally:
        call_command("migrate", "monitoring", verbosity=0)
    assert not set(DROPPED[Observation]) & set(_indexed_columns(Observation))
    assert sorted(Observation.objects.values_list("observation_id", "client_id")) == [
        ("EX-1", None), ("EX-2", "phone-1")]
