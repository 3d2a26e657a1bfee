"""Core pages: home, sign-in, documents, audit, API tokens. Views are adapters over services."""
