import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid, NotFound
from hofburg.core.models import AuditEntry
from hofburg.elections.models import Form, Station, Submission
from hofburg.elections.queries import figures, form_versions, submissions_table
from hofburg.elections.services.forms import add_form
from hofburg.elections.services.missions import import_frame
from hofburg.elections.services.snapshots import freeze, frozen_content
from hofburg.elections.services.submissions import Media, receive
from tests.conftest import Cast
from tests.elections.samples import eom, submission_xml, xlsform

FRAME = """station_id,name,region,district,urban_rural,registered_voters,lon,lat
P001,School 1,North,N1,urban,1200,20.5,44.1
P002,School 2,North,N2,rural,800,20.6,44.2
P003,Hall 3,South,S1,rural,,,
"""


def test_frame_import_is_all_or_nothing_with_row_numbered_errors(cast: Cast) -> None:
    e = eom(cast)
    assert import_frame(e.manager, e.mission, FRAME) == 3
    bad = FRAME + "P004,Hall,South,S1,suburban,10,1,1\nP001,Again,South,S1,urban,x,1,1\n"
    with pytest.raises(Invalid) as refused:
        import_frame(e.manager, e.mission, bad)
    assert "row 5: urban_rural must be urban or rural" in refused.value.message
    assert "row 6: station_id P001 repeats row 2" in refused.value.message
    assert "row 6: registered_voters 'x' is not a number" in refused.value.message
    assert Station.objects.filter(mission=e.mission).count() == 3  # the old frame stands
    with pytest.raises(Invalid, match="row 1: missing column"):
        import_frame(e.manager, e.mission, "station_id,name\nP1,x\n")
    with pytest.raises(AccessDenied):
        import_frame(e.observer, e.mission, FRAME)


def test_forms_are_versioned_and_a_changed_form_needs_a_new_version(cast: Cast) -> None:
    e = eom(cast)
    again, created = add_form(e.manager, e.mission, xlsform())
    assert (again.pk, created) == (e.form.pk, False)
    changed = xlsform(extra=[["integer", "voters", "Voters so far"]])
    with pytest.raises(Conflict, match="new version"):
        add_form(e.manager, e.mission, changed)
    v2, created = add_form(e.manager, e.mission, xlsform(version="2",
                                                         extra=[["integer", "voters", "V"]]))
    assert created and v2.version == "2"
    assert 'version="2"' in v2.xform
    names = [q["name"] for q in v2.questions]
    assert names == ["station_id", "box_sealed", "overall", "voters"]
    assert v2.questions[2]["choices"] == ["very_good", "good", "bad", "very_bad", "not_observed"]
    assert [f.version for f in form_versions(e.manager, "voting")] == ["2", "1"]


def test_a_form_without_a_version_gets_one_in_its_xform(cast: Cast) -> None:
    e = eom(cast)
    form, created = add_form(e.manager, e.mission, xlsform("opening", None, title="Opening"))
    assert created and form.version.isdigit()
    assert f'version="{form.version}"' in form.xform
    same, created = add_form(e.manager, e.mission, xlsform("opening", None, title="Opening"))
    assert (same.pk, created) == (form.pk, False)


def test_bad_xlsform_gets_pyxforms_error_and_nothing_is_stored(cast: Cast) -> None:
    e = eom(cast)
    broken = xlsform("broken", extra=[["select_one nolist", "q", "Q"]])
    with pytest.raises(Invalid, match=r"Not a valid XLSForm.*nolist"):
        add_form(e.manager, e.mission, broken)
    with pytest.raises(Invalid, match="Not"):
        add_form(e.manager, e.mission, b"not a workbook")
    assert not Form.objects.filter(form_id="broken").exists()


def test_submission_is_idempotent_on_instance_id_and_keeps_provenance(cast: Cast) -> None:
    e = eom(cast)
    xml = submission_xml(instance="uuid:one")
    first, created = receive(e.observer, xml, device="collect:abc")
    assert created and first.channel == "odk" and first.device == "collect:abc"
    assert first.data["overall"] == "good" and first.station_id == "P001"
    assert first.captured_at is not None and first.received_at is not None
    photo = Media("protocol.jpg", "image/jpeg", b"\xff\xd8")
    again, created = receive(e.observer, xml, media=(photo,))
    assert (again.pk, created) == (first.pk, False)
    assert [a.name for a in again.attachments.all()] == ["protocol.jpg"]
    with pytest.raises(Conflict):
        receive(e.observer, submission_xml(instance="uuid:one", overall="bad"))
    assert Submission.objects.count() == 1


def test_who_may_submit(cast: Cast) -> None:
    e = eom(cast)
    with pytest.raises(NotFound):
        receive(cast.alice, submission_xml())  # another affiliation: the mission is hidden
    with pytest.raises(AccessDenied):
        receive(e.bystander, submission_xml())  # sees the mission, is not on it
    with pytest.raises(NotFound):
        receive(e.observer, submission_xml(version="9"))
    with pytest.raises(Invalid, match="instanceID"):
        receive(e.observer, b'<data id="voting" version="1"><overall>bad</overall></data>')
    with pytest.raises(Invalid, match="well-formed"):
        receive(e.observer, b"<data")
    assert Submission.objects.count() == 0


def test_snapshot_at_a_cutoff_is_frozen_with_its_hash_and_gives_the_figures(cast: Cast) -> None:
    e = eom(cast)
    import_frame(e.manager, e.mission, FRAME)
    for station, overall, sealed in [("P001", "bad", "yes"), ("P001", "very_bad", "no"),
                                     ("P002", "good", "na"), ("P003", "not_observed", "yes"),
                                     ("P003", "very_good", "")]:
        receive(e.observer, submission_xml(station=station, overall=overall, sealed=sealed))
    cutoff = timezone.now() - timedelta(seconds=1)
    Submission.objects.update(received_at=cutoff - timedelta(seconds=1))
    receive(e.observer, submission_xml(overall="very_bad"))  # after the cut-off
    snap = freeze(e.manager, "voting", cutoff)
    assert snap.forms == 5 and len(snap.sha256) == 64
    content, count = frozen_content(e.mission, "voting", cutoff)
    assert count == 5 and hashlib.sha256(content.encode()).hexdigest() == snap.sha256
    assert freeze(e.manager, "voting", cutoff).pk == snap.pk
    data = figures(snap, form_versions(e.manager, "voting"))
    overall = next(q for q in data["questions"] if q["question"] == "overall")
    assert overall["n"] == 4 and overall["excluded"] == 1
    assert overall["negative"] == 2 and overall["negative_pct"] == 50.0
    sealed = next(q for q in data["questions"] if q["question"] == "box_sealed")
    assert (sealed["n"], sealed["blank"], sealed["excluded"]) == (3, 1, 1)
    assert "negative_pct" not in sealed
    assert data["distinct_stations"] == 3
    north = data["breakdowns"]["region"]["North"]
    assert next(q for q in north if q["question"] == "overall")["negative_pct"] == 66.7
    assert data["breakdowns"]["hour"].keys() == {"09"}
    assert AuditEntry.objects.filter(action="freeze").count() == 1
    with pytest.raises(AccessDenied):
        freeze(e.observer, "voting", cutoff)
    with pytest.raises(NotFound):
        freeze(cast.alice, "voting", cutoff)


def test_export_table_has_one_column_per_field(cast: Cast) -> None:
    e = eom(cast)
    receive(e.observer, submission_xml(instance="uuid:x1", overall="=HYPERLINK(1)"))
    table = submissions_table(e.manager, "voting")
    # Every field the XLSForm declares, its `start` too, then who sent it, how and when.
    assert table.columns == ["start", "station_id", "box_sealed", "overall", "instance_id",
                             "submitted_by", "received_at", "channel", "device", "captured_at",
                             "version", "attachments"]
    row = dict(zip(table.columns, table.rows[0], strict=True))
    assert (row["start"], row["instance_id"], row["submitted_by"]) == (
        "2026-12-06T09:15:00.000+01:00", "uuid:x1", e.observer.username)
    assert (row["channel"], row["captured_at"]) == ("odk", "2026-12-06T08:15:00+00:00")
