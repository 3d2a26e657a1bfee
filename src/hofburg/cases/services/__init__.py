"""The desk's write path: persons and their vault (`persons`), political prisoners' cases
(`prisoners`), the access log (`reads`) and key rotation (`keys`). Each function owns its
transaction, checks its input before it writes and records the change with
`core.services.audit.record_change` — whose snapshots never hold a vault value."""
