"""The field-monitoring desk: observations, events, reporting periods and withdrawal lines."""
