"""Duplicate detection without showing names: a keyed HMAC of normalised identifiers.

Two records of the same person rarely spell the name the same way ("Müller", "MULLER ",
"Mueller" is beyond this). Normalising removes what differs by accident (case, accents,
punctuation, spacing, the order of the parts of a name) so that the digests match; the key keeps
anyone holding the table from testing guesses against the digests (Uwazi's "ten John Smiths",
issue #2750, solved without exposing a name).
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

KINDS = ("name", "identity_number", "birth_date")


class IdentifierError(ValueError):
    """An identifier that normalises to nothing, or of an unknown kind."""


def normalise_identifier(kind: str, value: str) -> str:
    """The comparable form of an identifier: no accents, no case, no punctuation.

    A name's parts are sorted (`Doe, Jane` equals `jane doe`); an identity number keeps only its
    letters and digits (`AB 12-34` equals `ab1234`); a birth date must be ISO `YYYY-MM-DD`.
    """
    if kind not in KINDS:
        raise IdentifierError(f"unknown identifier kind {kind!r}; one of {', '.join(KINDS)}")
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if kind == "name":
        words = "".join(c if c.isalnum() else " " for c in plain).split()
        result = " ".join(sorted(words))
    elif kind == "identity_number":
        result = "".join(c for c in plain if c.isalnum())
    else:
        result = plain.strip()
        parts = result.split("-")
        if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise IdentifierError("a birth date is written YYYY-MM-DD")
    if not result:
        raise IdentifierError(f"the {kind.replace('_', ' ')} is empty once normalised")
    return result


def identifier_digest(key: bytes, identifiers: dict[str, str]) -> str:
    """The keyed digest (HMAC-SHA-256, hex) of a person's normalised identifiers.

    Each kind given is normalised and joined in a fixed order, so the same identifiers give the
    same digest whatever order they come in. An empty dict is refused: a digest of nothing would
    match every other digest of nothing.
    """
    if len(key) < 32:
        raise IdentifierError("the digest key must be at least 32 bytes")
    given = {k: v for k, v in identifiers.items() if v and v.strip()}
    if not given:
        raise IdentifierError("no identifier to compare")
    message = "\x1f".join(f"{kind}={normalise_identifier(kind, given[kind])}"
                          for kind in sorted(given))
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
