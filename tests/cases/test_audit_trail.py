"""The desk's audit entries stay off the general audit trail (decision 0075): an entry's
snapshot holds every field of a need-to-know record (a person's legal hold, which vault
fields exist, who holds grants) and its mere existence says the record exists, which only
the desk's own rules may tell. Neither the audit page nor the admin lists, counts, filters
on or opens them; the other desks' entries are listed as before."""

from __future__ import annotations

from django.test import Client

from hofburg.cases.models import Person, Situation
from hofburg.core.models import AuditEntry, Role, User
from hofburg.core.services.audit import record_change
from tests.cases.conftest import SITUATION_MARKERS, Records


def _kept() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(model_label__startswith="cases."))


def test_the_audit_page_neither_lists_nor_offers_the_desk_s_entries(records: Records) -> None:
    s = records.scene
    dora = s.cast.dora  # an administrator of the owner affiliation, without any grant
    record_change(dora, "update", s.cast.cpc, {"name": "before-marker"}, {"name": "after-marker"})
    kept = _kept()
    # The scene's persons, grants and situations are audited: what must stay off the page.
    assert {e.model_label for e in kept} >= {"cases.Person", "cases.Situation"}
    client = Client()
    client.force_login(dora)
    page = client.get("/audit/").content.decode()
    assert "after-marker" in page  # the other desks' entries are listed as before
    assert "cases." not in page  # neither an entry nor a record type to filter on
    for person in Person.objects.all():
        assert person.surrogate_id not in page
    for situation in Situation.objects.all():
        assert situation.situation_id not in page and situation.title not in page
    assert SITUATION_MARKERS["hidden_title"] not in page
    for asked in ("?type=cases.Person", "?type=cases.Situation"):
        assert "cases." not in client.get("/audit/" + asked).content.decode().replace(
            asked.removeprefix("?type="), "")  # echoed back in the refused filter at most
    request_ids = {e.request_id for e in kept if e.request_id}
    for request_id in request_ids:
        assert "cases." not in client.get(f"/audit/?request={request_id}").content.decode()


def test_the_admin_neither_lists_nor_opens_the_desk_s_entries(records: Records) -> None:
    s = records.scene
    root = User.objects.create_superuser("root", password="x-unused-password-9",
                                         affiliation=s.cast.cpc, roles=[Role.ADMINISTRATOR])
    record_change(root, "update", s.cast.cpc, {"name": "before-marker"}, {"name": "after-marker"})
    client = Client()
    client.force_login(root)
    listing = client.get("/admin/core/auditentry/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "core.Affiliation" in body and "cases." not in body
    kept = _kept()[0]
    opened = client.get(f"/admin/core/auditentry/{kept.pk}/change/")
    missing = client.get("/admin/core/auditentry/99999999/change/")
    assert opened.status_code == missing.status_code == 302  # "does not exist", for both
    assert opened["Location"] == missing["Location"]
