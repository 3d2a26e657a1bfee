"""Random surrogate ids: how cases, incidents and statistics refer to a person.

A surrogate carries nothing of the person (no initials, no date, no sequence number that tells
how many people were recorded before): 60 random bits in Crockford's base 32, which has no
letters that read as digits, behind a prefix naming the record type.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
LENGTH = 12  # 12 symbols of 5 bits: 60 random bits
PATTERN = re.compile(rf"^[A-Z]{{1,3}}-[{ALPHABET}]{{{LENGTH}}}$")


def new_surrogate_id(prefix: str = "P") -> str:
    """A fresh random id such as `P-7KQ2M9XD4T0B`."""
    if not re.fullmatch(r"[A-Z]{1,3}", prefix):
        raise ValueError("a surrogate prefix is one to three capital letters")
    return prefix + "-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def is_surrogate_id(text: str) -> bool:
    return bool(PATTERN.fullmatch(text))
