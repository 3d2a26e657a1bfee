"""The journal of the day as a page, a PDF and the command's text."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from hofburg.cli import app
from hofburg.core.models import Classification
from hofburg.decisions.models import Meeting
from hofburg.decisions.services.meetings import add_agenda_item, create_meeting
from tests.conftest import Cast
from tests.decisions.samples_meetings import (
    MEETING_DAY,
    Chairs,
    add_decision,
    add_statement,
    attach,
    make_chairs,
    place_under_silence,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(cast: Cast) -> Meeting:
    chairs: Chairs = make_chairs(cast)
    meeting = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY,
                             chairperson="Ambassador A. Example")
    item = add_agenda_item(chairs.secretary, meeting, "Review of current issues")
    add_statement(meeting, item, cast.austria, speaker="Austria-European Union",
                  alignment_note="with the candidate countries in alignment",
                  symbol="PC.DEL/10/26")
    add_statement(meeting, item, cast.finland, speaker="Hiddenland",
                  classification=Classification.RESTRICTED)
    decision = add_decision(meeting, number=1041, title="Decision on the 2013 Chairmanship",
                            text="The Permanent Council decides ...")
    attach(decision, cast.finland, number=1, text="Finland reads the decision as ...")
    add_decision(meeting, number=1042, title="Decision on a restricted matter",
                 text="Restricted text", classification=Classification.RESTRICTED)
    place_under_silence(meeting, number=8, title="Draft decision on the scale",
                        interim="Interim text of the scale")
    return meeting


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_page_shows_the_journal_as_recorded(cast: Cast, meeting: Meeting) -> None:
    response = cast.client(None).get("/decisions/journals/PC.JOUR/1/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Journal No. 1" in page and "Original: ENGLISH" in page
    assert "Austria-European Union (with the candidate countries in alignment) (PC.DEL/10/26)" \
        in page
    assert ("The Permanent Council adopted Decision No. 1041 (PC.DEC/1041) on the 2013 "
            "Chairmanship, the text of which is appended to this journal.") in page
    assert "Finland (interpretative statement, see attachment 1 to the decision)" in page
    assert "Interim text of the scale" in page and "(interim text attached)" in page
    assert "10:00 CET" in page
    assert "Hiddenland" not in page and "PC.DEC/1042" not in page
    assert "Restricted text" not in page
    assert "Hiddenland" in cast.client(cast.bob).get("/decisions/journals/PC.JOUR/1/")\
        .content.decode()


def test_a_hidden_or_unknown_journal_is_the_same_404(cast: Cast, meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(classification=Classification.RESTRICTED)
    client = cast.client(None)
    for symbol in ("PC.JOUR/1", "PC.JOUR/2"):
        assert client.get(f"/decisions/journals/{symbol}/").status_code == 404
        assert client.get(f"/decisions/journals/{symbol}.pdf").status_code == 404
    assert cast.client(cast.bob).get("/decisions/journals/PC.JOUR/1/").status_code == 200


def test_the_pdf_is_a_real_pdf_with_the_symbol_and_the_speakers(cast: Cast,
                                                               meeting: Meeting) -> None:
    response = cast.client(None).get("/decisions/journals/PC.JOUR/1.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="PC-JOUR-1.pdf"' in response["Content-Disposition"]
    text = _pdf_text(response.content)
    assert "PC.JOUR/1" in text
    assert "Austria-European Union" in text
    assert "Original: ENGLISH" in text
    assert "CET" in text  # the time it was generated, with its zone
    assert "Hiddenland" not in text and "Restricted text" not in text
    entitled = _pdf_text(cast.client(cast.bob).get("/decisions/journals/PC.JOUR/1.pdf").content)
    assert "Hiddenland" in entitled


def test_an_exercise_journal_says_so_in_the_pdf(cast: Cast) -> None:
    chairs = make_chairs(cast)
    create_meeting(chairs.exercise_secretary, body="FSC", date=date(2026, 5, 6))
    text = _pdf_text(cast.client(None).get("/decisions/journals/FSC.JOUR/1.pdf").content)
    assert "EXERCISE" in text


def test_the_command_prints_the_journal_as_the_public_sees_it(cast: Cast,
                                                              meeting: Meeting) -> None:
    result = CliRunner().invoke(app, ["decisions", "journal", "PC.JOUR/1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("PC.JOUR/1\n12 March 2026\nOriginal: ENGLISH\n")
    assert "Austria-European Union (with the candidate countries in alignment)" in result.stdout
    assert "Finland (interpretative statement, see attachment 1 to the decision)" \
        in result.stdout
    assert "Hiddenland" not in result.stdout and "PC.DEC/1042" not in result.stdout
    as_bob = CliRunner().invoke(app, ["decisions", "journal", "PC.JOUR/1", "--as-user", "bob"])
    assert "Hiddenland" in as_bob.stdout and "PC.DEC/1042" in as_bob.stdout


def test_the_command_writes_the_pdf(cast: Cast, meeting: Meeting, tmp_path: Path) -> None:
    target = tmp_path / "journal.pdf"
    result = CliRunner().invoke(app, ["decisions", "journal", "PC.JOUR/1", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = _pdf_text(target.read_bytes())
    assert "PC.JOUR/1" in text and "Austria-European Union" in text
    assert "Hiddenland" not in text


def test_an_unknown_or_hidden_journal_is_one_line_on_stderr(cast: Cast,
                                                            meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(classification=Classification.RESTRICTED)
    for symbol in ("PC.JOUR/1", "PC.JOUR/99"):
        result = CliRunner().invoke(app, ["decisions", "journal", symbol])
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr == f"hofburg: no journal {symbol!r}\n"
    unknown = CliRunner().invoke(app, ["decisions", "journal", "PC.JOUR/1", "--as-user", "zed"])
    assert unknown.exit_code == 1 and unknown.stderr.count("\n") == 1
    assert CliRunner().invoke(app, ["decisions", "journal", "PC.JOUR/1", "--as-user",
                                    "bob"]).exit_code == 0


def test_the_sequence_command_continues_a_real_sequence(cast: Cast) -> None:
    chairs = make_chairs(cast)
    result = CliRunner().invoke(app, ["decisions", "sequence", "set", "PC", "JOUR", "1501"])
    assert result.exit_code == 0, result.output
    assert create_meeting(chairs.secretary, body="PC", date=MEETING_DAY).journal_symbol == \
        "PC.JOUR/1501"
    per_year = CliRunner().invoke(app, ["decisions", "sequence", "set", "PC", "DD", "9",
                                        "--year", "26"])
    assert per_year.exit_code == 0, per_year.output
    missing = CliRunner().invoke(app, ["decisions", "sequence", "set", "PC", "DD", "9"])
    assert missing.exit_code == 2 and missing.stderr.startswith("hofburg: year:")
    bad = CliRunner().invoke(app, ["decisions", "sequence", "set", "PC", "XYZ", "9"])
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1
