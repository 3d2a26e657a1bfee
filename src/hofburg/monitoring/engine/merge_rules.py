"""The merge ruleset: the mission's parameters for merging observations into events.

The parameters are mission parameters in data/monitoring/merge_rules.yaml, not rules of a text;
each key's reason is given there. A malformed ruleset is refused with MergeRulesError naming
the key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hofburg.monitoring.engine.locate import LocateError, LocateParameters
from hofburg.monitoring.engine.observations import Category, Method


class MergeRulesError(ValueError):
    """The merge ruleset is malformed; the message names the key."""


@dataclass(frozen=True)
class CategoryGroup:
    """Categories that may describe one event, from the least to the most specific."""

    name: str
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class MergeRules:
    """The mission's merge parameters (see data/monitoring/merge_rules.yaml for each reason)."""

    time_window_seconds: float
    bearing_tolerance_deg: Mapping[Method, float]
    distance_tolerance_fraction: float
    distance_tolerance_min_km: float
    unknown_distance_max_km: float
    category_groups: tuple[CategoryGroup, ...]
    bearing_sigma_deg: Mapping[Method, float]
    locate: LocateParameters

    def group_of(self, category: Category) -> str:
        """The name of the category's group; a category in no group is a group of its own."""
        for group in self.category_groups:
            if category in group.categories:
                return group.name
        return category.value

    def specificity(self, category: Category) -> int:
        for group in self.category_groups:
            if category in group.categories:
                return group.categories.index(category)
        return 0


def load_merge_rules(path: str | Path) -> MergeRules:
    """The merge ruleset from a YAML file."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return merge_rules_from_mapping(data)


def merge_rules_from_mapping(data: Mapping[str, Any]) -> MergeRules:
    """The merge ruleset from parsed YAML or JSON; MergeRulesError names the faulty key."""
    if not isinstance(data, Mapping):
        raise MergeRulesError("the ruleset must be a mapping")
    if data.get("status") != "mission-parameter":
        raise MergeRulesError("status: the merge ruleset must be labelled mission-parameter")
    distance = _section(data, "distance_tolerance")
    locate = _section(data, "locate")
    groups = []
    seen: set[Category] = set()
    for index, entry in enumerate(data.get("category_groups") or []):
        where = f"category_groups[{index}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise MergeRulesError(f"{where}: needs a name and categories")
        try:
            categories = tuple(Category(value) for value in entry.get("categories") or [])
        except ValueError as error:
            raise MergeRulesError(f"{where}.categories: {error}") from None
        if seen.intersection(categories):
            raise MergeRulesError(f"{where}.categories: a category is in two groups")
        seen.update(categories)
        groups.append(CategoryGroup(name=entry["name"], categories=categories))
    sigma = _per_method(locate, "bearing_sigma_deg", "locate.")
    try:
        locate_parameters = LocateParameters(
            bearing_sigma_deg=_positive(_section(locate, "bearing_sigma_deg", "locate."),
                                        "default", "locate.bearing_sigma_deg."),
            min_crossing_angle_deg=_positive(locate, "min_crossing_angle_deg", "locate."),
            ellipse_confidence=_positive(locate, "ellipse_confidence", "locate."),
        )
    except LocateError as error:
        raise MergeRulesError(f"locate: {error}") from None
    return MergeRules(
        time_window_seconds=_positive(data, "time_window_seconds"),
        bearing_tolerance_deg=_per_method(data, "bearing_tolerance_deg"),
        distance_tolerance_fraction=_positive(distance, "fraction", "distance_tolerance.",
                                              allow_zero=True),
        distance_tolerance_min_km=_positive(distance, "minimum_km", "distance_tolerance.",
                                            allow_zero=True),
        unknown_distance_max_km=_positive(data, "unknown_distance_max_km"),
        category_groups=tuple(groups),
        bearing_sigma_deg=sigma,
        locate=locate_parameters,
    )


# --- ruleset parsing ------------------------------------------------------------------------


def _section(data: Mapping[str, Any], key: str, prefix: str = "") -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise MergeRulesError(f"{prefix}{key}: must be a mapping")
    return value


def _positive(data: Mapping[str, Any], key: str, prefix: str = "",
              allow_zero: bool = False) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MergeRulesError(f"{prefix}{key}: must be a number")
    if value < 0 or (value == 0 and not allow_zero):
        raise MergeRulesError(f"{prefix}{key}: must be {'0 or more' if allow_zero else 'positive'}")
    return float(value)


def _per_method(data: Mapping[str, Any], key: str, prefix: str = "") -> dict[Method, float]:
    section = _section(data, key, prefix)
    return {method: _positive(section, method.value, f"{prefix}{key}.", allow_zero=True)
            for method in Method}
