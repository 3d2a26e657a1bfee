"""Classification: the reusable field and the fields every classified record carries.

Who may see what is decided in `hofburg.core.access`, never here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # django-stubs makes fields generic in what they set and get; Django does not
    _StrField = models.CharField[str, str]
else:
    _StrField = models.CharField


class Classification(models.TextChoices):
    PUBLIC = "public", _("Public")
    RESTRICTED = "restricted", _("Restricted")
    CONFIDENTIAL = "confidential", _("Confidential")


class ClassificationField(_StrField):
    """A CharField limited to the three classification levels, `restricted` unless told."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("choices", Classification.choices)
        kwargs.setdefault("default", Classification.RESTRICTED)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "choices"):
            kwargs.pop(key, None)
        # Field leaves db_index out when False, but here False is not the default.
        kwargs.setdefault("db_index", False)
        return name, path, args, kwargs


def owner_affiliation_field(*, db_index: bool = True) -> models.ForeignKey[Any, Any]:
    """The affiliation a record belongs to (`confidential` records are visible to it)."""
    return models.ForeignKey(
        "core.Affiliation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=db_index,
    )


class ClassifiedRecord(models.Model):
    """The fields `core.access` reads: the level, the owning affiliation and who else may see it.

    `confidential` records are visible to the owner affiliation and to those in `shared_with`.
    """

    classification = ClassificationField(_("classification"))
    owner_affiliation = owner_affiliation_field()
    shared_with = models.ManyToManyField(
        "core.Affiliation", verbose_name=_("shared with"), blank=True, related_name="+"
    )

    class Meta:
        abstract = True
