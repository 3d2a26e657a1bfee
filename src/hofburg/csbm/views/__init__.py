"""Pages of the Vienna Document desk: thin adapters over the engine, the queries and core.access.

`checker` needs only the engine and the ruleset files; `board` and `exchanges` read through
`queries`, which narrows every record to what the user may see.
"""

from hofburg.csbm.views.board import (
    activity_detail,
    calendar,
    desk_home,
    quotas,
    scorecard,
)
from hofburg.csbm.views.calendar_feed import calendar_feed
from hofburg.csbm.views.checker import checker, checker_answer, what_if
from hofburg.csbm.views.exchange_diff import exchange_diff
from hofburg.csbm.views.exchange_map import exchange_map
from hofburg.csbm.views.exchanges import exchange_detail, exchange_upload, exchanges

__all__ = [
    "activity_detail",
    "calendar",
    "calendar_feed",
    "checker",
    "checker_answer",
    "desk_home",
    "exchange_detail",
    "exchange_diff",
    "exchange_map",
    "exchange_upload",
    "exchanges",
    "quotas",
    "scorecard",
    "what_if",
]
