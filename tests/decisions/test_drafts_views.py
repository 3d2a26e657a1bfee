"""The drafts pages: the status table, a draft, its texts and diffs, and the forms acting on it,
as the anonymous visitor, a delegation's reader, the Chair (a Secretariat editor), a
participating State's delegation editor and a Partner's delegation editor see them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from hofburg.core.models import Affiliation, Classification, Role, User
from hofburg.decisions.models import Amendment, Attachment, Draft, Meeting, Objection, Revision
from hofburg.decisions.services.drafts import DraftInput, table_draft
from tests.conftest import Cast
from tests.registry.factories import create_osce

pytestmark = pytest.mark.django_db

# A Thursday in March 2026, before summer time starts in Vienna (29 March): 11:00 CET.
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)


@dataclass
class People:
    chair: User
    delegate: User
    reader: User
    partner: User
    exercise_chair: User
    cpc: Affiliation

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def people(cast: Cast, time_machine: TimeMachineFixture) -> People:
    time_machine.move_to(NOW, tick=False)
    create_osce()
    japan = Affiliation.objects.create(code="delegation-jp", name="Delegation of Japan",
                                       kind=Affiliation.Kind.DELEGATION, state_iso2="JP")
    exercise_secretariat = Affiliation.objects.create(
        code="exercise-secretariat", name="Exercise Secretariat",
        kind=Affiliation.Kind.SECRETARIAT_UNIT, is_exercise=True)
    return People(
        chair=User.objects.create_user("sam", affiliation=cast.cpc,
                                       roles=[Role.READER, Role.EDITOR]),
        delegate=cast.alice,
        reader=User.objects.create_user("rita", affiliation=cast.austria, roles=[Role.READER]),
        partner=User.objects.create_user("jun", affiliation=japan,
                                         roles=[Role.READER, Role.EDITOR]),
        exercise_chair=User.objects.create_user("exa", affiliation=exercise_secretariat,
                                                roles=[Role.READER, Role.EDITOR]),
        cpc=cast.cpc,
    )


def _meeting(owner: Affiliation, number: int, starts_at: datetime, *, body: str = "PC",
             issued: bool = False) -> Meeting:
    return Meeting.objects.create(
        body=body, number=number, date=starts_at.date(), starts_at=starts_at,
        journal_symbol=f"{body}.JOUR/{number}", classification=Classification.RESTRICTED,
        owner_affiliation=owner, journal_issued_at=starts_at + timedelta(days=1) if issued
        else None)


def _table(user: User, *, title: str = "Draft decision on the dates of the 2026 HDIM",
           text: str = "The Permanent Council decides to hold the meeting in October.",
           body: str = "PC", classification: str = "restricted",
           only_original: bool = False) -> Draft:
    return table_draft(user, DraftInput(body=body, title=title, text=text, language="en",
                                        classification=classification,
                                        only_original=only_original))


def _page(client: Client, name: str, *args: object, **query: str) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _field_paragraph(html: str, field: str) -> str:
    """The `<p>` of the form field `field`: where its errors are shown."""
    pattern = r'<p>(?:(?!</p>).)*id="id_' + field + r'"(?:(?!</p>).)*</p>'
    match = re.search(pattern, html, re.S)
    assert match, f"no field {field}"
    return match.group(0)


def _action(pk: int, action: str) -> str:
    return reverse("decisions:draft_action", args=[pk, action])


# -- the status table --------------------------------------------------------------------------


def test_the_status_table_shows_each_viewer_what_they_may_see(people: People) -> None:
    public = _table(people.chair, title="Public draft", classification="public")
    restricted = _table(people.chair, title="Restricted draft")
    exercise = _table(people.exercise_chair, title="Exercise draft")

    anonymous = _page(people.client(None), "decisions:status_table")
    assert public.symbol in anonymous and "Restricted draft" not in anonymous
    assert "Exercise draft" not in anonymous
    assert reverse("decisions:draft_new") not in anonymous
    assert '<th scope="col">' in anonymous and 'tabindex="0"' in anonymous

    reader = _page(people.client(people.reader), "decisions:status_table")
    assert "Restricted draft" in reader and "Exercise draft" in reader
    assert reverse("decisions:draft", args=[restricted.pk]) in reader
    assert reverse("decisions:draft_new") not in reader
    row = re.search(r"<tr>(?:(?!</tr>).)*Exercise draft(?:(?!</tr>).)*</tr>", reader, re.S)
    assert row and 'class="tag exercise"' in row.group(0)
    assert exercise.is_exercise

    chair = _page(people.client(people.chair), "decisions:status_table")
    assert reverse("decisions:draft_new") in chair


def test_the_status_table_filters_by_body_and_status(people: People) -> None:
    _table(people.chair, title="A PC draft")
    _table(people.chair, title="An FSC draft", body="FSC")
    client = people.client(people.reader)

    only_fsc = _page(client, "decisions:status_table", body="FSC")
    assert "An FSC draft" in only_fsc and "A PC draft" not in only_fsc
    assert "No draft matches" in _page(client, "decisions:status_table", status="adopted")
    drafts = _page(client, "decisions:status_table", status="draft")
    assert "A PC draft" in drafts and "An FSC draft" in drafts


def test_the_site_navigation_links_to_the_desk(people: People) -> None:
    home = _page(people.client(None), "decisions:status_table")
    assert f'href="{reverse("decisions:status_table")}">Decisions</a>' in home


# -- one draft ---------------------------------------------------------------------------------


def test_a_hidden_draft_is_a_404_like_a_missing_one(people: People) -> None:
    restricted = _table(people.chair)
    confidential = _table(people.chair, classification="confidential")
    anonymous, reader = people.client(None), people.client(people.reader)
    assert anonymous.get(reverse("decisions:draft", args=[restricted.pk])).status_code == 404
    for route in ("decisions:draft", "decisions:draft_text", "decisions:draft_diff"):
        assert reader.get(reverse(route, args=[confidential.pk])).status_code == 404
    assert reader.get(_action(confidential.pk, "amend")).status_code == 404
    assert reader.get(reverse("decisions:draft", args=[999_999])).status_code == 404
    assert people.client(people.chair).get(
        reverse("decisions:draft", args=[confidential.pk])).status_code == 200


def test_each_viewer_is_offered_only_the_actions_they_may_take(people: People) -> None:
    draft = _table(people.chair)
    chair = _page(people.client(people.chair), "decisions:draft", draft.pk)
    for action in ("revise", "adopt", "silence", "translate"):
        assert _action(draft.pk, action) in chair
    for action in ("amend", "object", "attach", "announce"):
        assert _action(draft.pk, action) not in chair

    delegate = _page(people.client(people.delegate), "decisions:draft", draft.pk)
    assert _action(draft.pk, "amend") in delegate
    for action in ("revise", "adopt", "silence", "translate", "object", "attach"):
        assert _action(draft.pk, action) not in delegate

    for user in (people.reader, people.partner):
        html = _page(people.client(user), "decisions:draft", draft.pk)
        assert draft.title in html
        assert not re.search(rf"/drafts/{draft.pk}/(revise|amend|adopt|silence|object|attach)",
                             html)


def test_the_draft_page_names_each_revisions_languages(people: People) -> None:
    draft = _table(people.chair)
    only = _table(people.chair, title="An English only draft", only_original=True)
    html = _page(people.client(people.reader), "decisions:draft", draft.pk)
    assert "Original: ENGLISH" in html and draft.symbol in html
    assert "Draft under negotiation" in html
    assert "ENGLISH only" in _page(people.client(people.reader), "decisions:draft", only.pk)


def test_a_real_record_shows_its_source_and_confidence(people: People) -> None:
    draft = _table(people.chair, classification="public")
    Draft.objects.filter(pk=draft.pk).update(source="PC.JOUR/1200, agenda item 2",
                                             confidence="unconfirmed")
    html = _page(people.client(None), "decisions:draft", draft.pk)
    assert "PC.JOUR/1200, agenda item 2" in html and "UNCONFIRMED" in html


# -- forms: who may use them, and refusals -----------------------------------------------------


def test_only_a_chair_is_offered_the_form_to_table_a_draft(people: People) -> None:
    new = reverse("decisions:draft_new")
    response = people.client(people.chair).get(new)
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("body", "title", "language", "text", "venue", "classification"):
        assert f'<label for="id_{field}">' in html
    assert "csrfmiddlewaretoken" in html
    assert people.client(people.delegate).get(new).status_code == 403
    assert people.client(people.partner).get(new).status_code == 403
    assert people.client(None).get(new).status_code == 302


def test_the_chair_tables_a_draft_and_a_delegate_is_refused(people: People) -> None:
    data = {"body": "PC", "kind": "decision", "title": "On the agenda of the HDIM",
            "language": "en", "text": "The Permanent Council decides.", "venue": "plenary",
            "classification": "restricted"}
    refused = people.client(people.delegate).post(reverse("decisions:draft_new"), data)
    assert refused.status_code == 403
    assert not Draft.objects.exists()

    response = people.client(people.chair).post(reverse("decisions:draft_new"), data)
    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("decisions:draft", args=[draft.pk])
    assert draft.symbol == "PC.DD/1/26" and draft.revisions.get().texts == {
        "en": "The Permanent Council decides."}


def test_a_refusal_is_shown_next_to_its_field_and_changes_nothing(people: People) -> None:
    draft = _table(people.chair)
    meeting = _meeting(people.cpc, 1400, NOW - timedelta(hours=1))
    # 10:30 Vienna time is 09:30 UTC: before the meeting opened, and already past.
    response = people.client(people.chair).post(_action(draft.pk, "silence"), {
        "meeting": meeting.pk, "expires_at": "2026-03-05T10:30"})
    assert response.status_code == 200
    paragraph = _field_paragraph(response.content.decode(), "expires_at")
    assert 'class="errors"' in paragraph and "expire" in paragraph
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.silence_expires_at is None


def test_posting_without_the_right_is_refused_and_changes_nothing(people: People) -> None:
    draft = _table(people.chair)
    assert people.client(people.partner).post(
        _action(draft.pk, "amend"), {"text": "Add a paragraph."}).status_code == 403
    assert people.client(people.reader).post(
        _action(draft.pk, "amend"), {"text": "Add a paragraph."}).status_code == 403
    assert people.client(people.delegate).post(
        _action(draft.pk, "adopt"), {"meeting": _meeting(people.cpc, 1400, NOW).pk,
                                     "basis": "consensus"}).status_code == 403
    assert not Amendment.objects.exists()
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.decision_symbol


def test_a_form_page_is_refused_to_whoever_may_not_use_it(people: People) -> None:
    draft = _table(people.chair, classification="public")
    assert people.client(people.delegate).get(_action(draft.pk, "revise")).status_code == 403
    assert people.client(people.partner).get(_action(draft.pk, "amend")).status_code == 403
    assert people.client(people.chair).get(_action(draft.pk, "object")).status_code == 403
    assert people.client(None).get(_action(draft.pk, "amend")).status_code == 302
    assert people.client(people.chair).get(_action(draft.pk, "nonsense")).status_code == 404


# -- revisions, amendments, language versions, diffs -------------------------------------------


def test_a_revision_takes_an_amendment_and_the_diff_marks_the_changes(people: People) -> None:
    draft = _table(people.chair)
    delegate = people.client(people.delegate)
    response = delegate.post(_action(draft.pk, "amend"), {"text": "Hold it in November."})
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert amendment.delegation.code == "delegation-at"

    chair = people.client(people.chair)
    form = chair.get(_action(draft.pk, "revise")).content.decode()
    assert f'value="{amendment.pk}"' in form and "Hold it in November." in form
    response = chair.post(_action(draft.pk, "revise"), {
        "text": "The Permanent Council decides to hold the meeting in November.",
        "note": "Austria's amendment", "taken": [str(amendment.pk)]})
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.outcome == "taken" and amendment.taken_in is not None
    assert amendment.taken_in.symbol == f"{draft.symbol}/Rev.1"

    page = _page(people.client(people.reader), "decisions:draft", draft.pk)
    assert f"{draft.symbol}/Rev.1" in page and "Austria" in page
    assert "<del>" in page and "<ins>" in page
    fragment = _page(people.client(people.reader), "decisions:draft_diff", draft.pk,
                     a="0", b="1", diff_language="en")
    assert re.search(r"<del>.*October</del>", fragment)
    assert re.search(r"<ins>.*November</ins>", fragment)
    assert "<html" not in fragment
    backwards = _page(people.client(people.reader), "decisions:draft_diff", draft.pk,
                      a="1", b="0", diff_language="en")
    assert re.search(r"<ins>.*October</ins>", backwards)


def test_the_text_of_any_revision_in_any_language_it_has(people: People) -> None:
    draft = _table(people.chair)
    chair = people.client(people.chair)
    form = chair.get(_action(draft.pk, "translate") + "?revision=0").content.decode()
    assert '<option value="fr">' in form and '<option value="en">' not in form
    response = chair.post(_action(draft.pk, "translate") + "?revision=0", {
        "language": "fr", "text": "Le Conseil permanent décide."})
    assert response.status_code == 302
    assert Revision.objects.get(draft=draft).texts["fr"] == "Le Conseil permanent décide."

    reader = people.client(people.reader)
    assert "Original: ENGLISH, FRENCH" in _page(reader, "decisions:draft", draft.pk)
    french = _page(reader, "decisions:draft_text", draft.pk, revision="0", language="fr")
    assert "Le Conseil permanent décide." in french and 'lang="fr"' in french
    # Without script, the same choice reloads the whole page.
    whole = _page(reader, "decisions:draft", draft.pk, revision="0", language="fr")
    assert "Le Conseil permanent décide." in whole
    missing = _page(reader, "decisions:draft_text", draft.pk, revision="0", language="ru")
    assert "its original is shown" in missing and "The Permanent Council decides" in missing


def test_a_diff_in_a_language_one_revision_lacks_says_so_by_the_field(people: People) -> None:
    draft = _table(people.chair)
    people.client(people.chair).post(_action(draft.pk, "revise"), {"text": "Another text."})
    fragment = _page(people.client(people.reader), "decisions:draft_diff", draft.pk,
                     a="0", b="1", diff_language="fr")
    assert 'id="diff-language-error"' in fragment and "no French version" in fragment
    assert "<ins>" not in fragment


# -- silence, adoption, announcement, statements -----------------------------------------------


def test_silence_is_shown_in_vienna_time_with_its_zone_and_meeting(people: People) -> None:
    draft = _table(people.chair)
    meeting = _meeting(people.cpc, 1400, NOW - timedelta(hours=1))
    chair = people.client(people.chair)
    form = chair.get(_action(draft.pk, "silence")).content.decode()
    assert "PC.JOUR/1400" in form and "5 March 2026, 11:00 CET" in form
    response = chair.post(_action(draft.pk, "silence"), {
        "meeting": meeting.pk, "expires_at": "2026-04-02T12:00"})
    assert response.status_code == 302
    draft.refresh_from_db()
    # 2 April is in summer time: 12:00 CEST is 10:00 UTC.
    assert draft.silence_expires_at == datetime(2026, 4, 2, 10, 0, tzinfo=UTC)
    page = _page(people.client(people.reader), "decisions:draft", draft.pk)
    assert "2 April 2026, 12:00 CEST" in page and "PC.JOUR/1400" in page
    assert "Under silence until" in page


def test_a_participating_state_breaks_silence_and_a_partner_may_not(people: People) -> None:
    draft = _table(people.chair)
    meeting = _meeting(people.cpc, 1400, NOW - timedelta(hours=1))
    people.client(people.chair).post(_action(draft.pk, "silence"), {
        "meeting": meeting.pk, "expires_at": "2026-03-12T12:00"})
    partner = people.client(people.partner)
    assert _action(draft.pk, "object") not in _page(partner, "decisions:draft", draft.pk)
    assert partner.post(_action(draft.pk, "object"), {
        "kind": "objection", "text": "We object."}).status_code == 403
    assert not Objection.objects.exists()

    delegate = people.client(people.delegate)
    assert _action(draft.pk, "object") in _page(delegate, "decisions:draft", draft.pk)
    response = delegate.post(_action(draft.pk, "object"), {
        "kind": "amendment", "text": "Replace October by November."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "silence_broken"
    page = _page(people.client(people.reader), "decisions:draft", draft.pk)
    assert "Silence broken" in page and "Replace October by November." in page


def test_an_expired_silence_reads_adopted_until_announced_and_numbered(
        people: People, time_machine: TimeMachineFixture) -> None:
    draft = _table(people.chair)
    placing = _meeting(people.cpc, 1400, NOW - timedelta(hours=1))
    chair = people.client(people.chair)
    chair.post(_action(draft.pk, "silence"), {"meeting": placing.pk,
                                             "expires_at": "2026-03-10T12:00"})
    time_machine.move_to(datetime(2026, 3, 12, 10, 0, tzinfo=UTC), tick=False)
    chair = people.client(people.chair)  # a session of a week ago has expired
    page = _page(people.client(people.reader), "decisions:draft", draft.pk)
    assert "Adopted by silence procedure" in page and "to be numbered when announced" in page
    assert "10 March 2026, 12:00 CET" in page

    announcing = _meeting(people.cpc, 1401, datetime(2026, 3, 12, 9, 0, tzinfo=UTC))
    assert _action(draft.pk, "announce") in _page(chair, "decisions:draft", draft.pk)
    response = chair.post(_action(draft.pk, "announce"), {"meeting": announcing.pk})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.decision_symbol.startswith("PC.DEC/")
    page = _page(people.client(people.reader), "decisions:draft", draft.pk)
    assert draft.decision_symbol in page and "PC.JOUR/1401" in page


def test_adoption_offers_only_open_meetings_and_statements_are_numbered(people: People) -> None:
    draft = _table(people.chair)
    closed = _meeting(people.cpc, 1399, NOW - timedelta(days=7), issued=True)
    meeting = _meeting(people.cpc, 1400, NOW - timedelta(hours=1))
    fsc = _meeting(people.cpc, 900, NOW - timedelta(hours=2), body="FSC")
    chair = people.client(people.chair)
    form = chair.get(_action(draft.pk, "adopt")).content.decode()
    assert meeting.journal_symbol in form
    assert closed.journal_symbol not in form and fsc.journal_symbol not in form

    response = chair.post(_action(draft.pk, "adopt"), {"meeting": meeting.pk,
                                                       "basis": "consensus"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "adopted" and draft.decision_symbol

    delegate = people.client(people.delegate)
    assert _action(draft.pk, "attach") in _page(delegate, "decisions:draft", draft.pk)
    assert people.client(people.partner).post(_action(draft.pk, "attach"), {
        "kind": "interpretative_statement", "language": "en", "text": "We read it so."}
    ).status_code == 403
    response = delegate.post(_action(draft.pk, "attach"), {
        "kind": "interpretative_statement", "language": "en", "text": "We read it so."})
    assert response.status_code == 302
    assert Attachment.objects.get().number == 1
    page = _page(people.client(people.reader), "decisions:draft", draft.pk)
    assert "Attachment 1" in page and "We read it so." in page
    assert draft.decision_symbol in page and "PC.JOUR/1400" in page


def test_an_ambiguous_vienna_time_is_refused_by_the_field(people: People) -> None:
    draft = _table(people.chair)
    meeting = _meeting(people.cpc, 1400, NOW - timedelta(hours=1))
    # 25 October 2026, 02:30 happens twice in Vienna (summer time ends at 03:00 CEST).
    response = people.client(people.chair).post(_action(draft.pk, "silence"), {
        "meeting": meeting.pk, "expires_at": "2026-10-25T02:30"})
    paragraph = _field_paragraph(response.content.decode(), "expires_at")
    assert "occurs twice" in paragraph
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_exception_to_consensus_needs_its_note_by_the_field(people: People) -> None:
    draft = _table(people.chair)
    meeting = _meeting(people.cpc, 1400, NOW - timedelta(hours=1))
    response = people.client(people.chair).post(_action(draft.pk, "adopt"), {
        "meeting": meeting.pk, "basis": "consensus_minus_one", "note": ""})
    assert response.status_code == 200
    assert 'class="errors"' in _field_paragraph(response.content.decode(), "note")
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.decision_symbol


def test_a_draft_page_shows_how_sure_the_symbol_patterns_are() -> None:
    fsc = Draft.objects.create(body="FSC", number=1, year=2026, symbol="FSC.DD/1/26",
                               title="A draft of the Forum", classification="public")
    page = Client().get(f"/decisions/drafts/{fsc.pk}/").content.decode()
    # The reference labels the FSC's decision symbol as unconfirmed.
    assert "FSC.DEC/N/YY" in page
    assert "UNCONFIRMED" in page.split("FSC.DEC/N/YY", 1)[1][:400]
