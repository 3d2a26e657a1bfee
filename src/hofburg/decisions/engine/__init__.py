"""The decisions desk's rules, pure: document numbering, consensus, the silence procedure
(Rules of Procedure MC.DOC/1/06, Annex 1(A)), revision diffs and the status table."""
