"""What changed between two revisions of a draft's text (`PC.DD/8/19` and its `/Rev.1`), word by
word.

The texts are cut into words, runs of whitespace and single punctuation marks, and compared
with difflib. Nothing is dropped or normalised: joining the "equal" and "insert" segments gives
the new text exactly, and joining the "equal" and "delete" segments gives the old one, so a
page can show either revision, or both with the changes marked, from the segments alone.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal, NamedTuple

Op = Literal["equal", "insert", "delete"]

# A word (letters, digits and underscores in any script), a run of whitespace, or any other
# single character. Every character of the text falls into exactly one token.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


class Segment(NamedTuple):
    op: Op
    text: str


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def diff_texts(old: str, new: str) -> list[Segment]:
    """The segments that turn `old` into `new`: equal text, deleted and inserted words.

    A replaced passage is its deletion followed by its insertion; neighbouring segments of the
    same kind are merged, and no segment is empty.
    """
    before, after = _tokens(old), _tokens(new)
    # autojunk off: in a long text, frequent tokens (spaces, "the") are not junk but text.
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(segments, "equal", "".join(before[i1:i2]))
            continue
        _add(segments, "delete", "".join(before[i1:i2]))
        _add(segments, "insert", "".join(after[j1:j2]))
    return segments


def _add(segments: list[Segment], op: Op, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))
