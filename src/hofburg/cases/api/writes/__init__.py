"""The human-dimension desk's API writes, on the desk's router (`/api/v1/cases/`).

A script does here what an officer does on the desk: records a person (the identifying values
go into the identity vault; the answer is the surrogate id alone), a prisoner's case and its
episodes, proceedings, recognitions and condition reports, a hate incident, its screening and
its public summary (decision 0065), a media-freedom alert with the State's reply and the
follow-up log, a protection case and what follows it, an HCNM situation with its observations
and assessments; need-to-know grants for a person or a situation given and revoked, a
person's protection level and vault changed, and the erasure workflow (a request, the legal
hold, the decision) (decision 0064).

Every write needs an API token of an account with a confirmed second-factor device: any other
caller is anonymous to this desk (decision 0041) and gets a 401. The records named in the path
or the body are looked up through `queries`, so one the caller may not see is a 404 worded as
for a missing one; the services judge everything else and their refusals (`core.errors`) rise
to `core.api`'s handlers as problem+json. A retry under the same `Idempotency-Key` header gets
the first answer again and stores nothing (`core.idempotency`, decisions 0021 and 0054).
Answers name what was stored by its id and repeat no protected value.
"""


# The writes, one module per kind of record, add their operations to the desk's router; evidence
# uploads and downloads (`evidence.py`) too. They use `common`'s `_writer`.
# isort: off
from hofburg.cases.api.writes import persons, prisoners, incidents, protection, grants  # noqa: F401
from hofburg.cases.api import evidence  # noqa: F401
# isort: on
