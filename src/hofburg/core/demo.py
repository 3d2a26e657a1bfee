"""Demo data: exercise affiliations and accounts that show the access model at work.

Everything here is generated and marked as exercise data: the affiliations are fictional
("Exercise Delegation North") and nothing is attributed to a real State, body or person. Desks
add their own demo data (the document library its documents, say) with `register_loader` from
their AppConfig.ready(); a loader that cannot load its data raises `DemoError`.

Loading is idempotent: a second run finds what exists and creates nothing new.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from hofburg.core.models import Affiliation, Role, User
from hofburg.core.services.accounts import create_account, ensure_affiliation

DemoLoader = Callable[[], None]
_loaders: dict[str, DemoLoader] = {}


class DemoError(RuntimeError):
    """A desk's demo data could not be loaded; the message says what was refused."""


def register_loader(name: str, loader: DemoLoader) -> None:
    """Let a desk add its demo data to `hofburg demo`."""
    _loaders[name] = loader


@dataclass(frozen=True)
class DemoAccount:
    username: str
    affiliation: str
    roles: tuple[str, ...]


# A delegation standing for one participating State in exercise records (decision 0061), so
# that what only a State's own delegation does is in the demo's reach: uploading its annual
# exchange, "My State" on the home page, its calendar feed. The desks already generate EXERCISE
# records for every State; whatever this delegation records is an exercise record too. Austria,
# the OSCE's host State, for no reason beyond that.
DEMO_STATE = "AT"
STATE_DELEGATION = "exercise-delegation-state"

AFFILIATIONS = [
    ("exercise-north", "Exercise Delegation North", Affiliation.Kind.DELEGATION),
    ("exercise-south", "Exercise Delegation South", Affiliation.Kind.DELEGATION),
    ("exercise-secretariat", "Exercise Secretariat Unit", Affiliation.Kind.SECRETARIAT_UNIT),
    ("exercise-mission", "Exercise Field Mission", Affiliation.Kind.FIELD_OPERATION),
    ("exercise-eom", "Exercise Election Observation Mission", Affiliation.Kind.FIELD_OPERATION),
    (STATE_DELEGATION, f"Exercise Delegation {DEMO_STATE}", Affiliation.Kind.DELEGATION),
]
STANDS_FOR = {STATE_DELEGATION: DEMO_STATE}

# One account per role, and a field monitor.
ACCOUNTS = [
    DemoAccount("demo-reader", "exercise-south", (Role.READER,)),
    DemoAccount("demo-editor", "exercise-north", (Role.READER, Role.EDITOR)),
    DemoAccount("demo-analyst", "exercise-secretariat", (Role.READER, Role.ANALYST)),
    DemoAccount("demo-approver", "exercise-north", (Role.READER, Role.APPROVER)),
    DemoAccount("demo-admin", "exercise-secretariat", (Role.READER, Role.ADMINISTRATOR)),
    # A field monitor: an editor in the exercise field mission, for the observation form.
    DemoAccount("demo-monitor", "exercise-mission", (Role.READER, Role.EDITOR)),
    # The Chair of the exercise decision-making bodies: an editor in the exercise Secretariat.
    DemoAccount("demo-chair", "exercise-secretariat", (Role.READER, Role.EDITOR)),
    # A short-term observer of the exercise election observation mission (ODK Collect).
    DemoAccount("demo-observer", "exercise-eom", (Role.READER,)),
    # The exercise election observation mission's core team: plans the deployment, provisions
    # devices, sets up the PVT, freezes and reads the figures (a core-team member of the
    # mission, not an editor of its affiliation).
    DemoAccount("demo-coreteam", "exercise-eom", (Role.READER,)),
    # An editor of the exercise delegation standing for DEMO_STATE.
    DemoAccount("demo-delegate", STATE_DELEGATION, (Role.READER, Role.EDITOR)),
]


ACCOUNTS_FILE_NAME = "demo-accounts.json"


def load_demo() -> list[tuple[str, str, str, str]]:
    """Create the demo affiliations and accounts, then run every desk's loader.

    Returns (username, password, roles, affiliation name) for each demo account.
    """
    affiliations = {
        code: ensure_affiliation(code, name=name, kind=kind, is_exercise=True,
                                 state_iso2=STANDS_FOR.get(code, ""))
        for code, name, kind in AFFILIATIONS
    }
    passwords = _account_passwords()
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            _user, password = create_account(
                account.username, affiliation_code=account.affiliation, roles=list(account.roles)
            )
            passwords[account.username] = password
    _save_account_passwords(passwords)
    for loader in _loaders.values():
        loader()
    return [
        (
            a.username,
            passwords.get(a.username, "(set before; see the administrator)"),
            ", ".join(a.roles),
            affiliations[a.affiliation].name,
        )
        for a in ACCOUNTS
    ]


def _accounts_file() -> Path:
    return Path(settings.DATA_DIR) / ACCOUNTS_FILE_NAME


def _account_passwords() -> dict[str, str]:
    path = _accounts_file()
    if path.exists():
        return dict(json.loads(path.read_text()))
    return {}


def _save_account_passwords(passwords: dict[str, str]) -> None:
    path = _accounts_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(passwords, indent=2))
    path.chmod(0o600)
