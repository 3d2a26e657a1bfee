"""Demo data of the document library, loaded by `hofburg demo`: exercise documents that show
the access model at work, one at each distribution level and one shared with a named
affiliation, and an adopted exercise decision in the ledger.

Everything here is generated and marked as exercise data: the documents carry `is_exercise`
and say so in their text, belong to core's fictional exercise affiliations, and nothing is
attributed to a real State, body or person. Loading is idempotent: a second run adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from hofburg.core.demo import DemoError, register_loader
from hofburg.core.models import Affiliation, Classification, Role, User
from hofburg.core.services.accounts import ensure_actor
from hofburg.documents.models import Document
from hofburg.documents.services import DocumentError, record_adoption, register_document


def register() -> None:
    """Register this desk's demo loader with core.demo (called from AppConfig.ready)."""
    register_loader("documents", load_documents_demo)


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


def load_documents_demo() -> None:
    """Register the exercise documents through the services, adopting the decision (idempotent).

    The exercise affiliations come from `core.demo`, which creates them before any desk's
    loader runs. Raises DemoError when the services refuse a document.
    """
    codes = {spec.owner for spec in DOCUMENTS} | {c for spec in DOCUMENTS for c in spec.shared_with}
    affiliations = Affiliation.objects.in_bulk(sorted(codes), field_name="code")
    missing = sorted(codes - set(affiliations))
    if missing:
        raise DemoError(f"the exercise affiliations {', '.join(missing)} are missing")
    try:
        _load_documents(affiliations)
    except DocumentError as exc:
        raise DemoError(str(exc)) from exc


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
    return ensure_actor(username, affiliation_code=affiliation.code,
                        roles=[Role.READER, Role.EDITOR])
