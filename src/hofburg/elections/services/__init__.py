"""The only write path of the election observation desk. Each service checks, then writes in
one transaction with an audit entry, or raises a `core.errors` refusal having changed nothing."""
