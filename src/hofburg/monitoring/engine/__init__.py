"""Monitoring engine: pure rules for observations and events (no Django, no database, no settings).

observations          what one observer recorded, validated
columns               many observations as columns, validated
geodesy               geodesic helpers and local metric frames
locate                bearing fixes with error ellipses; single-observer sector areas
merge                 which observations from different observers are the same event, and why
merge_rules           the mission's merge parameters, read from YAML
wedges                observations as arrays of wedges; points certainly inside wedges
pairs                 consistent pairs of observations, and some kept apart
clustering            observations in time order into events
events_from_clusters  each cluster's event: its values combined, located
merged_events         what a merged event is and where it is located
explanations          the notes of an event's explanation, and their sentences
bulk_work             time order and the collector paused, for work on many rows
periods               19:30-to-19:30 reporting periods and counts per area
withdrawal            withdrawal-line compliance and disengagement areas
areas                 named reporting areas: which one holds a position
binning               H3 cells for located events
"""
