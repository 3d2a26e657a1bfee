"""The registry's write path: loading the reference data, the affiliations drawn from it, and
the Troika read from it.

`load_reference` is the only code that writes registry rows. The files under `data/registry/`
are authoritative: a load makes the database match them, recording every change in the audit
trail, and a second load of the same files changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import pycountry
from babel import Locale
from django.db import connection, transaction
from django.db.models import Model

from hofburg.core.models import Affiliation
from hofburg.core.services.audit import record_change, snapshot
from hofburg.registry.engine import reference
from hofburg.registry.engine.reference import ReferenceData, ReferenceDataError
from hofburg.registry.engine.troika import Troika, troika
from hofburg.registry.models import (
    Chairmanship,
    Conflict,
    FieldOperation,
    FormatParticipant,
    Institution,
    NegotiationFormat,
    ParticipatingState,
    Partner,
    SecretariatUnit,
    StatusEvent,
)

__all__ = [
    "AffiliationCodeError", "AffiliationSummary", "LoadSummary", "ReferenceDataError",
    "compare_reference", "ensure_affiliations", "load_reference", "registry_affiliations",
    "troika_for_year",
]

M = TypeVar("M", bound=Model)
Progress = Callable[[str, int, int], None]

# The kinds of row a load writes, in the order they are written (a row's parent before the row).
KINDS = {
    "participating_states": "participating States",
    "status_events": "status events",
    "partners": "Partners for Co-operation",
    "chairmanships": "Chairmanships",
    "institutions": "institutions",
    "secretariat_units": "Secretariat units",
    "field_operations": "field operations",
    "conflicts": "conflicts",
    "negotiation_formats": "negotiation formats",
    "format_participants": "format participants",
}


@dataclass
class KindSummary:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


@dataclass
class AffiliationSummary:
    """What `ensure_affiliations` did: affiliations created, updated (renamed) and unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def line(self, width: int = 0) -> str:
        return (f"{'affiliations':<{width}}  {self.created:>3} created  {self.updated:>3} updated"
                f"  {self.unchanged:>3} unchanged")


@dataclass
class LoadSummary:
    """What a load did, per kind of row (keys of `KINDS`)."""

    kinds: dict[str, KindSummary] = field(
        default_factory=lambda: {kind: KindSummary() for kind in KINDS}
    )
    # Set by `compare_reference`: what `ensure_affiliations` would do after the load.
    affiliations: AffiliationSummary | None = None

    @property
    def changed(self) -> int:
        return (sum(kind.changed for kind in self.kinds.values())
                + (self.affiliations.changed if self.affiliations else 0))

    def lines(self) -> list[str]:
        """One line per kind, for the command line."""
        width = max(len(label) for label in KINDS.values())
        lines = [
            f"{KINDS[kind]:<{width}}  {counts.created:>3} created  {counts.updated:>3} updated  "
            f"{counts.deleted:>3} deleted  {counts.unchanged:>3} unchanged"
            for kind, counts in self.kinds.items()
        ]
        if self.affiliations:
            lines.append(self.affiliations.line(width))
        return lines


@cache
def country_facts() -> dict[str, reference.Country]:
    """ISO 3166 codes from pycountry and CLDR names (through babel) in the six languages."""
    locales = {language: Locale.parse(language) for language in reference.OFFICIAL_LANGUAGES}
    return {
        country.alpha_2: reference.Country(
            iso3=country.alpha_3,
            numeric=country.numeric,
            names={
                language: locale.territories.get(country.alpha_2, "")
                for language, locale in locales.items()
            },
        )
        for country in pycountry.countries
    }


def read_reference(directory: Path) -> ReferenceData:
    """Read and validate every file of `directory`; `ReferenceDataError` on the first error."""
    documents = {}
    for file in reference.FILES:
        path = directory / file
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as error:
            raise ReferenceDataError(file, None, None, f"file not found in {directory}") from error
        except (OSError, UnicodeDecodeError) as error:
            raise ReferenceDataError(file, None, None, f"cannot be read: {error}") from error
        documents[file] = reference.read_document(text, file)
    return reference.parse_reference(documents, country_facts())


def load_reference(directory: Path, *, progress: Progress | None = None) -> LoadSummary:
    """Make the registry match the reference files of `directory`.

    All files are read and validated first; on any error `ReferenceDataError` is raised and
    nothing is written. Then, in one transaction, rows are created or updated by natural key
    (iso2, year, code) and rows no longer in the files are deleted. Each change records an audit
    entry with before and after snapshots; an unchanged row records nothing. `progress` is
    called as (step, steps done, steps in all) while writing.
    """
    data = read_reference(Path(directory))
    summary = LoadSummary()
    with transaction.atomic():
        _Writer(data, summary, progress).run()
    return summary


def compare_reference(directory: Path) -> LoadSummary:
    """What `load_reference` would change, without changing anything (for `hofburg check`).

    The same load, and then `ensure_affiliations`, run inside a transaction that is rolled back,
    so the comparison is the loader's own. Raises `ReferenceDataError` like the load.
    """
    data = read_reference(Path(directory))
    summary = LoadSummary()
    with transaction.atomic():
        _Writer(data, summary, None).run()
        summary.affiliations = ensure_affiliations()
        transaction.set_rollback(True)
    return summary


def troika_for_year(year: int) -> Troika[Chairmanship]:
    """The previous, current and next Chairmanship of `year` (Rules of Procedure, III)."""
    years = (year - 1, year, year + 1)
    chairs = Chairmanship.objects.filter(year__in=years).select_related("state")
    return troika({chair.year: chair for chair in chairs}, year)


# Affiliation codes drawn from the registry (decision 0032). Stable: each follows from a natural
# key of the registry row (ISO alpha-2 or the row's code), never from a name.
DELEGATION_PREFIX = "delegation-"
SECRETARIAT_PREFIX = "secretariat-"
INSTITUTION_PREFIX = "institution-"
FIELD_OPERATION_PREFIX = "field-"
NamedRow = ParticipatingState | Partner | SecretariatUnit | Institution | FieldOperation
_NAME_LENGTH = Affiliation._meta.get_field("name").max_length or 200
_CODE_LENGTH = Affiliation._meta.get_field("code").max_length or 64


class AffiliationCodeError(ValueError):
    """A registry code too long for an affiliation code; nothing was written."""


def registry_affiliations() -> dict[str, dict[str, str]]:
    """The affiliation every registry body calls for, by code: its name, kind and State.

    A delegation for each participating State and Partner for Co-operation, and one for each
    Secretariat unit, institution and field operation (closed ones too: their staff and records
    remain). Names are the registry's English names.
    """
    kinds = Affiliation.Kind
    wanted: dict[str, dict[str, str]] = {}

    def add(code: str, row: NamedRow, kind: str, state_iso2: str = "") -> None:
        if len(code) > _CODE_LENGTH:
            raise AffiliationCodeError(
                f"affiliation code {code!r} is longer than {_CODE_LENGTH} characters")
        name = (row.names.get("en") or str(row))[:_NAME_LENGTH]
        wanted[code.lower()] = {"name": name, "kind": kind, "state_iso2": state_iso2}

    countries: list[ParticipatingState | Partner] = [*ParticipatingState.objects.all(),
                                                     *Partner.objects.all()]
    for country in countries:
        add(DELEGATION_PREFIX + country.iso2, country, kinds.DELEGATION, country.iso2.upper())
    for unit in SecretariatUnit.objects.all():
        add(SECRETARIAT_PREFIX + unit.code, unit, kinds.SECRETARIAT_UNIT)
    for institution in Institution.objects.all():
        add(INSTITUTION_PREFIX + institution.code, institution, kinds.INSTITUTION)
    for operation in FieldOperation.objects.all():
        add(FIELD_OPERATION_PREFIX + operation.code, operation, kinds.FIELD_OPERATION)
    return wanted


def ensure_affiliations() -> AffiliationSummary:
    """Create the affiliation of every registry body that has none; idempotent.

    An existing affiliation with the same code keeps its row (and its members); its name, kind
    or State is updated only where the registry now says otherwise, with an audit entry like
    every other write. Exercise affiliations are never touched, and an affiliation whose body
    left the registry is kept (users may belong to it): deleting one is an administrator's act.
    """
    summary = AffiliationSummary()
    with transaction.atomic():
        wanted = registry_affiliations()
        existing = Affiliation.objects.in_bulk(list(wanted), field_name="code")
        for code, values in wanted.items():
            affiliation = existing.get(code)
            if affiliation is None:
                affiliation = Affiliation.objects.create(code=code, **values)
                record_change(None, "create", affiliation, None, snapshot(affiliation))
                summary.created += 1
                continue
            differing = [k for k, v in values.items() if getattr(affiliation, k) != v]
            if affiliation.is_exercise or not differing:
                summary.unchanged += 1
                continue
            before = snapshot(affiliation)
            for name in differing:
                setattr(affiliation, name, values[name])
            affiliation.save(update_fields=differing)
            record_change(None, "update", affiliation, before, snapshot(affiliation))
            summary.updated += 1
    return summary


class _Writer:
    """Upserts every kind in dependency order, then deletes stale rows in the reverse order, so
    a protected reference (a Chairmanship's State) never blocks a deletion."""

    def __init__(self, data: ReferenceData, summary: LoadSummary, progress: Progress | None):
        self.data = data
        self.summary = summary
        self.progress = progress
        self.stale: list[tuple[str, list[Model]]] = []

    def run(self) -> None:
        steps = [
            self._states, self._status_events, self._partners, self._chairmanships,
            self._institutions, self._secretariat_units, self._field_operations,
            self._conflicts, self._formats, self._participants,
        ]
        for done, (step, label) in enumerate(zip(steps, KINDS.values(), strict=True), start=1):
            step()
            if self.progress:
                self.progress(label, done, len(steps))
        for kind, rows in reversed(self.stale):
            for row in rows:
                record_change(None, "delete", row, snapshot(row), None)
            if rows:
                type(rows[0])._default_manager.filter(pk__in=[row.pk for row in rows]).delete()
            self.summary.kinds[kind].deleted += len(rows)

    # -- one method per kind -------------------------------------------------------------------

    def _states(self) -> None:
        self.states = self._sync(
            "participating_states",
            ParticipatingState,
            {row.iso2: row for row in ParticipatingState.objects.all()},
            {
                state.iso2: {
                    "iso2": state.iso2, "iso3": state.iso3, "numeric": state.numeric,
                    "names": dict(state.names), "joined": state.joined, **_sourced(state),
                }
                for state in self.data.participating_states
            },
        )

    def _status_events(self) -> None:
        self._sync(
            "status_events",
            StatusEvent,
            {
                (row.state.iso2, row.kind, row.date): row
                for row in StatusEvent.objects.select_related("state")
            },
            {
                (state.iso2, event.kind, event.date): {
                    "state_id": self.states[state.iso2].pk, "kind": event.kind,
                    "date": event.date, "date_precision": event.date_precision,
                    "end_date": event.end_date, "description": event.description,
                    **_sourced(event),
                }
                for state in self.data.participating_states
                for event in state.status_events
            },
        )

    def _partners(self) -> None:
        self._sync(
            "partners",
            Partner,
            {row.iso2: row for row in Partner.objects.all()},
            {
                partner.iso2: {
                    "iso2": partner.iso2, "iso3": partner.iso3, "numeric": partner.numeric,
                    "names": dict(partner.names), "group": partner.group,
                    "since": partner.since, **_sourced(partner),
                }
                for partner in self.data.partners
            },
        )

    def _chairmanships(self) -> None:
        self._sync(
            "chairmanships",
            Chairmanship,
            {row.year: row for row in Chairmanship.objects.all()},
            {
                chair.year: {
                    "year": chair.year,
                    "state_id": self.states[chair.state].pk if chair.state else None,
                    "historical_name": chair.historical_name, "start_date": chair.start_date,
                    "end_date": chair.end_date, **_sourced(chair),
                }
                for chair in self.data.chairmanships
            },
        )

    def _institutions(self) -> None:
        self._sync(
            "institutions",
            Institution,
            {row.code: row for row in Institution.objects.all()},
            {
                institution.code: {
                    "code": institution.code, "names": dict(institution.names),
                    "acronym": institution.acronym, "seat": institution.seat,
                    "established": institution.established, **_sourced(institution),
                }
                for institution in self.data.institutions
            },
        )

    def _secretariat_units(self) -> None:
        # Units arrive parents first; each is written once its parent has a primary key.
        existing = {row.code: row for row in SecretariatUnit.objects.all()}
        written: dict[Hashable, SecretariatUnit] = {}
        for unit in self.data.secretariat_units:
            written |= self._upsert(
                "secretariat_units",
                SecretariatUnit,
                existing,
                {
                    unit.code: {
                        "code": unit.code, "names": dict(unit.names), "acronym": unit.acronym,
                        "parent_id": written[unit.parent].pk if unit.parent else None,
                        **_sourced(unit),
                    }
                },
            )
        self._mark_stale("secretariat_units", existing, written)

    def _field_operations(self) -> None:
        self._sync(
            "field_operations",
            FieldOperation,
            {row.code: row for row in FieldOperation.objects.all()},
            {
                operation.code: {
                    "code": operation.code, "names": dict(operation.names),
                    "region": operation.region,
                    "host_state_id": self.states[operation.host].pk if operation.host else None,
                    "host_label": operation.host_label, "seat": operation.seat,
                    "basis": operation.basis, "established": operation.established,
                    "closed": operation.closed, "closed_label": operation.closed_label,
                    **_sourced(operation),
                }
                for operation in self.data.field_operations
            },
        )

    def _conflicts(self) -> None:
        self.conflicts = self._sync(
            "conflicts",
            Conflict,
            {row.code: row for row in Conflict.objects.all()},
            {
                conflict.code: {
                    "code": conflict.code, "names": dict(conflict.names), **_sourced(conflict)
                }
                for conflict in self.data.conflicts
            },
        )

    def _formats(self) -> None:
        self.formats = self._sync(
            "negotiation_formats",
            NegotiationFormat,
            {row.code: row for row in NegotiationFormat.objects.all()},
            {
                negotiation_format.code: {
                    "code": negotiation_format.code,
                    "conflict_id": self.conflicts[conflict.code].pk,
                    "names": dict(negotiation_format.names),
                    "started": negotiation_format.started, "ended": negotiation_format.ended,
                    "status": negotiation_format.status,
                    "is_osce_body": negotiation_format.is_osce_body,
                    **_sourced(negotiation_format),
                }
                for conflict in self.data.conflicts
                for negotiation_format in conflict.formats
            },
        )

    def _participants(self) -> None:
        # Every field of a participant is part of its key: it is created or deleted, never updated.
        self._sync(
            "format_participants",
            FormatParticipant,
            {
                (row.format.code, row.state.iso2 if row.state else "", row.name, row.role): row
                for row in FormatParticipant.objects.select_related("format", "state")
            },
            {
                (negotiation_format.code, participant.state, participant.name, participant.role): {
                    "format_id": self.formats[negotiation_format.code].pk,
                    "state_id": self.states[participant.state].pk if participant.state else None,
                    "name": participant.name, "role": participant.role,
                }
                for conflict in self.data.conflicts
                for negotiation_format in conflict.formats
                for participant in negotiation_format.participants
            },
        )

    # -- the generic part ----------------------------------------------------------------------

    def _sync(
        self,
        kind: str,
        model: type[M],
        existing: Mapping[Any, M],
        wanted: Mapping[Any, dict[str, Any]],
    ) -> dict[Any, M]:
        """Create and update `wanted` rows; set aside the `existing` rows not wanted."""
        rows = self._upsert(kind, model, existing, wanted)
        self._mark_stale(kind, existing, rows)
        return rows

    def _upsert(
        self,
        kind: str,
        model: type[M],
        existing: Mapping[Any, M],
        wanted: Mapping[Any, dict[str, Any]],
    ) -> dict[Any, M]:
        counts = self.summary.kinds[kind]
        rows: dict[Any, M] = {}
        new: list[M] = []
        changed: list[tuple[M, dict[str, Any]]] = []
        changed_fields: set[str] = set()
        for key, values in wanted.items():
            row = existing.get(key)
            if row is None:
                row = model(**values)
                new.append(row)
            else:
                differing = [name for name, value in values.items() if getattr(row, name) != value]
                if differing:
                    changed.append((row, snapshot(row)))
                    changed_fields.update(differing)
                    for name in differing:
                        setattr(row, name, values[name])
                else:
                    counts.unchanged += 1
            rows[key] = row
        if new:
            _create(model, new)
            for row in new:
                record_change(None, "create", row, None, snapshot(row))
            counts.created += len(new)
        if changed:
            model._default_manager.bulk_update([row for row, _before in changed], changed_fields)
            for row, before in changed:
                record_change(None, "update", row, before, snapshot(row))
            counts.updated += len(changed)
        return rows

    def _mark_stale(self, kind: str, existing: Mapping[Any, M], kept: Mapping[Any, M]) -> None:
        self.stale.append((kind, [row for key, row in existing.items() if key not in kept]))


def _create(model: type[M], rows: list[M]) -> None:
    # The audit trail needs each new row's primary key: bulk_create sets it only where the
    # database returns inserted rows (PostgreSQL, SQLite 3.35+); elsewhere save one by one.
    if connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(rows)
    else:
        for row in rows:
            row.save(force_insert=True)


def _sourced(record: reference.Sourced) -> dict[str, Any]:
    return {"source": record.source, "confidence": record.confidence, "note": record.note}
