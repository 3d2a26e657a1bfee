"""`hofburg elections ...`: sample, pvt, forms add, tally, export, as a user types them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from hofburg.cli import app
from hofburg.elections.models import Form, Submission
from hofburg.elections.services.submissions import receive
from tests.conftest import Cast
from tests.elections.samples import eom, submission_xml, xlsform


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["elections", *args])
    return result.exit_code, result.stdout, result.stderr


def test_sample_is_stratified_reproducible_and_written_as_csv(tmp_path: Path) -> None:
    frame = tmp_path / "frame.csv"
    lines = ["station_id,name,region,district,urban_rural,registered_voters,lon,lat"]
    for i in range(200):
        region = "North" if i < 150 else "South"
        lines.append(f"P{i:03},School {i},{region},D,{'urban' if i % 2 else 'rural'},900,,")
    frame.write_text("\n".join(lines) + "\n")
    out1, out2 = tmp_path / "s1.csv", tmp_path / "s2.csv"
    args = ["--size", "20", "--strata", "region,urban_rural", "--min-per-stratum", "3",
            "--seed", "42"]
    code, out, err = run("sample", str(frame), *args, "-o", str(out1))
    assert code == 0, err
    assert "drew 20 of 200 stations in 4 strata" in out
    assert run("sample", str(frame), *args, "-o", str(out2))[0] == 0
    assert out1.read_text() == out2.read_text()
    rows = list(csv.DictReader(io.StringIO(out1.read_text())))
    assert len(rows) == 20
    per = {h: sum(1 for r in rows if r["stratum"] == h) for h in {r["stratum"] for r in rows}}
    assert per == {"North/rural": 7, "North/urban": 7, "South/rural": 3, "South/urban": 3}


def test_sample_bad_input_is_one_line(tmp_path: Path) -> None:
    frame = tmp_path / "frame.csv"
    frame.write_text("station_id,region\nP1,North\nP1,\n")
    code, _out, err = run("sample", str(frame), "--size", "1", "-o", str(tmp_path / "x.csv"))
    assert code == 1
    assert err.strip().count("\n") == 0
    assert "row 3: station_id P1 repeats row 2" in err and "row 3: region is empty" in err
    code, _out, err = run("sample", str(tmp_path / "none.csv"), "--size", "1", "-o", "x.csv")
    assert code == 2 and "no such file" in err


def test_pvt_prints_shares_with_intervals_and_names_small_strata(tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text("station_id,stratum,registered,valid,rejected,blank,A,B\n"
                       "1,N,500,200,5,5,100,100\n2,N,500,200,5,5,150,50\n"
                       "3,S,500,200,5,5,60,140\n4,S,500,,,,,\n5,E,500,100,5,5,80,20\n")
    frame = tmp_path / "frame.csv"
    frame.write_text("stratum,stations\nN,10\nS,10\nE,5\n")
    code, out, err = run("pvt", "--sample", str(results), "--frame", str(frame), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["candidates"]["A"]["share"] == pytest.approx(0.5)
    assert data["candidates"]["A"]["ci95_low"] < 0.5 < data["candidates"]["A"]["ci95_high"]
    assert data["candidates"]["A"]["moe99"] > data["candidates"]["A"]["moe95"] > 0
    assert data["reporting_rate"] == pytest.approx(0.8)
    assert data["strata_too_small"] == ["E", "S"]
    assert data["strata"]["N"] == {"frame": 10, "sampled": 2, "reporting": 2}
    assert 0 < data["turnout"]["share"] < 1
    code, out, _err = run("pvt", "--sample", str(results), "--frame", str(frame))
    assert code == 0 and "strata with one reporting station" in out


def test_pvt_bad_rows_are_numbered(tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text("station_id,stratum,registered,valid,A,B\n1,N,500,100,80,40\n"
                       "2,N,500,x,1,1\n")
    frame = tmp_path / "frame.csv"
    frame.write_text("stratum,stations\nN,10\n")
    code, _out, err = run("pvt", "--sample", str(results), "--frame", str(frame))
    assert code == 1
    assert "row 2: the candidates' votes add up to more than valid" in err
    assert "row 3: valid 'x' is not a whole number" in err


@pytest.mark.django_db
def test_forms_add_tally_and_export(cast: Cast, tmp_path: Path) -> None:
    e = eom(cast)
    book = tmp_path / "voting2.xlsx"
    book.write_bytes(xlsform(version="2", extra=[["integer", "voters", "Voters"]]))
    code, out, err = run("forms", "add", str(book), "--mission", e.mission.code, "--json")
    assert code == 0, err
    added = json.loads(out)
    assert (added["form_id"], added["version"], added["created"]) == ("voting", "2", True)
    assert Form.objects.filter(form_id="voting").count() == 2
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(xlsform("broken", extra=[["select_one nolist", "q", "Q"]]))
    code, _out, err = run("forms", "add", str(broken), "--mission", e.mission.code)
    assert code == 1 and "Not a valid XLSForm" in err and "nolist" in err
    code, _out, err = run("forms", "add", str(book), "--mission", "NOPE")
    assert code == 2 and "no mission" in err

    for overall in ("bad", "good", "very_bad", "na"):
        receive(e.observer, submission_xml(overall=overall))
    receive(e.observer, submission_xml(version="2", overall="=1+1", sealed="no"))
    cutoff = timezone.now().isoformat()
    code, out, err = run("tally", "--form", "voting", "--cutoff", cutoff, "--json")
    assert code == 0, err
    data = json.loads(out)
    overall = next(q for q in data["questions"] if q["question"] == "overall")
    assert overall["n"] == 4 and overall["negative_pct"] == 50.0
    assert overall["counts"]["bad"] == 1 and overall["percentages"]["bad"] == 25.0
    again = json.loads(run("tally", "--form", "voting", "--cutoff", cutoff, "--json")[1])
    assert again["snapshot_sha256"] == data["snapshot_sha256"]
    code, _out, err = run("tally", "--form", "voting", "--cutoff", "2026-12-06T20:00")
    assert code == 2 and "offset" in err

    target = tmp_path / "voting.csv"
    code, out, err = run("export", "--form", "voting", "-o", str(target))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert len(rows) == Submission.objects.count() == 5
    assert {"station_id", "overall", "voters", "instance_id", "submitted_by",
            "received_at"} <= set(rows[0])
    assert "'=1+1" in [r["overall"] for r in rows]  # a formula is written as text
    assert run("export", "--form", "nope", "-o", str(target))[0] == 2


@pytest.mark.django_db
def test_stations_import_is_all_or_nothing(cast: Cast, tmp_path: Path) -> None:
    e = eom(cast)
    frame = tmp_path / "frame.csv"
    frame.write_text("station_id,name,region,district,urban_rural,registered_voters,lon,lat\n"
                     "P001,School,North,N1,urban,1000,,\n")
    code, out, err = run("stations", "import", str(frame), "--mission", e.mission.code)
    assert code == 0, err
    assert "imported 1 polling stations" in out
    frame.write_text(frame.read_text() + "P002,Hall,North,N1,urban,lots,,\n")
    code, _out, err = run("stations", "import", str(frame), "--mission", e.mission.code)
    assert code == 1 and "row 3: registered_voters 'lots' is not a number" in err
    assert e.mission.stations.count() == 1


def test_pvt_valid_report_rule_is_configurable(tmp_path: Path) -> None:
    results = tmp_path / "results.csv"
    results.write_text("station_id,stratum,registered,valid,A,B\n1,N,500,200,100,100\n"
                       "2,N,,200,150,50\n3,N,500,20,10,10\n4,N,500,200,0,0\n")
    frame = tmp_path / "frame.csv"
    frame.write_text("stratum,stations\nN,10\n")
    args = ["pvt", "--sample", str(results), "--frame", str(frame), "--json"]
    assert json.loads(run(*args)[1])["reporting"] == 3  # no votes for anyone: not reported
    assert json.loads(run(*args, "--require-registered")[1])["reporting"] == 2
    assert json.loads(run(*args, "--min-valid", "50")[1])["reporting"] == 2
    code, _out, err = run(*args, "--min-valid", "0")
    assert code == 2 and "--min-valid" in err
