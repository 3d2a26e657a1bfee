"""`hofburg csbm ...` run as a user runs it: a real process, JSON on stdout, one line on
stderr and exit code 2 for bad arguments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HOFBURG = str(Path(sys.executable).parent / "hofburg")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run([HOFBURG, "csbm", *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


CLASSIFY = ["classify", "--ruleset", "vd2011", "--type", "land", "--start", "2026-06-01",
            "--end", "2026-06-10", "--troops", "9500", "--tanks", "100", "--acv", "0",
            "--artillery", "0", "--json"]


def test_classify_prints_one_json_object_with_the_answers():
    result = run(*CLASSIFY)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["ruleset"] == "vd2011"
    assert (body["notifiable"], body["observable"]) == (True, False)
    assert (body["notify_by"], body["invite_by"]) == ("2026-04-20", None)
    assert body["thresholds_crossed"] == {"notification": ["troops"], "observation": []}
    assert body["citations"]["notify_by"][0]["key"] == "notification.lead_time_days"


def test_classify_counts_airborne_troops_as_a_landing():
    result = run("classify", "--type", "airborne", "--start", "2026-06-01", "--end",
                 "2026-06-03", "--airborne-troops", "4000", "--json")
    body = json.loads(result.stdout)
    assert "airborne_troops" in body["thresholds_crossed"]["observation"]


def test_classify_keeps_airborne_and_amphibious_troops_apart():
    """(40.2.1): 2,000 airborne and 1,500 amphibious troops are two landings below 3,000."""
    result = run("classify", "--type", "land", "--start", "2026-06-01", "--end",
                 "2026-06-03", "--airborne-troops", "2000", "--amphibious-troops", "1500",
                 "--json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert (body["notifiable"], body["observable"]) == (False, False)
    amphibious = run("classify", "--type", "land", "--start", "2026-06-01", "--end",
                     "2026-06-03", "--amphibious-troops", "3000", "--json")
    assert json.loads(amphibious.stdout)["thresholds_crossed"]["notification"] == [
        "amphibious_troops"]


def test_classify_outside_the_zone_answers_not_subject_with_the_reason():
    result = run("classify", "--type", "land", "--start", "2026-06-01", "--end",
                 "2026-06-03", "--troops", "50000", "--outside-zone")
    assert result.returncode == 0, result.stderr
    assert "not subject: the activity is outside the zone of application" in result.stdout
    assert "notifiable: no" in result.stdout
    body = json.loads(run("classify", "--type", "land", "--start", "2026-06-01", "--end",
                          "2026-06-03", "--troops", "50000", "--outside-zone",
                          "--json").stdout)
    assert body["subject"] is False
    assert body["citations"]["subject"][0]["confidence"] == "secondary"


def test_quota_prints_the_evaluation_quota_and_the_cap():
    body = json.loads(run("quota", "--ruleset", "vd2011", "--units", "130", "--json").stdout)
    assert (body["evaluation_quota"], body["max_from_one_state"]) == (3, 1)


def test_constraints_lists_the_breaches_of_a_csv_file(tmp_path: Path):
    path = tmp_path / "activities.csv"
    path.write_text("id,state,type,start,end,troops\n"
                    "a1,XA,land,2026-03-01,2026-03-05,45000\n"
                    "a2,XA,land,2026-06-01,2026-06-05,45000\n")
    result = run("constraints", "--ruleset", "vd2011", str(path), "--json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert "large_activities" in {b["rule"] for b in body["breaches"]}


@pytest.mark.parametrize("args", [
    ["classify", "--ruleset", "vd2099", "--type", "land", "--start", "2026-06-01",
     "--end", "2026-06-02"],
    ["classify", "--type", "sea", "--start", "2026-06-01", "--end", "2026-06-02"],
    ["classify", "--type", "land", "--start", "June", "--end", "2026-06-02"],
    ["classify", "--type", "land", "--start", "2026-06-05", "--end", "2026-06-02"],
    ["classify", "--type", "land", "--start", "2026-06-01", "--end", "2026-06-02",
     "--troops", "-5"],
    ["classify", "--no-such-option"],
    ["quota", "--units", "many"],
    ["quota"],
    ["constraints", "/no/such/file.csv"],
])
def test_bad_arguments_are_one_line_on_stderr_and_exit_code_2(args: list[str]):
    result = run(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("hofburg: ")
    assert result.stdout == ""


def test_an_unknown_ruleset_names_the_known_ones():
    result = run("quota", "--ruleset", "vd2099", "--units", "1")
    assert "vd2011" in result.stderr and "joint-proposal-2019" in result.stderr
