"""Core models, one module per topic."""

from hofburg.core.models.audit import AuditEntry
from hofburg.core.models.classification import Classification, ClassificationField, ClassifiedRecord
from hofburg.core.models.idempotency import IdempotentRequest
from hofburg.core.models.ledger import LedgerEntry
from hofburg.core.models.users import Affiliation, ApiToken, Role, User

__all__ = [
    "Affiliation",
    "ApiToken",
    "AuditEntry",
    "Classification",
    "ClassificationField",
    "ClassifiedRecord",
    "IdempotentRequest",
    "LedgerEntry",
    "Role",
    "User",
]
