"""One record at a time: submitting observations and the other reports of a patrol, and the
workflow of observations and events (verify, reject, correct, declassify, publish).

submit          an observation, idempotent by its client id (decision 0021)
patrol_reports  weapon sightings, movement restrictions, civilian impact
workflow        status changes of observations and events, with the audit trail
"""
