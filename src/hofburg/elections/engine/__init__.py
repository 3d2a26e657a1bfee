"""Pure computations of the election observation desk: the ODIHR-style tally of forms, the
stratified ratio estimator of a parallel vote tabulation, and drawing a stratified sample.
Standard library and numpy only."""
