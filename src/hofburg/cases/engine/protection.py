"""The code lists of protection cases (trafficking in persons, gender-based violence, Roma and
Sinti): the HTCDS 2.0 picklists where they fit, read from `data/cases/protection-codes.yaml`
with their sources and confidence labels, and the checks of a case's codes."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hofburg.cases.engine.codelists import CodeVersion, parse, pick
from hofburg.cases.engine.codes import DATA_DIR, CodeListError

LISTS = ("concerns", "case_statuses", "trafficking_statuses", "status_deciders", "genders",
         "relationships", "exploitation_types", "recruitment_methods", "control_methods",
         "movement_types", "referral_reasons", "organisation_types", "assistance_types",
         "risk_levels", "risk_factors")
CLOSED = ("closed", "closed_referred")  # case statuses that need a reason for closure
DIRECTIONS = ("incoming", "outgoing")  # HTCDS's incoming and outgoing referral fields
MAX_AGE = 120


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> tuple[CodeVersion, ...]:
    path = path or DATA_DIR / "protection-codes.yaml"
    versions = parse(path.read_text(encoding="utf-8"), path.name, LISTS)
    for version in versions:
        for code in version.codes("risk_factors").values():
            if code.extra.get("level") not in version.codes("risk_levels"):
                raise CodeListError(f"{path.name} version {version.version} risk_factors "
                                    f"{code.code}: `level` is one of the risk levels")
    return tuple(versions)


def version(name: str | None = None) -> CodeVersion:
    """The named version, or the current one (the last in the file)."""
    return pick(load(), name)


def check_risk_factors(codes: CodeVersion, level: str, factors: list[str]) -> list[str]:
    """The factors of one assessment section: codes of the list, each of that section."""
    codes.check("risk_levels", level)
    clean = codes.check_all("risk_factors", factors)
    wrong = [f for f in clean if codes.codes("risk_factors")[f].extra.get("level") != level]
    if wrong:
        raise CodeListError(f"risk_factors: {', '.join(wrong)} not {level} factors")
    return clean
