"""Loading the registry's reference data into the database, and the command that does it."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import models

from hofburg.core.models import AuditEntry
from hofburg.registry.engine.reference import OFFICIAL_LANGUAGES, ReferenceDataError
from hofburg.registry.models import (
    Chairmanship,
    FieldOperation,
    FormatParticipant,
    NegotiationFormat,
    ParticipatingState,
    Partner,
    SecretariatUnit,
    StatusEvent,
)
from hofburg.registry.services import KINDS, load_reference, troika_for_year

DATA = Path(__file__).resolve().parents[2] / "data" / "registry"

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the real data files that a test may edit."""
    return Path(shutil.copytree(DATA, tmp_path / "registry"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} is not exactly once in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")


def _registry_rows() -> list[dict[str, Any]]:
    """Every registry row, serialized: to compare the database before and after."""
    rows = []
    for model in apps.get_app_config("registry").get_models():
        rows += json.loads(serializers.serialize("json", model._default_manager.order_by("pk")))
    return rows


# --- the real files ---------------------------------------------------------------------------


def test_the_real_files_load_57_states_11_partners_and_the_chairs_of_1991_to_2026() -> None:
    summary = load_reference(DATA)
    assert ParticipatingState.objects.count() == 57
    assert Partner.objects.count() == 11
    assert list(Chairmanship.objects.values_list("year", flat=True)) == list(range(1991, 2027))
    assert summary.kinds["participating_states"].created == 57
    assert summary.kinds["chairmanships"].created == 36


def test_every_state_and_partner_has_a_name_in_the_six_official_languages() -> None:
    load_reference(DATA)
    countries = [
        *ParticipatingState.objects.values_list("iso2", "names"),
        *Partner.objects.values_list("iso2", "names"),
    ]
    assert len(countries) == 68
    for iso2, names in countries:
        assert sorted(names) == sorted(OFFICIAL_LANGUAGES), iso2
        assert all(name.strip() for name in names.values()), iso2


def test_iso3_and_numeric_codes_come_from_iso_3166() -> None:
    load_reference(DATA)
    austria = ParticipatingState.objects.get(iso2="AT")
    assert (austria.iso3, austria.numeric) == ("AUT", "040")
    assert not ParticipatingState.objects.filter(iso3="").exists()
    assert not ParticipatingState.objects.filter(numeric="").exists()
    assert Partner.objects.get(iso2="KR").iso3 == "KOR"


def test_names_come_from_cldr_with_the_osces_own_usage_where_it_differs() -> None:
    load_reference(DATA)
    names = dict(ParticipatingState.objects.values_list("iso2", "names"))
    assert names["AT"]["de"] == "Österreich"
    assert names["VA"]["en"] == "Holy See"
    assert names["VA"]["fr"] == "Saint-Siège"
    assert names["RU"]["en"] == "Russian Federation"
    assert names["TR"]["en"] == "Türkiye"
    assert Partner.objects.get(iso2="KR").names["en"] == "Republic of Korea"


def test_switzerland_chaired_in_1996_2014_and_2026() -> None:
    load_reference(DATA)
    years = Chairmanship.objects.filter(state__iso2="CH").values_list("year", flat=True)
    assert sorted(years) == [1996, 2014, 2026]


def test_czechoslovakia_chaired_in_1992_under_its_historical_name() -> None:
    load_reference(DATA)
    chair = Chairmanship.objects.get(year=1992)
    assert chair.state is None
    assert chair.chair_name == "Czechoslovakia"


def test_the_troika_of_2025_is_malta_finland_and_switzerland() -> None:
    load_reference(DATA)
    troika = troika_for_year(2025)
    assert [chair.state.iso2 for chair in troika.members() if chair.state] == ["MT", "FI", "CH"]


def test_the_troika_leaves_a_seat_empty_where_no_chair_is_known() -> None:
    load_reference(DATA)
    troika = troika_for_year(2026)
    assert troika.previous is not None and troika.current is not None
    assert troika.next is None


def test_serbia_is_disputed_and_carries_the_suspension_of_yugoslavia() -> None:
    load_reference(DATA)
    serbia = ParticipatingState.objects.get(iso2="RS")
    assert serbia.confidence == "disputed"
    events = [(e.kind, e.date_text, e.confidence) for e in serbia.status_events.all()]
    assert events == [
        ("suspended", "1992-07-08", "unconfirmed"),
        ("admitted", "2000-11-10", "disputed"),
        ("succession", "2006", "unconfirmed"),
    ]
    assert StatusEvent.objects.get(state__iso2="RU").date_text == "1991-12"


def test_there_are_12_current_field_operations_and_kosovo_has_no_host_state() -> None:
    load_reference(DATA)
    current = [operation for operation in FieldOperation.objects.all() if operation.is_current]
    assert len(current) == 12
    kosovo = FieldOperation.objects.get(code="mission-in-kosovo")
    assert (kosovo.host_state, kosovo.host_label) == (None, "Kosovo")
    smm = FieldOperation.objects.get(code="special-monitoring-mission-to-ukraine")
    assert (smm.host_state.iso2 if smm.host_state else None, smm.closed_label) == ("UA", "2022")


def test_negotiation_formats_carry_their_participants_and_roles() -> None:
    load_reference(DATA)
    minsk_group = NegotiationFormat.objects.get(code="minsk-group")
    assert minsk_group.status == "Closed"
    co_chairs = minsk_group.participants.filter(role="co_chair")
    assert sorted(co_chairs.values_list("state__iso2", flat=True)) == ["FR", "RU", "US"]
    five_plus_two = NegotiationFormat.objects.get(code="five-plus-two")
    observers = [p.display_name for p in five_plus_two.participants.filter(role="observer")]
    assert "European Union" in observers


def test_secretariat_units_hang_under_their_parents() -> None:
    load_reference(DATA)
    service = SecretariatUnit.objects.get(code="operations-service")
    assert service.parent is not None and service.parent.code == "conflict-prevention-centre"


def test_every_loaded_text_fits_its_column() -> None:
    # SQLite does not enforce max_length; PostgreSQL would refuse the load.
    load_reference(DATA)
    for model in apps.get_app_config("registry").get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, models.CharField) and model_field.max_length:
                for value in model._default_manager.values_list(model_field.name, flat=True):
                    assert len(value) <= model_field.max_length, (model.__name__, model_field.name)


# --- idempotence and the audit trail ----------------------------------------------------------


def test_a_load_records_an_audit_entry_for_every_created_row() -> None:
    summary = load_reference(DATA)
    created = sum(counts.created for counts in summary.kinds.values())
    assert AuditEntry.objects.filter(action="create").count() == created
    entry = AuditEntry.objects.get(model_label="registry.ParticipatingState", object_repr="Austria")
    assert entry.actor is None and entry.before is None
    assert entry.after is not None and entry.after["iso2"] == "AT"


def test_a_second_load_changes_nothing_and_writes_no_audit_entries() -> None:
    load_reference(DATA)
    rows, entries = _registry_rows(), AuditEntry.objects.count()
    summary = load_reference(DATA)
    assert summary.changed == 0
    assert summary.kinds["participating_states"].unchanged == 57
    assert summary.kinds["format_participants"].unchanged == FormatParticipant.objects.count()
    assert AuditEntry.objects.count() == entries
    assert _registry_rows() == rows


def test_a_changed_row_is_updated_with_before_and_after_in_the_audit_trail(data_dir: Path) -> None:
    load_reference(data_dir)
    _edit(data_dir / "chairmanships.yaml",
          "{year: 2013, state: UA, confidence: unconfirmed",
          "{year: 2013, state: UA, confidence: confirmed")
    summary = load_reference(data_dir)
    assert summary.kinds["chairmanships"].updated == 1
    assert summary.changed == 1
    entry = AuditEntry.objects.get(action="update")
    assert entry.before is not None and entry.before["confidence"] == "unconfirmed"
    assert entry.after is not None and entry.after["confidence"] == "confirmed"


def test_a_row_removed_from_the_files_is_deleted_on_reload(data_dir: Path) -> None:
    load_reference(data_dir)
    _edit(data_dir / "conflicts.yaml", "          - {name: United Nations, role: co_chair}\n", "")
    _edit(data_dir / "chairmanships.yaml", "  - {year: 2022, state: PL, confidence: unconfirmed, "
          "source_ids: [unchecked-list]}\n", "")
    summary = load_reference(data_dir)
    assert not Chairmanship.objects.filter(year=2022).exists()
    assert not FormatParticipant.objects.filter(name="United Nations").exists()
    assert summary.kinds["chairmanships"].deleted == 1
    assert summary.kinds["format_participants"].deleted == 1
    deleted = AuditEntry.objects.filter(action="delete", model_label="registry.Chairmanship").get()
    assert deleted.before is not None and deleted.before["year"] == 2022
    assert deleted.after is None


def test_a_removed_field_operation_is_deleted_and_an_edited_status_event_updated(
    data_dir: Path,
) -> None:
    load_reference(data_dir)
    _edit(data_dir / "field_operations.yaml",
          "  - code: mission-to-latvia\n    names: {en: Mission to Latvia}\n    host: LV\n"
          "    closed: 2001-12-31\n    confidence: confirmed\n"
          "    source_ids: [field-survey, osce-field-pages]\n"
          "    note: \"Closed together with the Mission to Estonia.\"\n", "")
    _edit(data_dir / "participating_states.yaml",
          "        note: \"The source gives the month only.\"\n", "")
    summary = load_reference(data_dir)
    assert not FieldOperation.objects.filter(code="mission-to-latvia").exists()
    assert summary.kinds["field_operations"].deleted == 1
    assert summary.kinds["status_events"].updated == 1


# --- bad files change nothing -----------------------------------------------------------------


def test_a_corrupted_row_raises_and_leaves_the_database_exactly_as_before(data_dir: Path) -> None:
    load_reference(DATA)
    rows, entries = _registry_rows(), AuditEntry.objects.count()
    # A valid change in the first file written, and a bad row in the last file read.
    _edit(data_dir / "participating_states.yaml",
          "  - iso2: AT\n    joined: 1973-06-25", "  - iso2: AT\n    joined: 1975-08-01")
    _edit(data_dir / "conflicts.yaml",
          "{state: US, role: observer}", "{state: US, role: guarantor}")
    with pytest.raises(ReferenceDataError) as raised:
        load_reference(data_dir)
    assert raised.value.file == "conflicts.yaml"
    assert raised.value.field == "formats[1].participants[7].role"
    assert _registry_rows() == rows
    assert AuditEntry.objects.count() == entries


def test_a_malformed_yaml_file_is_reported_by_name(data_dir: Path) -> None:
    (data_dir / "institutions.yaml").write_text("schema_version: 1\nsources: [oops\n", "utf-8")
    with pytest.raises(ReferenceDataError, match=r"^institutions\.yaml: not valid YAML"):
        load_reference(data_dir)
    assert ParticipatingState.objects.count() == 0


def test_a_missing_file_is_reported_by_name(data_dir: Path) -> None:
    (data_dir / "partners.yaml").unlink()
    with pytest.raises(ReferenceDataError, match=r"^partners\.yaml: file not found"):
        load_reference(data_dir)


def test_progress_is_reported_once_per_kind() -> None:
    calls: list[tuple[str, int, int]] = []
    load_reference(DATA, progress=lambda step, done, total: calls.append((step, done, total)))
    assert [done for _step, done, _total in calls] == list(range(1, len(KINDS) + 1))
    assert {total for _step, _done, total in calls} == {len(KINDS)}
    assert calls[0][0] == "participating States"


# --- the command ------------------------------------------------------------------------------


def test_the_command_loads_and_prints_the_summary() -> None:
    out = io.StringIO()
    call_command("load_reference", directory=str(DATA), stdout=out)
    assert ParticipatingState.objects.count() == 57
    assert "participating States" in out.getvalue()
    assert " 57 created" in out.getvalue()
    out = io.StringIO()
    call_command("load_reference", directory=str(DATA), stdout=out)
    assert "nothing changed" in out.getvalue()


def test_the_command_fails_with_the_one_line_message_and_changes_nothing(data_dir: Path) -> None:
    _edit(data_dir / "partners.yaml",
          "{iso2: JO, group: mediterranean", "{iso2: JO, group: atlantic")
    with pytest.raises(CommandError) as raised:
        call_command("load_reference", directory=str(data_dir), stdout=io.StringIO())
    message = str(raised.value)
    assert message.startswith("partners.yaml, row 4 (iso2=JO), field 'group': 'atlantic'")
    assert "\n" not in message
    assert ParticipatingState.objects.count() == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_command_shows_progress_on_a_terminal_and_still_prints_the_summary() -> None:
    out = _Terminal()
    call_command("load_reference", directory=str(DATA), stdout=out)
    assert ParticipatingState.objects.count() == 57
    assert "format participants" in out.getvalue()
