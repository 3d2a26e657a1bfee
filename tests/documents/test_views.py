"""The document library pages, through the test client: what they show and what they store."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.test import Client
from django.urls import reverse

from hofburg.core import search
from hofburg.core.models import AuditEntry, Classification
from hofburg.documents.models import Document, DocumentFile
from hofburg.documents.services import register_document
from tests.conftest import Cast
from tests.documents.library import Library, stored_files, text_file

pytestmark = pytest.mark.django_db


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "symbol": "PC.DEL/20/26 OSCE+",
        "title": "Statement on the ceasefire",
        "date": "2026-03-04",
        "originator": "Delegation of Austria",
        "original_language": "en",
        "classification": "restricted",
    }
    data.update(overrides)
    return data


def _csv_rows(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def _body(response: Any) -> bytes:
    assert isinstance(response, FileResponse)
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


# The list


def test_the_list_shows_symbol_title_date_and_distribution(cast: Cast, library: Library) -> None:
    response = cast.client(cast.alice).get(reverse("documents:documents"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "PC.DEL/1/26" in html and "Statement on the public ceasefire report" in html
    assert "1 January 2026" in html
    assert 'class="tag level-confidential"' in html and 'class="tag level-public"' in html
    assert response.context["shows_exercise_data"] is False


def test_the_list_filters_by_text_distribution_year_originator_and_language(
    cast: Cast, library: Library
) -> None:
    client = cast.client(cast.alice)

    def symbols(**query: str) -> list[str]:
        response = client.get(reverse("documents:documents"), query)
        return [d.symbol for d in response.context["documents"]]

    assert symbols(q="deployments") == ["PC.DEL/2/26"]
    assert symbols(distribution="confidential") == ["PC.DEL/4/26", "PC.DEL/3/26"]
    assert symbols(year="2025") == []
    assert len(symbols(originator="Delegation of Austria")) == 4
    assert symbols(language="fr") == []
    assert len(symbols(language="en")) == 4


def test_a_search_with_too_many_matches_says_they_come_newest_first(
        cast: Cast, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    client = cast.client(cast.alice)
    monkeypatch.setattr(search, "RANK_LIMIT", 1)
    response = client.get(reverse("documents:documents"), {"q": "ceasefire"})
    assert "too many to rank: the newest come first" in response.content.decode()
    dates = [d.date for d in response.context["documents"]]
    assert len(dates) == 4 and dates == sorted(dates, reverse=True)
    monkeypatch.setattr(search, "RANK_LIMIT", 4)
    ranked = client.get(reverse("documents:documents"), {"q": "ceasefire"})
    assert "too many to rank" not in ranked.content.decode()


def test_filters_it_cannot_read_are_ignored_and_said_so(cast: Cast, library: Library) -> None:
    response = cast.client(cast.alice).get(reverse("documents:documents"),
                                           {"year": "soon", "distribution": "secret"})
    assert response.status_code == 200
    assert len(response.context["documents"]) == 4
    assert "Some filters were not understood" in response.content.decode()


def test_the_list_is_paginated(cast: Cast) -> None:
    for number in range(1, 28):
        register_document(cast.alice, symbol=f"PC.DEL/{number}/25", title=f"Note {number}",
                          date=datetime.date(2025, 1, 1), originator="Austria",
                          original_language="en", classification=Classification.PUBLIC)
    client = Client()

    first = client.get(reverse("documents:documents"))
    second = client.get(reverse("documents:documents"), {"page": "2"})

    assert len(first.context["documents"]) == 25
    assert len(second.context["documents"]) == 2
    assert "page=2" in first.content.decode()


def test_exercise_data_is_tagged_and_raises_the_banner(cast: Cast) -> None:
    register_document(cast.alice, symbol="PC.DEL/9901/26", title="Exercise statement",
                      date=datetime.date(2026, 3, 1), originator="Exercise North",
                      original_language="en", classification=Classification.PUBLIC,
                      is_exercise=True)

    response = Client().get(reverse("documents:documents"))

    assert response.context["shows_exercise_data"] is True
    assert 'class="tag exercise"' in response.content.decode()
    assert "EXERCISE DATA" in response.content.decode()


def test_the_csv_export_has_the_filtered_visible_rows_and_an_exercise_column(
    cast: Cast, library: Library
) -> None:
    response = cast.client(cast.bob).get(reverse("documents:documents"),
                                         {"format": "csv", "q": "ceasefire"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert [(r["symbol"], r["distribution"], r["exercise"]) for r in rows] in (
        [("PC.DEL/1/26", "public", "no"), ("PC.DEL/2/26", "restricted", "no")],
        [("PC.DEL/2/26", "restricted", "no"), ("PC.DEL/1/26", "public", "no")],
    )
    assert rows[0]["languages"] == "en"


def test_the_csv_export_defuses_cells_that_look_like_formulas(cast: Cast) -> None:
    register_document(cast.alice, symbol="PC.DEL/30/26", title="=HYPERLINK(\"http://x\")",
                      date=datetime.date(2026, 3, 1), originator="@Austria",
                      original_language="en", classification=Classification.PUBLIC)

    [row] = _csv_rows(Client().get(reverse("documents:documents"), {"format": "csv"}))

    assert row["title"] == "'=HYPERLINK(\"http://x\")"
    assert row["originator"] == "'@Austria"


# Detail and download


def test_the_detail_page_shows_metadata_versions_and_their_digests(
    cast: Cast, library: Library
) -> None:
    file = library.shared.files.get()

    response = cast.client(cast.carol).get(reverse("documents:document", args=[library.shared.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "PC.DEL/4/26" in html and "Confidential assessment for the CPC" in html
    assert file.sha256 in html
    assert reverse("documents:document_download", args=[library.shared.pk, "en"]) in html
    assert "Conflict Prevention Centre" in html  # shared with
    assert reverse("documents:document_edit", args=[library.shared.pk]) not in html


def test_the_owner_sees_the_edit_link(cast: Cast, library: Library) -> None:
    response = cast.client(cast.alice).get(reverse("documents:document", args=[library.shared.pk]))
    assert reverse("documents:document_edit", args=[library.shared.pk]) in response.content.decode()


def test_a_download_streams_the_file_as_an_attachment(cast: Cast, library: Library) -> None:
    stored = library.restricted.files.get()

    response = cast.client(cast.bob).get(
        reverse("documents:document_download", args=[library.restricted.pk, "en"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="document.txt"'
    assert response["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(_body(response)).hexdigest() == stored.sha256


def test_a_language_without_a_version_is_not_found(cast: Cast, library: Library) -> None:
    response = Client().get(reverse("documents:document_download", args=[library.public.pk, "fr"]))
    assert response.status_code == 404


# Registering


def test_an_editor_registers_a_document_through_the_form(cast: Cast) -> None:
    client = cast.client(cast.alice)
    upload = SimpleUploadedFile("statement.txt", b"We welcome the ceasefire.",
                                content_type="text/plain")

    response = client.post(reverse("documents:document_register"), _form(file=upload))

    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:document", args=[document.pk])
    assert document.symbol == "PC.DEL/20/26"
    assert document.owner_affiliation == cast.austria
    assert document.files.get().filename == "statement.txt"
    assert AuditEntry.objects.filter(action="create", actor=cast.alice).count() == 1


def test_the_register_form_offers_only_official_languages_and_the_three_levels(
    cast: Cast
) -> None:
    response = cast.client(cast.alice).get(reverse("documents:document_register"))

    form = response.context["form"]
    assert response.status_code == 200
    assert [code for code, _ in form.fields["original_language"].choices] == [
        "en", "fr", "de", "it", "ru", "es"]
    assert [v for v, _ in form.fields["classification"].choices] == [
        "public", "restricted", "confidential"]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"symbol": "not a symbol"}, "symbol"),
    ({"title": ""}, "title"),
    ({"date": "2999-01-01"}, "date"),
    ({"classification": "top-secret"}, "classification"),
    ({"original_language": "pt"}, "original_language"),
])
def test_bad_input_is_shown_on_the_form_and_nothing_is_stored(
    overrides: dict[str, str], field: str, cast: Cast, media_root: Path
) -> None:
    upload = SimpleUploadedFile("statement.txt", b"Text.", content_type="text/plain")

    response = cast.client(cast.alice).post(reverse("documents:document_register"),
                                            _form(file=upload, **overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert (Document.objects.count(), DocumentFile.objects.count()) == (0, 0)
    assert stored_files(media_root) == []


def test_sharing_a_restricted_document_is_refused_on_the_form(cast: Cast) -> None:
    response = cast.client(cast.alice).post(
        reverse("documents:document_register"), _form(shared_with=[cast.cpc.pk]))

    assert "shared_with" in response.context["form"].errors
    assert Document.objects.count() == 0


def test_a_taken_symbol_is_refused_on_the_form(cast: Cast, library: Library) -> None:
    response = cast.client(cast.alice).post(reverse("documents:document_register"),
                                            _form(symbol="PC.DEL/3/26"))

    assert "already registered" in str(response.context["form"].errors["symbol"])
    assert Document.objects.count() == 4


def test_a_file_over_the_limit_is_refused_on_the_form(cast: Cast, settings: Any) -> None:
    settings.DOCUMENT_MAX_BYTES = 4
    upload = SimpleUploadedFile("statement.txt", b"Too long.", content_type="text/plain")

    response = cast.client(cast.alice).post(reverse("documents:document_register"),
                                            _form(file=upload))

    assert "file" in response.context["form"].errors
    assert Document.objects.count() == 0


def test_the_register_page_asks_anonymous_visitors_to_sign_in() -> None:
    response = Client().get(reverse("documents:document_register"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize("who", ["carol", "nick"])
def test_the_register_page_is_forbidden_to_those_who_are_not_editors(who: str, cast: Cast
                                                                     ) -> None:
    client = cast.client(getattr(cast, who))
    assert client.get(reverse("documents:document_register")).status_code == 403
    assert client.post(reverse("documents:document_register"), _form()).status_code == 403
    assert Document.objects.count() == 0


# Editing


def test_the_owner_edits_a_document(cast: Cast, library: Library) -> None:
    url = reverse("documents:document_edit", args=[library.confidential.pk])

    response = cast.client(cast.alice).post(url, _form(
        symbol="PC.DEL/3/26", title="Confidential instructions, corrected",
        date="2026-01-03", classification="confidential", shared_with=[cast.finland.pk]))

    assert response.status_code == 302
    library.confidential.refresh_from_db()
    assert library.confidential.title == "Confidential instructions, corrected"
    assert list(library.confidential.shared_with.all()) == [cast.finland]
    assert AuditEntry.objects.filter(action="update",
                                     object_id=str(library.confidential.pk)).count() == 1


def test_the_edit_form_starts_from_the_stored_values(cast: Cast, library: Library) -> None:
    response = cast.client(cast.alice).get(
        reverse("documents:document_edit", args=[library.shared.pk]))

    form = response.context["form"]
    assert form["symbol"].value() == "PC.DEL/4/26"
    assert [a.pk for a in form["shared_with"].initial] == [cast.cpc.pk]


def test_a_bad_edit_is_shown_on_the_form_and_changes_nothing(cast: Cast, library: Library) -> None:
    url = reverse("documents:document_edit", args=[library.public.pk])

    response = cast.client(cast.alice).post(url, _form(symbol="PC.DEL/2/26", date="2026-01-01",
                                                       classification="public"))

    assert response.status_code == 200
    assert "symbol" in response.context["form"].errors
    library.public.refresh_from_db()
    assert library.public.symbol == "PC.DEL/1/26"


def test_the_owner_adds_a_language_version_on_the_edit_page(cast: Cast, library: Library) -> None:
    url = reverse("documents:document_edit", args=[library.public.pk])
    upload = SimpleUploadedFile("ru.txt", "Прекращение огня соблюдается.".encode(),
                                content_type="text/plain")

    response = cast.client(cast.alice).post(url, {"add_version": "1", "language": "ru",
                                                  "file": upload})

    assert response.status_code == 302
    assert library.public.languages == ["en", "ru"]


def test_a_language_that_has_a_version_is_not_offered_again(cast: Cast, library: Library) -> None:
    url = reverse("documents:document_edit", args=[library.public.pk])

    response = cast.client(cast.alice).post(url, {"add_version": "1", "language": "en",
                                                  "file": text_file("again")})

    assert response.status_code == 200
    assert "language" in response.context["version_form"].errors
    assert library.public.files.count() == 1


@pytest.mark.parametrize("who", ["bob", "carol", "dora"])
def test_those_who_see_a_document_but_may_not_change_it_are_forbidden(
    who: str, cast: Cast, library: Library
) -> None:
    client = cast.client(getattr(cast, who))
    url = reverse("documents:document_edit", args=[library.public.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, _form(title="Taken over")).status_code == 403
    library.public.refresh_from_db()
    assert library.public.title == "Statement on the public ceasefire report"


def test_anonymous_visitors_are_asked_to_sign_in_to_edit_a_public_document(
    library: Library
) -> None:
    response = Client().get(reverse("documents:document_edit", args=[library.public.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


# API tokens and the audit page


def test_a_user_issues_a_token_and_sees_its_key_once(cast: Cast) -> None:
    client = cast.client(cast.nick)

    issued = client.post(reverse("core:tokens"), {"issue": "1", "name": "briefing script"})
    again = client.get(reverse("core:tokens"))

    key = issued.context["new_key"]
    token = cast.nick.api_tokens.get()
    assert key.startswith("hfb_") and key in issued.content.decode()
    assert token.name == "briefing script"
    assert token.key_digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in again.content.decode()
    assert "briefing script" in again.content.decode()
    assert "no-cache" in issued["Cache-Control"] or "no-store" in issued["Cache-Control"]


def test_a_token_needs_a_name(cast: Cast) -> None:
    response = cast.client(cast.nick).post(reverse("core:tokens"), {"issue": "1", "name": "  "})
    assert "name" in response.context["form"].errors
    assert cast.nick.api_tokens.count() == 0


def test_a_user_revokes_their_own_token_but_no_one_else_s(cast: Cast) -> None:
    from hofburg.core.services.users import issue_api_token

    mine, _key = issue_api_token(cast.bob, "mine")
    alices, _key = issue_api_token(cast.alice, "alice's")
    client = cast.client(cast.bob)

    assert client.post(reverse("core:tokens"), {"revoke": "1", "token": alices.pk}
                       ).status_code == 404
    assert client.post(reverse("core:tokens"), {"revoke": "1", "token": mine.pk}
                       ).status_code == 302
    mine.refresh_from_db()
    alices.refresh_from_db()
    assert mine.revoked_at is not None
    assert alices.revoked_at is None


def test_the_tokens_page_asks_anonymous_visitors_to_sign_in() -> None:
    response = Client().get(reverse("core:tokens"))
    assert response.status_code == 302


def test_administrators_read_who_changed_what(cast: Cast, library: Library) -> None:
    client = cast.client(cast.alice)
    client.post(reverse("documents:document_edit", args=[library.public.pk]), _form(
        symbol="PC.DEL/1/26", title="Statement, corrected", date="2026-01-01",
        classification="public"))

    response = cast.client(cast.dora).get(reverse("core:audit"), {"type": "documents.Document"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "alice" in html
    assert "Statement on the public ceasefire report" in html and "Statement, corrected" in html
    assert {e.model_label for e in response.context["entries"]} == {"documents.Document"}


def test_the_audit_page_filters_by_record_type(cast: Cast, library: Library) -> None:
    from hofburg.core.services.users import issue_api_token

    issue_api_token(cast.bob, "script")

    response = cast.client(cast.dora).get(reverse("core:audit"), {"type": "core.ApiToken"})

    assert [e.model_label for e in response.context["entries"]] == ["core.ApiToken"]


def test_the_audit_page_is_paginated(cast: Cast) -> None:
    from hofburg.core.services.users import issue_api_token

    for number in range(55):
        issue_api_token(cast.bob, f"script {number}")

    response = cast.client(cast.dora).get(reverse("core:audit"), {"page": "2"})

    assert len(response.context["entries"]) == 5


@pytest.mark.parametrize("who", ["anonymous", "nick", "alice", "carol"])
def test_the_audit_page_does_not_exist_for_anyone_but_administrators(who: str, cast: Cast
                                                                     ) -> None:
    client = Client() if who == "anonymous" else cast.client(getattr(cast, who))
    assert client.get(reverse("core:audit")).status_code == 404
