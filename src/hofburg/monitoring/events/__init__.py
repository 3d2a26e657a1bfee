"""Observations merged into events, and the events' counts in the rollups.

window   the general way in: insert observations, merge their time window again
store    write the events the engine made: create, update, withdraw, link the members
rollups  what each event adds to the rollup tables, summed and upserted
"""
