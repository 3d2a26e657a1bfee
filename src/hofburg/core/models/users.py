"""Users, the affiliations they belong to, their roles and their API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Affiliation(models.Model):
    """A body a user works for: delegation, Secretariat unit, institution or field operation."""

    class Kind(models.TextChoices):
        DELEGATION = "delegation", _("Delegation of a participating State")
        SECRETARIAT_UNIT = "secretariat_unit", _("Secretariat unit")
        INSTITUTION = "institution", _("Institution")
        FIELD_OPERATION = "field_operation", _("Field operation")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # For a delegation, the participating State (or Partner for Co-operation) it represents
    # (ISO 3166 alpha-2). Kept as a code, not a foreign key, because core stands below the registry.
    state_iso2 = models.CharField(_("State (ISO alpha-2)"), max_length=2, blank=True)
    is_exercise = models.BooleanField(_("exercise data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    READER = "reader", _("Reader")
    EDITOR = "editor", _("Editor")
    ANALYST = "analyst", _("Analyst")
    APPROVER = "approver", _("Approver")
    ADMINISTRATOR = "administrator", _("Administrator")


def validate_roles(value: object) -> None:
    if not isinstance(value, list) or any(role not in Role.values for role in value):
        raise ValidationError(
            _("Roles must be a list drawn from: %(roles)s"),
            params={"roles": ", ".join(Role.values)},
        )


class User(AbstractUser):
    """A person using Hofburg. Anonymous visitors are Django's AnonymousUser."""

    affiliation = models.ForeignKey(
        Affiliation,
        verbose_name=_("affiliation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    roles = models.JSONField(_("roles"), default=list, blank=True, validators=[validate_roles])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.roles


class ApiToken(models.Model):
    """A bearer token for machine clients. Only its SHA-256 is stored; the key is shown once."""

    PREFIX = "hfb_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
