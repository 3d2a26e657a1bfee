"""The projects desk's write path, one module per job: `projects` (projects, workflow),
`money` (donors, budget lines, transactions), `logframe` (elements, indicators, targets,
progress reports) and `personnel` (secondments). Each function owns its transaction, checks
its input before it writes, records the change, and refuses with a `core.errors` exception
having changed nothing."""
