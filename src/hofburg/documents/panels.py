"""Panels this desk adds to shared pages: on the home page, the newest documents the reader
may see; on a delegation's "My State", the new documents that concern its State."""

from __future__ import annotations

from datetime import timedelta
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from hofburg.core import access, panels, updated
from hofburg.core.access import AnyUser
from hofburg.core.models import Affiliation

if TYPE_CHECKING:
    from hofburg.documents.models import Document
    from hofburg.registry.models import ParticipatingState

RECENT_DOCUMENTS = 5
# "New" on My State (decision 0072): registered in the library in the last two weeks, so that
# a member back from a week away still finds what arrived meanwhile, and "new" stays new.
NEW_DOCUMENT_DAYS = 14
NEW_DOCUMENTS_SHOWN = 5


def recent_documents(request: HttpRequest, subject: Any = None) -> dict[str, Any]:
    """The newest visible documents; the card is shown even when there are none."""
    from hofburg.documents.models import Document  # models are not ready at app loading

    visible = access.visible(Document.objects.all(), request.user)
    recent = list(visible[:RECENT_DOCUMENTS])
    return {"recent_documents": recent,
            # When a document the reader may see was last registered or changed.
            "updated": updated.latest_of(visible, "updated_at") if recent else None,
            "shows_exercise_data": any(d.is_exercise for d in recent)}


def concerning(state: ParticipatingState) -> Q:
    """The documents that concern `state` or were distributed to its delegation: owned by or
    shared with a delegation that stands for it, or originating from it by name (the State's
    or its delegation's, in any language, as the originator field is typed)."""
    from hofburg.documents.models import Document

    delegations = Affiliation.objects.filter(kind=Affiliation.Kind.DELEGATION,
                                             state_iso2=state.iso2)
    shared = Document.shared_with.through.objects.filter(
        affiliation__in=delegations).values("document_id")
    names = {*state.names.values(), *delegations.values_list("name", flat=True)}
    by_name = [Q(originator__iexact=name) for name in sorted(names) if name]
    return reduce(or_, by_name, Q(owner_affiliation__in=delegations) | Q(pk__in=shared))


def new_for_state(user: AnyUser, state: ParticipatingState) -> QuerySet[Document]:
    """The documents `user` may see that concern `state` (`concerning`) and were registered in
    the last `NEW_DOCUMENT_DAYS` days, newest first."""
    from hofburg.documents.models import Document

    since = timezone.now() - timedelta(days=NEW_DOCUMENT_DAYS)
    return access.visible(Document.objects.filter(created_at__gte=since), user).filter(
        concerning(state)).order_by("-created_at", "symbol")


def state_documents(request: HttpRequest, state: ParticipatingState) -> dict[str, Any]:
    """For "My State": the new documents concerning the State that the member may see, how
    many, and when the newest of them last changed; the card is shown even when there are
    none."""
    found = new_for_state(request.user, state)
    listed = list(found[:NEW_DOCUMENTS_SHOWN])
    return {"documents": listed,
            "total": found.count() if len(listed) == NEW_DOCUMENTS_SHOWN else len(listed),
            "days": NEW_DOCUMENT_DAYS,
            "updated": updated.latest_of(found, "updated_at") if listed else None,
            "shows_exercise_data": any(d.is_exercise for d in listed)}


def register() -> None:
    """Register this desk's panels with core.panels (called from AppConfig.ready)."""
    panels.register("home", "documents", "documents/panels/home.html", recent_documents,
                    order=90)
    panels.register("my_state", "documents", "documents/panels/my_state.html",
                    state_documents, order=30)
