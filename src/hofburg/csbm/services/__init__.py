"""The Vienna Document desk's write path: exchanges and calendars, activities and
notifications, verification visits and risk-reduction requests, one module each.

Every function owns its transaction, checks its input before it writes, records the change in
the audit trail and raises `CsbmError(field, message)` (a `core.errors.Invalid`) on bad input
and `AccessDenied` (a `core.errors.NotAllowed`) for a user who may not act, having changed
nothing.
`actor` is the user acting, or None for the system (demo data, imports). A user acts for the
participating State of their delegation only (`can_act_for_state`); Secretariat staff may
record verification outcomes and risk-reduction clocks, as the Conflict Prevention Centre
does. Rule numbers and deadlines come from the engine and its rulesets, never from here.
"""

from hofburg.csbm.services.activities import (
    ACTIVITY_FIELDS,
    ActivityRecord,
    engine_activity,
    notification_content,
    notification_payload,
    notify_activity,
    record_activity,
    update_activity,
)
from hofburg.csbm.services.common import (
    LEDGER_KIND_NOTIFICATION,
    CsbmError,
    can_act_for_state,
    can_record_verification,
    exercise_of,
)
from hofburg.csbm.services.exchanges import (
    ExchangeSubmission,
    HoldingIn,
    UnitIn,
    submit_calendar,
    submit_exchange,
)
from hofburg.csbm.services.risk_reduction import (
    ExplanationRequest,
    open_risk_reduction_request,
    record_meeting,
    record_reply,
)
from hofburg.csbm.services.verification import (
    VisitRequest,
    record_visit_outcome,
    request_visit,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "LEDGER_KIND_NOTIFICATION",
    "ActivityRecord",
    "CsbmError",
    "ExchangeSubmission",
    "ExplanationRequest",
    "HoldingIn",
    "UnitIn",
    "VisitRequest",
    "can_act_for_state",
    "can_record_verification",
    "engine_activity",
    "exercise_of",
    "notification_content",
    "notification_payload",
    "notify_activity",
    "open_risk_reduction_request",
    "record_activity",
    "record_meeting",
    "record_reply",
    "record_visit_outcome",
    "request_visit",
    "submit_calendar",
    "submit_exchange",
    "update_activity",
]
