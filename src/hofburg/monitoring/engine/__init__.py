"""Monitoring engine: pure rules for observations and events (no Django, no database, no settings).

observations  what one observer recorded, validated
geodesy       geodesic helpers and local metric frames
locate        bearing fixes with error ellipses; single-observer sector areas
merge         which observations from different observers are the same event, and why
periods       19:30-to-19:30 reporting periods and counts per area
withdrawal    withdrawal-line compliance and disengagement areas
areas         named reporting areas: which one holds a position
binning       H3 cells for located events
"""
