"""Core: users, affiliations, roles, classification, audit, ledger, documents and shared UI."""
