"""Demo data: exercise accounts and documents that show the access model at work.

Everything here is generated and marked as exercise data: the affiliations are fictional
("Exercise Delegation North"), the documents carry `is_exercise` and say so in their text, and
nothing is attributed to a real State, body or person. Desks add their own demo data with
`register_loader` from their AppConfig.ready().

Loading is idempotent: a second run finds what exists and creates nothing new.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from hofburg.core.models import Affiliation, Classification, Document, Role, User
from hofburg.core.services.accounts import create_account, ensure_affiliation
from hofburg.core.services.adoptions import record_adoption
from hofburg.core.services.documents import register_document

DemoLoader = Callable[[], None]
_loaders: dict[str, DemoLoader] = {}


def register_loader(name: str, loader: DemoLoader) -> None:
    """Let a desk add its demo data to `hofburg demo`."""
    _loaders[name] = loader


@dataclass(frozen=True)
class DemoAccount:
    username: str
    affiliation: str
    roles: tuple[str, ...]


AFFILIATIONS = [
    ("exercise-north", "Exercise Delegation North", Affiliation.Kind.DELEGATION),
    ("exercise-south", "Exercise Delegation South", Affiliation.Kind.DELEGATION),
    ("exercise-secretariat", "Exercise Secretariat Unit", Affiliation.Kind.SECRETARIAT_UNIT),
    ("exercise-mission", "Exercise Field Mission", Affiliation.Kind.FIELD_OPERATION),
]

# One account per role, and a field monitor.
ACCOUNTS = [
    DemoAccount("demo-reader", "exercise-south", (Role.READER,)),
    DemoAccount("demo-editor", "exercise-north", (Role.READER, Role.EDITOR)),
    DemoAccount("demo-analyst", "exercise-secretariat", (Role.READER, Role.ANALYST)),
    DemoAccount("demo-approver", "exercise-north", (Role.READER, Role.APPROVER)),
    DemoAccount("demo-admin", "exercise-secretariat", (Role.READER, Role.ADMINISTRATOR)),
    # A field monitor: an editor in the exercise field mission, for the observation form.
    DemoAccount("demo-monitor", "exercise-mission", (Role.READER, Role.EDITOR)),
]


@dataclass(frozen=True)
class DemoDocument:
    symbol: str
    title: str
    day: date
    owner: str
    classification: str
    shared_with: tuple[str, ...] = ()
    texts: tuple[tuple[str, str], ...] = ()


_MARK = "EXERCISE DATA — generated for demonstration; not an OSCE document."

DOCUMENTS = [
    DemoDocument(
        "PC.DEL/9901/26",
        "Statement on the exercise scenario: water security in a shared basin",
        date(2026, 3, 12),
        "exercise-north",
        Classification.PUBLIC,
        texts=(
            (
                "en",
                "Statement on transboundary water management, early warning and "
                "confidence-building between riparian communities.",
            ),
            (
                "ru",
                "Заявление об управлении трансграничными водами, раннем предупреждении "
                "и мерах укрепления доверия между прибрежными общинами.",
            ),
        ),
    ),
    DemoDocument(
        "PC.DEL/9902/26",
        "Reply on the exercise scenario: energy-infrastructure protection",
        date(2026, 4, 2),
        "exercise-south",
        Classification.PUBLIC,
        texts=(
            (
                "en",
                "Reply on the protection of critical energy infrastructure, "
                "cyber incidents and information sharing.",
            ),
        ),
    ),
    DemoDocument(
        "SEC.GAL/9903/26",
        "Exercise briefing note: field operation staffing",
        date(2026, 5, 20),
        "exercise-secretariat",
        Classification.RESTRICTED,
        texts=(
            (
                "en",
                "Briefing note on seconded personnel, vacancies and rotation in the "
                "exercise field mission.",
            ),
        ),
    ),
    DemoDocument(
        "PC.DD/9904/26",
        "Exercise draft decision on a confidence-building workshop",
        date(2026, 6, 8),
        "exercise-north",
        Classification.RESTRICTED,
        texts=(
            (
                "en",
                "Draft decision convening a workshop on military transparency and risk reduction.",
            ),
            (
                "ru",
                "Проект решения о созыве семинара по военной транспарентности и "
                "уменьшению опасности.",
            ),
        ),
    ),
    DemoDocument(
        "CIO.GAL/9905/26",
        "Exercise internal assessment: negotiation format options",
        date(2026, 7, 15),
        "exercise-secretariat",
        Classification.CONFIDENTIAL,
        shared_with=("exercise-north",),
        texts=(
            (
                "en",
                "Internal assessment of mediation options for the exercise scenario; "
                "for the named affiliations only.",
            ),
        ),
    ),
    DemoDocument(
        "PC.DEL/9906/26",
        "Exercise delegation instructions: position on the draft",
        date(2026, 9, 1),
        "exercise-south",
        Classification.CONFIDENTIAL,
        texts=(
            (
                "en",
                "Instructions to the exercise delegation: join consensus with an "
                "interpretative statement.",
            ),
        ),
    ),
    DemoDocument(
        "PC.DEC/9907",
        "Exercise decision on a confidence-building workshop",
        date(2026, 10, 1),
        "exercise-secretariat",
        Classification.PUBLIC,
        texts=(
            (
                "en",
                "The Permanent Council (exercise) decides to convene a workshop on "
                "military transparency.",
            ),
            (
                "fr",
                "Le Conseil permanent (exercice) décide de convoquer un atelier sur la "
                "transparence militaire.",
            ),
        ),
    ),
]

ACCOUNTS_FILE_NAME = "demo-accounts.json"


def load_demo() -> list[tuple[str, str, str, str]]:
    """Create the demo affiliations, accounts and documents.

    Returns (username, password, roles, affiliation name) for each demo account.
    """
    affiliations = {
        code: ensure_affiliation(code, name=name, kind=kind, is_exercise=True)
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
    _load_documents(affiliations)
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


def _load_documents(affiliations: dict[str, Affiliation]) -> None:
    for spec in DOCUMENTS:
        if Document.objects.filter(symbol=spec.symbol).exists():
            continue
        actor = _editor_for(affiliations[spec.owner])
        files = [
            (
                language,
                SimpleUploadedFile(
                    f"{spec.symbol.replace('/', '-').replace('.', '-')}-{language}.txt",
                    f"{_MARK}\n\n{spec.title}\n\n{text}\n".encode(),
                    content_type="text/plain",
                ),
            )
            for language, text in spec.texts
        ]
        with transaction.atomic():
            document = register_document(
                actor,
                symbol=spec.symbol,
                title=spec.title,
                date=spec.day,
                originator=affiliations[spec.owner].name,
                original_language=spec.texts[0][0],
                classification=spec.classification,
                shared_with=[affiliations[c] for c in spec.shared_with],
                files=files,
                is_exercise=True,
            )
            if spec.symbol.startswith("PC.DEC/"):
                record_adoption(actor, document)


def _editor_for(affiliation: Affiliation) -> User:
    """An exercise editor of the affiliation, created on demand (documents need an owner)."""
    username = f"exercise-editor-{affiliation.code.removeprefix('exercise-')}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user, _password = create_account(
            username, affiliation_code=affiliation.code, roles=[Role.READER, Role.EDITOR]
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


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
