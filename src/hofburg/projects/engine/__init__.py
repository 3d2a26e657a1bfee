"""The projects desk's rules: plain Python over the standard library (and pydantic for the data
files), no Django, no database, no settings.

- `money`: amounts in a currency converted at a dated exchange rate, balances, burn rate and
  totals per donor and year, computed from the transactions, never typed;
- `workflow`: a project's states (concept, approved, implementation, closed; cancelled,
  suspended) and the steps between them;
- `logframe`: an indicator's progress from its baseline towards its target;
- `contributions`: the Unified Budget by year, the two scales of contributions, the 14 %
  ceiling of PC.DEC/408 and assessed contributions computed from a scale;
- `reference`: the data files under `data/projects/` read into typed models.
"""
