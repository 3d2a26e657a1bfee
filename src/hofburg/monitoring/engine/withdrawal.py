"""Withdrawal-line compliance: is a weapon sighted as far from its side's line as the rule says?

The rules are data (data/monitoring/withdrawal_rules.yaml): a distance per weapon class and per
side, each side measured from its own reference line. Under the Package of Measures the Ukrainian
troops measure from the de facto line of contact and the armed formations from the line of the
Memorandum of 19 September 2014 (domain reference, 2.2), so the geometry holds two lines.

Distances are geodesic: each line is densified along geodesics every kilometre and measured in
the local frame about the sighting, where distances from the sighting are exact. The distance is
signed: positive behind the line on the side's own side, negative in front of it, so a weapon
brought forward of its reference line is never "far enough" by being far on the wrong side.
Exactly the rule's distance is compliant ("at least").

Disengagement areas are lon/lat polygons; a point on the boundary counts as inside.

What users read of the rules (a rule's weapons, an instrument's title, a side, a line) is named
in the file in the six official languages (`names` beside the English `description`, `title`
or `label`, which `names.en` repeats); the loader refuses an entry without all six. They are
`Names`: the English text, carrying the others, so explanations say them in the reader's
language (decision 0058).
"""

from __future__ import annotations

import enum
import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import yaml
from shapely.geometry import shape

from hofburg.monitoring.engine.geodesy import GEOD, FloatArray, to_local, to_lonlat
from hofburg.notes import LANGUAGES, Names, Note, gettext_noop

_DENSIFY_M = 1000.0

# The labels a rule's figures carry (data/monitoring/README.md): the domain reference's four,
# and `derived` for a figure computed from a confirmed one by a stated rule (a per-side
# distance that is half the zone, "by equal distances").
LABELS = ("confirmed", "derived", "secondary", "unconfirmed", "disputed")


class WithdrawalError(ValueError):
    """A withdrawal rule, line or sighting cannot be used as given; the message says which."""


class Compliance(enum.StrEnum):
    COMPLIANT = "compliant"
    IN_VIOLATION = "in_violation"


@dataclass(frozen=True)
class Instrument:
    instrument_id: str
    title: Names
    agreed_on: date
    confidence: str


@dataclass(frozen=True)
class WeaponScope:
    """Which weapons a rule covers: named systems, or a kind with calibre bounds as worded."""

    kind: str | None = None
    calibre_mm_min: float | None = None
    min_inclusive: bool = True
    calibre_mm_max: float | None = None
    max_inclusive: bool = True
    systems: tuple[str, ...] = ()

    def covers(self, kind: str | None, calibre_mm: float | None, system: str | None) -> bool:
        if self.systems:
            return system is not None and _norm(system) in {_norm(s) for s in self.systems}
        if self.kind is None or kind is None or _norm(kind) != _norm(self.kind):
            return False
        if self.calibre_mm_min is None and self.calibre_mm_max is None:
            return True
        if calibre_mm is None:
            return False
        low, high = self.calibre_mm_min, self.calibre_mm_max
        if low is not None and (calibre_mm < low or (calibre_mm == low and not self.min_inclusive)):
            return False
        return not (high is not None
                    and (calibre_mm > high or (calibre_mm == high and not self.max_inclusive)))


@dataclass(frozen=True)
class WithdrawalRule:
    """How far one weapon class must be withdrawn, per side and from which line, and why."""

    weapon_class: str
    description: Names
    instrument: Instrument
    paragraph: str | None
    applies_to: WeaponScope
    zone_width_km: float | None
    distance_km: Mapping[str, float]
    reference_line: Mapping[str, str]
    confidence: str
    reference_line_confidence: str
    distance_basis: str = ""
    zone_width_confidence: str | None = None

    @property
    def labels(self) -> Note:
        """The rule's labels as an explanation shows them, e.g. "zone width 50 km CONFIRMED;
        25 km per side DERIVED; reference line CONFIRMED"."""
        distances = sorted(set(self.distance_km.values()))
        per_side = Note(gettext_noop("{distances} km per side {label}"),
                        distances=" / ".join(f"{km:g}" for km in distances),
                        label=self.confidence.upper())
        line = Note(gettext_noop("reference line {label}"),
                    label=self.reference_line_confidence.upper())
        if self.zone_width_km is not None and self.zone_width_confidence is not None:
            zone = Note(gettext_noop("zone width {width} km {label}"),
                        width=f"{self.zone_width_km:g}",
                        label=self.zone_width_confidence.upper())
            return Note("{zone}; {per_side}; {line}", zone=zone, per_side=per_side, line=line)
        return Note("{per_side}; {line}", per_side=per_side, line=line)

    @property
    def citation(self) -> Note:
        """As cited in a result: "Package of Measures ... (12 February 2015), point 2"."""
        where = self.paragraph or Note(gettext_noop("paragraph not established"))
        return Note("{title} ({agreed}), {where}", title=self.instrument.title,
                    agreed=self.instrument.agreed_on, where=where)


@dataclass(frozen=True)
class WithdrawalRules:
    status: str
    sides: Mapping[str, Names]
    line_labels: Mapping[str, Names]
    side_inference_line: str
    rules: tuple[WithdrawalRule, ...]

    def rule_for(self, weapon_class: str, on: date | None = None) -> WithdrawalRule:
        """The rule for a weapon class; with `on`, only rules agreed by that date."""
        for rule in self.rules:
            if rule.weapon_class == weapon_class:
                if on is not None and rule.instrument.agreed_on > on:
                    raise WithdrawalError(
                        f"weapon_class: no rule for {weapon_class!r} was agreed by {on}: "
                        f"{rule.instrument.title} dates from {rule.instrument.agreed_on}")
                return rule
        known = ", ".join(rule.weapon_class for rule in self.rules)
        raise WithdrawalError(f"weapon_class: {weapon_class!r} is not one of {known}")

    def classify(self, kind: str | None = None, calibre_mm: float | None = None,
                 system: str | None = None) -> WithdrawalRule | None:
        """The rule a weapon falls under by system name, or kind and calibre; None if none.

        Where two rules cover a weapon (a named system is also an MLRS), the one with the
        larger distance governs.
        """
        matching = [rule for rule in self.rules if rule.applies_to.covers(kind, calibre_mm, system)]
        return max(matching, key=lambda rule: max(rule.distance_km.values()), default=None)


@dataclass(frozen=True)
class ReferenceLine:
    """A line in lon/lat; `left_side` and `right_side` hold the side whose territory lies to
    the left and right when walking it in the order of its points."""

    line_id: str
    label: str
    coordinates: tuple[tuple[float, float], ...]
    left_side: str
    right_side: str
    exercise: bool
    _dense: tuple[FloatArray, FloatArray] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.coordinates) < 2:
            raise WithdrawalError(f"{self.line_id}: a line needs at least two points")
        object.__setattr__(self, "_dense", _densify(self.coordinates))

    def side_of(self, lon: float, lat: float) -> tuple[str, float, bool]:
        """The side whose territory holds the point, its unsigned distance in metres, and
        whether the nearest point is an end of the line (the side is then uncertain)."""
        distance, left, at_end = self._measure(lon, lat)
        return (self.left_side if left else self.right_side), distance, at_end

    def signed_distance_m(self, lon: float, lat: float, side: str) -> tuple[float, bool]:
        """Metres from the line, positive on `side`'s own side; and whether past an end."""
        distance, left, at_end = self._measure(lon, lat)
        own = self.left_side if left else self.right_side
        if side not in (self.left_side, self.right_side):
            raise WithdrawalError(f"side: {side!r} is on neither side of {self.line_id}")
        return (distance if own == side else -distance), at_end

    def _measure(self, lon: float, lat: float) -> tuple[float, bool, bool]:
        lons, lats = self._dense
        x, y, _ = to_local(lon, lat, lons, lats)
        line = shapely.LineString(np.column_stack([x, y]))
        origin = shapely.Point(0.0, 0.0)
        along = line.project(origin)
        nearest = line.interpolate(along)
        distance = math.hypot(nearest.x, nearest.y)
        step = 1.0
        ahead = line.interpolate(min(along + step, line.length))
        behind = line.interpolate(max(along - step, 0.0))
        tx, ty = ahead.x - behind.x, ahead.y - behind.y
        # The sighting (the frame's origin) seen from the nearest point: left of the line's
        # direction when the cross product is positive.
        cross = tx * (0.0 - nearest.y) - ty * (0.0 - nearest.x)
        at_end = distance > 0 and (along <= 1e-6 or along >= line.length - 1e-6)
        return distance, cross > 0, at_end

    def zone_ring(self, side: str, distance_km: float) -> list[tuple[float, float]]:
        """The band `distance_km` deep on `side`'s own side of the line, as a lon/lat ring.

        Drawn in a local frame about the line's mean point, so it is meant for display; the
        compliance check measures geodesically (`signed_distance_m`).
        """
        if side not in (self.left_side, self.right_side):
            raise WithdrawalError(f"side: {side!r} is on neither side of {self.line_id}")
        lons = [c[0] for c in self.coordinates]
        lats = [c[1] for c in self.coordinates]
        lon0, lat0 = float(np.mean(lons)), float(np.mean(lats))
        x, y, _ = to_local(lon0, lat0, lons, lats)
        local = shapely.LineString(np.column_stack([x, y]))
        # A single-sided buffer lies left of the line for a positive distance.
        signed = distance_km * 1000 if side == self.left_side else -distance_km * 1000
        ring = np.asarray(local.buffer(signed, single_sided=True).exterior.coords)
        ring_lon, ring_lat = to_lonlat(lon0, lat0, ring[:, 0], ring[:, 1])
        return [(float(a), float(b)) for a, b in zip(ring_lon, ring_lat, strict=True)]


@dataclass(frozen=True)
class ReferenceLines:
    lines: Mapping[str, ReferenceLine]
    exercise: bool

    def line(self, line_id: str) -> ReferenceLine:
        try:
            return self.lines[line_id]
        except KeyError:
            raise WithdrawalError(f"reference_line: no geometry for {line_id!r}") from None


@dataclass(frozen=True)
class Sighting:
    """A weapon seen at (lon, lat); `side` if known, otherwise inferred from the lines."""

    lon: float
    lat: float
    weapon_class: str
    side: str | None = None
    observed_on: date | None = None


@dataclass(frozen=True)
class WithdrawalCheck:
    """The outcome for one sighting. `distance_km` is signed (negative: in front of the line);
    `shortfall_km` is how much further it should be, 0 when compliant."""

    status: Compliance
    weapon_class: str
    side: str
    side_inferred: bool
    reference_line: str
    required_km: float
    distance_km: float
    shortfall_km: float
    beyond_line_end: bool
    rule: WithdrawalRule
    notes: tuple[Note, ...]

    @property
    def explanation(self) -> str:
        """The explanation in English; `notes` holds its sentences for other languages."""
        return " ".join(self.notes)

    @property
    def compliant(self) -> bool:
        return self.status is Compliance.COMPLIANT


def check_sighting(sighting: Sighting, rules: WithdrawalRules, lines: ReferenceLines
                   ) -> WithdrawalCheck:
    """Whether a sighted weapon is withdrawn as far as its rule says, with the reason."""
    rule = rules.rule_for(sighting.weapon_class, sighting.observed_on)
    inferred = sighting.side is None
    at_end_of_contact = False
    if sighting.side is None:
        separating = lines.line(rules.side_inference_line)
        side, _, at_end_of_contact = separating.side_of(sighting.lon, sighting.lat)
    else:
        side = sighting.side
    if side not in rule.distance_km:
        raise WithdrawalError(f"side: {side!r} is not one of {', '.join(rules.sides)}")
    line_id = rule.reference_line[side]
    signed_m, at_end = lines.line(line_id).signed_distance_m(sighting.lon, sighting.lat, side)
    required = rule.distance_km[side]
    distance_km = signed_m / 1000
    compliant = signed_m >= required * 1000
    shortfall = 0.0 if compliant else required - distance_km
    by = (Note(gettext_noop("{metres} m"), metres=f"{shortfall * 1000:.0f}") if shortfall < 1
          else Note(gettext_noop("{km} km"), km=f"{shortfall:.3f}"))
    side_text: str = (Note(gettext_noop("{side} (inferred: on their side of {line})"),
                           side=rules.sides[side],
                           line=rules.line_labels[rules.side_inference_line])
                      if inferred else rules.sides[side])
    if compliant:
        template = gettext_noop("Withdrawal required of {side}: {required} km from {line}; "
                                "this one is {distance} km behind it: compliant.")
    elif signed_m >= 0:
        template = gettext_noop("Withdrawal required of {side}: {required} km from {line}; "
                                "this one is {distance} km behind it: in violation by {by}.")
    else:
        template = gettext_noop("Withdrawal required of {side}: {required} km from {line}; "
                                "this one is {distance} km in front of it: in violation by {by}.")
    notes = [Note(gettext_noop("{rule}: {citation}."), rule=rule.description,
                  citation=rule.citation),
             Note(template, side=side_text, required=f"{required:g}",
                  line=rules.line_labels[line_id], distance=f"{abs(distance_km):.3f}", by=by),
             Note(gettext_noop("Labels: {labels}."), labels=rule.labels)]
    if at_end or at_end_of_contact:
        notes.append(Note(gettext_noop(
            "The nearest point is an end of a line: check the geometry covers it.")))
    return WithdrawalCheck(
        status=Compliance.COMPLIANT if compliant else Compliance.IN_VIOLATION,
        weapon_class=rule.weapon_class, side=side, side_inferred=inferred,
        reference_line=line_id, required_km=required, distance_km=distance_km,
        shortfall_km=shortfall, beyond_line_end=at_end or at_end_of_contact, rule=rule,
        notes=tuple(notes))


@dataclass(frozen=True)
class DisengagementArea:
    area_id: str
    name: str
    polygon: shapely.Polygon
    exercise: bool


def disengagement_area_at(lon: float, lat: float, areas: Sequence[DisengagementArea]
                          ) -> DisengagementArea | None:
    """The disengagement area that holds the point (boundary included), or None."""
    point = shapely.Point(lon, lat)
    return next((area for area in areas if area.polygon.covers(point)), None)


# --- loading --------------------------------------------------------------------------------


def load_withdrawal_rules(path: str | Path) -> WithdrawalRules:
    """The withdrawal rules from their YAML file."""
    with open(path, encoding="utf-8") as handle:
        return withdrawal_rules_from_mapping(yaml.safe_load(handle))


def withdrawal_rules_from_mapping(data: Mapping[str, Any]) -> WithdrawalRules:
    """The withdrawal rules from parsed data; WithdrawalError names the faulty entry."""
    if not isinstance(data, Mapping):
        raise WithdrawalError("the rules file must be a mapping")
    sides = {entry["id"]: _names(entry, f"sides.{entry.get('id')}", "label")
             for entry in _list(data, "sides")}
    line_labels = {entry["id"]: _names(entry, f"reference_lines.{entry.get('id')}", "label")
                   for entry in _list(data, "reference_lines")}
    inference_line = data.get("side_inference_line")
    if not isinstance(inference_line, str) or inference_line not in line_labels:
        raise WithdrawalError("side_inference_line: must name one of the reference_lines")
    instruments = _instruments(data)
    rules = [_rule(entry, instruments, sides, line_labels) for entry in _list(data, "rules")]
    classes = [rule.weapon_class for rule in rules]
    if len(set(classes)) != len(classes):
        raise WithdrawalError("rules: a weapon_class occurs twice")
    return WithdrawalRules(status=str(data.get("status")), sides=sides, line_labels=line_labels,
                           side_inference_line=inference_line, rules=tuple(rules))


def _instruments(data: Mapping[str, Any]) -> dict[str, Instrument]:
    instruments = {}
    for entry in _list(data, "instruments"):
        agreed = entry.get("agreed_on")
        if not isinstance(agreed, date):
            raise WithdrawalError(f"instruments.{entry.get('id')}.agreed_on: must be a date")
        instruments[entry["id"]] = Instrument(
            instrument_id=entry["id"],
            title=_names(entry, f"instruments.{entry.get('id')}", "title"), agreed_on=agreed,
            confidence=_label(entry, f"instruments.{entry.get('id')}", "confidence"))
    return instruments


def _rule(entry: Mapping[str, Any], instruments: Mapping[str, Instrument],
          sides: Mapping[str, Names], line_labels: Mapping[str, Names]) -> WithdrawalRule:
    """One entry of `rules`, checked against the instruments, sides and lines declared."""
    where = f"rules.{entry.get('weapon_class')}"
    if entry.get("instrument") not in instruments:
        raise WithdrawalError(f"{where}.instrument: unknown instrument")
    distance = entry.get("distance_km") or {}
    reference = entry.get("reference_line") or {}
    if set(distance) != set(sides) or set(reference) != set(sides):
        raise WithdrawalError(f"{where}: distance_km and reference_line need every side "
                              f"({', '.join(sides)})")
    for side, km in distance.items():
        if isinstance(km, bool) or not isinstance(km, int | float) or km <= 0:
            raise WithdrawalError(f"{where}.distance_km.{side}: must be positive km")
    for side, line_id in reference.items():
        if line_id not in line_labels:
            raise WithdrawalError(f"{where}.reference_line.{side}: unknown line {line_id!r}")
    zone_width = entry.get("zone_width_km")
    zone_width_label = (_label(entry, where, "zone_width_confidence")
                        if zone_width is not None else None)
    scope = dict(entry.get("applies_to") or {})
    scope["systems"] = tuple(scope.get("systems") or ())
    return WithdrawalRule(
        weapon_class=entry["weapon_class"], description=_names(entry, where, "description"),
        instrument=instruments[entry["instrument"]], paragraph=entry.get("paragraph"),
        applies_to=WeaponScope(**scope), zone_width_km=zone_width,
        distance_km={side: float(km) for side, km in distance.items()},
        reference_line=dict(reference), confidence=_label(entry, where, "confidence"),
        reference_line_confidence=_label(entry, where, "reference_line_confidence"),
        distance_basis=entry.get("distance_basis", ""),
        zone_width_confidence=zone_width_label,
    )


def load_reference_lines(path: str | Path) -> ReferenceLines:
    """Reference lines from a GeoJSON FeatureCollection of LineStrings (properties: line_id,
    label, left_side, right_side)."""
    with open(path, encoding="utf-8") as handle:
        return reference_lines_from_geojson(json.load(handle))


def reference_lines_from_geojson(data: Mapping[str, Any]) -> ReferenceLines:
    lines = {}
    for feature in _features(data):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "LineString":
            continue
        props = feature.get("properties") or {}
        try:
            line = ReferenceLine(
                line_id=props["line_id"], label=props.get("label", props["line_id"]),
                coordinates=tuple((float(lon), float(lat)) for lon, lat, *_ in
                                  geometry["coordinates"]),
                left_side=props["left_side"], right_side=props["right_side"],
                exercise=bool(props.get("exercise", data.get("exercise", False))))
        except KeyError as missing:
            raise WithdrawalError(f"line feature: property {missing} is required") from None
        lines[line.line_id] = line
    return ReferenceLines(lines=lines, exercise=bool(data.get("exercise", False)))


def load_disengagement_areas(path: str | Path) -> tuple[DisengagementArea, ...]:
    """Disengagement areas from a GeoJSON FeatureCollection of Polygons (area_id, name)."""
    with open(path, encoding="utf-8") as handle:
        return disengagement_areas_from_geojson(json.load(handle))


def disengagement_areas_from_geojson(data: Mapping[str, Any]) -> tuple[DisengagementArea, ...]:
    areas = []
    for feature in _features(data):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Polygon":
            continue
        props = feature.get("properties") or {}
        polygon = shape(geometry)
        if not polygon.is_valid:
            raise WithdrawalError(f"{props.get('area_id')}: the polygon is not valid")
        areas.append(DisengagementArea(
            area_id=props["area_id"], name=props.get("name", props["area_id"]), polygon=polygon,
            exercise=bool(props.get("exercise", data.get("exercise", False)))))
    return tuple(areas)


def _densify(coordinates: Sequence[tuple[float, float]]) -> tuple[FloatArray, FloatArray]:
    lons, lats = [coordinates[0][0]], [coordinates[0][1]]
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(coordinates):
        length = GEOD.inv(lon1, lat1, lon2, lat2)[2]
        inner = max(0, math.ceil(length / _DENSIFY_M) - 1)
        for lon, lat in GEOD.npts(lon1, lat1, lon2, lat2, inner) if inner else []:
            lons.append(lon)
            lats.append(lat)
        lons.append(lon2)
        lats.append(lat2)
    return np.array(lons), np.array(lats)


def _features(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection":
        raise WithdrawalError("geometry: expected a GeoJSON FeatureCollection")
    return list(data.get("features") or [])


def _list(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise WithdrawalError(f"{key}: must be a list of mappings")
    return value


def _names(entry: Mapping[str, Any], where: str, key: str) -> Names:
    """The entry's `key` (its English) with its `names` in the six official languages;
    WithdrawalError naming the entry and the language that is missing or differs."""
    english = entry.get(key)
    if not isinstance(english, str) or not english.strip():
        raise WithdrawalError(f"{where}.{key}: is required")
    names = entry.get("names")
    if not isinstance(names, Mapping):
        raise WithdrawalError(f"{where}.names: must name it in each of the six languages "
                              f"({', '.join(LANGUAGES)})")
    for language in names:
        if language not in LANGUAGES:
            raise WithdrawalError(f"{where}.names.{language}: is not one of the six languages "
                                  f"({', '.join(LANGUAGES)})")
    for language in LANGUAGES:
        name = names.get(language)
        if not isinstance(name, str) or not name.strip():
            raise WithdrawalError(f"{where}.names.{language}: is required")
    if " ".join(names["en"].split()) != " ".join(english.split()):
        raise WithdrawalError(f"{where}.names.en: must be the {key} as given")
    return Names(" ".join(english.split()),
                 {language: " ".join(names[language].split()) for language in LANGUAGES})


def _label(entry: Mapping[str, Any], where: str, key: str) -> str:
    """A confidence label the entry must carry, from LABELS."""
    value = entry.get(key)
    if value not in LABELS:
        raise WithdrawalError(f"{where}.{key}: must be one of {', '.join(LABELS)}, "
                              f"not {value!r}")
    return str(value)


def _norm(text: str) -> str:
    return text.strip().casefold().replace(" ", "-")
