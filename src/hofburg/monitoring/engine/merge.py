"""Merging: which observations from different observers are the same event, and why.

Every observation is a wedge: its direction widened by the bearing tolerance of its method, and
its distance band widened by the distance tolerance (the domain reference's "Geolocation" and
"Deduplication rule"). Two observations are consistent when they come from different observers
within the time window, their categories share a group, their weapon classes agree (or one is
undetermined), and their wedges overlap. Observations are then taken in time order; each joins
the event all of whose members it is consistent with and whose shared area its wedge meets, and
otherwise opens an event of its own. An observation that could join two events joins the nearer
in time and the event is flagged for an analyst.

An event keeps its members' ids (raw observations are never changed), counts "at least" the
largest member count (the same burst seen twice is not two bursts), takes the most specific
category and the determined weapon class ("the more clear information overrules"), and is keyed
by its first observation so that the key stays stable across runs.

The parameters are mission parameters in data/monitoring/merge_rules.yaml, not rules of a text.

The merge reads observations as columns (`merge_columns`; `merge_observations` converts) and
goes in steps, each in a module of its own: the ruleset (`merge_rules`), the observations as
arrays of wedges (`wedges`), the consistent pairs (`pairs`), the clusters (`clustering`), and
each cluster's event (`events_from_clusters`, giving `merged_events.Event`); the explanations'
notes are written out by `explanations.explain`. Shared areas are intersected member by member
in the members' order, as `shapely.intersection_all` does, so every decision, area and text is
the same as intersecting them all at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from hofburg.monitoring.engine.bulk_work import collector_paused, time_order
from hofburg.monitoring.engine.clustering import cluster_observations
from hofburg.monitoring.engine.columns import ObservationColumns
from hofburg.monitoring.engine.events_from_clusters import build_events
from hofburg.monitoring.engine.explanations import RowTexts
from hofburg.monitoring.engine.merge_rules import MergeRules
from hofburg.monitoring.engine.merged_events import Event
from hofburg.monitoring.engine.observations import Observation
from hofburg.monitoring.engine.pairs import consistent_pairs
from hofburg.monitoring.engine.wedges import WedgeTable


class MergeError(ValueError):
    """The observations cannot be merged as given (for instance, an id used twice)."""


def merge_observations(observations: Sequence[Observation], rules: MergeRules) -> list[Event]:
    """The events the observations describe, in time order, each with its explanation."""
    return merge_columns(ObservationColumns.of(observations), rules)


def merge_columns(columns: ObservationColumns, rules: MergeRules) -> list[Event]:
    """The events of observations given as columns, in time order, each with its explanation.

    The rows may come in any order: they are taken by (time, observation_id).
    """
    ids = columns.observation_id
    if len(set(ids)) != len(ids):
        counts = Counter(ids)
        duplicate = next(i for i in ids if counts[i] > 1)
        raise MergeError(f"observation_id {duplicate!r} occurs more than once")
    if not ids:
        return []
    order = time_order(columns.observed_at, ids)
    if not np.array_equal(order, np.arange(len(ids))):  # else in order already (a stretch)
        columns = columns.take(order)
    with collector_paused():
        table = WedgeTable.build(columns, rules)
        texts = RowTexts.build(table, rules)
        pairs = consistent_pairs(table, rules, texts)
        clusters = cluster_observations(table, rules, pairs, texts)
        events = build_events(table, rules, pairs, texts, clusters)
        del table, texts, pairs, clusters  # freed here, not scanned when collecting resumes
    return events
