"""The projects and contributions desk: extra-budgetary projects with logframes, donors and
results, the Unified Budget and the scales of contributions, seconded personnel, IATI export."""
