"""The decisions desk's rules, pure: document numbering, consensus, the silence procedure
(Rules of Procedure MC.DOC/1/06, Annex 1(A)), revision diffs and the status table.

Where to read what:
- `rules.py`: the bodies, their series and the mechanisms, read from data/decisions/;
- `numbering.py`: the next number of a series, the year it counts in, revision symbols;
- `consensus.py`: who may object, and when a decision passes (II(A)2, Annex 2), on the bases
  of adoption the data file gives;
- `invocations.py`: the mechanisms a State or a group of States can set in motion alone;
- `silence.py`: a draft through adoption at a meeting or by silence (Annex 1(A), IV.1(A)6);
- `diff.py`: word-level differences between two revisions of a text;
- `status_table.py`: the Chairmanship's status table of draft decisions.
"""
