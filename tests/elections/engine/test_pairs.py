from typing import Any

from hofburg.elections.engine.pairs import reconcile


def row(instance: str, overall: str, *, team: str = "T1", station: str = "P1",
        start: str = "09:00", by: str = "") -> dict[str, Any]:
    return {"instance_id": instance, "form_id": "voting", "station_id": station, "team": team,
            "submitted_by": by or f"observer-{instance}",
            "data": {"overall": overall, "start": start, "remarks": instance}}


def test_agreeing_pair_is_one_observation() -> None:
    result = reconcile([row("b", "good", start="09:05"), row("a", "good")], {})
    assert [r["instance_id"] for r in result.kept] == ["a"]
    assert result.duplicates == ["b"] and result.conflicts == []


def test_disagreeing_pair_is_held_out_until_resolved() -> None:
    rows = [row("a", "good"), row("b", "bad"), row("c", "bad", team="T2")]
    held = reconcile(rows, {})
    assert [r["instance_id"] for r in held.kept] == ["c"]
    assert held.conflicts == [{"form_id": "voting", "station_id": "P1", "team": "T1",
                               "instances": ["a", "b"], "differing": ["overall"]}]
    resolved = reconcile(rows, {("voting", "P1", "T1"): "b"})
    assert [r["instance_id"] for r in resolved.kept] == ["b", "c"]
    assert resolved.duplicates == ["a"] and resolved.conflicts == []


def test_forms_without_team_or_station_are_never_paired() -> None:
    result = reconcile([row("a", "good", team=""), row("b", "bad", team=""),
                        row("c", "good", station=""), row("d", "bad", station="")], {})
    assert len(result.kept) == 4 and not result.conflicts


def test_one_observer_twice_at_a_station_is_two_visits() -> None:
    result = reconcile([row("a", "good", by="sam"), row("b", "bad", by="sam")], {})
    assert len(result.kept) == 2 and not result.conflicts and not result.duplicates
