"""Pure rules of the human-dimension desk: surrogate ids, normalised identifiers and their keyed
digests, field classification, small-cell suppression, the screening workflow and custody
status over time. Standard library only."""
