"""The human-dimension desk's answer to the search across the desks (`core.finder`,
decisions 0047 and 0062): statements on intolerance by their words, and incidents by their id.

Both read through the desk's queries, so a hidden record is absent: no hit, no count, and no
section when nothing visible matches. A signed-in user who has not passed the second factor in
this session is answered as a visitor, as the desk's API answers them: the desk's own pages
would send them to the second step first. Nothing a person, a protection case or a situation
holds is searched: those are known only through grants, on the desk's pages.
"""

from __future__ import annotations

from functools import reduce
from operator import and_

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hofburg.cases import queries
from hofburg.core import finder
from hofburg.core.access import AnyUser
from hofburg.core.search import query_terms, snippet


def desk_reader(user: AnyUser) -> AnyUser:
    """`user` as the desk answers them outside its pages: a visitor until a signed-in user has
    passed the second factor in this session (django-otp's `is_verified` on the request's
    user; a user without it has not)."""
    if not user.is_authenticated:
        return user
    is_verified = getattr(user, "is_verified", None)
    return user if is_verified is not None and is_verified() else AnonymousUser()


def find_statements(user: AnyUser, query: str, limit: int) -> finder.Found | None:
    """Statements the reader may see whose title, speaker or text holds every word."""
    terms = query_terms(query)
    if not terms:
        return None
    words = [Q(title__icontains=t) | Q(speaker__icontains=t) | Q(text__icontains=t)
             for t in terms]
    rows = queries.statements_for(desk_reader(user)).filter(reduce(and_, words))
    total = rows.count()
    if not total:
        return None
    hits = [finder.Hit(title=f"{s.title} — {s.speaker}",
                       url=reverse("cases:statement", args=[s.statement_id]),
                       snippet=snippet(s.text, terms), kind=str(_("statement on intolerance")),
                       day=s.made_on)
            for s in rows[:limit]]
    return finder.Found(total, hits, reverse("cases:statements"))


def find_incidents(user: AnyUser, query: str, limit: int) -> finder.Found | None:
    """The incident whose id the query is, if the reader may see it: an id is the only field
    searched (an incident is for staff only, its account restricted)."""
    rows = queries.incidents_for(desk_reader(user)).filter(incident_id__iexact=query.strip())
    found = list(rows[:limit])
    if not found:
        return None
    hits = [finder.Hit(title=i.incident_id, url=reverse("cases:incident", args=[i.incident_id]),
                       snippet=f"{i.country} · {i.reporting_year} · {i.incident_type}",
                       kind=str(_("hate incident")))
            for i in found]
    return finder.Found(len(found), hits)


def register() -> None:
    finder.register("tolerance_statements", _("Statements on intolerance"), find_statements,
                    order=25)
    finder.register("hate_incidents", _("Hate incidents"), find_incidents, order=80)
