"""Correcting, reversing and deleting what was recorded on a project (decision 0049): money is
kept and superseded, never rewritten; balances, burn rate, exports and IATI count what stands;
every correction names who, when and why; what others depend on is not deleted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from lxml import etree
from ninja.errors import AuthenticationError

from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid, NotFound
from hofburg.core.models import AuditEntry
from hofburg.core.services.users import issue_api_token
from hofburg.projects import queries
from hofburg.projects.api import logframe
from hofburg.projects.iati.export import export_projects
from hofburg.projects.models import (
    ActualChange,
    BudgetLine,
    Correction,
    Indicator,
    IndicatorPeriod,
    LogframeElement,
    Transaction,
)
from hofburg.projects.services import corrections
from hofburg.projects.services.money import TransactionIn, set_budget_line
from tests.conftest import Cast
from tests.projects.samples import World, indicator_of, make_world, periods_of

pytestmark = pytest.mark.django_db
API = "/api/v1/projects"


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)


def _pledge(project_id: int) -> Transaction:
    return Transaction.objects.get(project_id=project_id, flow="pledge")


def _token(user: Any) -> Client:
    _row, key = issue_api_token(user, "corrections")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", body, content_type="application/json")


def _iati(world: World) -> Any:
    result = export_projects(queries.visible_projects(world.erin).filter(pk=world.public.pk))
    assert result.valid, result.problems
    return etree.fromstring(result.content)


# -- services ----------------------------------------------------------------------------------


def test_a_corrected_transaction_is_kept_superseded_and_the_balances_follow(
        world: World) -> None:
    project = world.public
    pledge = _pledge(project.pk)
    fixed = TransactionIn(flow="pledge", value=Decimal(140_000), value_date=date(2024, 11, 1),
                          donor="at")
    with pytest.raises(Invalid) as refused:
        corrections.correct_transaction(world.erin, project.pk, pledge.pk, fixed, reason=" ")
    assert refused.value.field == "reason"
    assert queries.project_balances(project).pledged == Decimal(150_000)

    replacement, new = corrections.correct_transaction(world.erin, project.pk, pledge.pk, fixed,
                                                       reason="Typing error in the amount")
    assert new and replacement.value == Decimal(140_000)
    pledge.refresh_from_db()
    assert pledge.value == Decimal(150_000)  # kept as it was
    assert pledge.superseded_by_id == replacement.pk and pledge.superseded_at is not None
    assert queries.project_balances(project).pledged == Decimal(140_000)
    correction = Correction.objects.get(kind="transaction", record_id=pledge.pk)
    assert (correction.action, correction.by, correction.reason, correction.replacement_id) == (
        "correct", world.erin, "Typing error in the amount", replacement.pk)
    assert Decimal(correction.before["value"]) == 150_000
    assert AuditEntry.objects.filter(object_id=str(pledge.pk),
                                     model_label="projects.Transaction",
                                     action="update").exists()
    # The same correction again answers what stands; another one on the old row is refused.
    again, new = corrections.correct_transaction(world.erin, project.pk, pledge.pk, fixed,
                                                 reason="Typing error in the amount")
    assert (again.pk, new) == (replacement.pk, False)
    with pytest.raises(Conflict):
        corrections.correct_transaction(world.erin, project.pk, pledge.pk, TransactionIn(
            flow="pledge", value=Decimal(1), value_date=date(2024, 11, 1), donor="at"),
            reason="Another")
    assert Transaction.with_history.filter(project=project).count() == 6


def test_a_reversed_transaction_no_longer_counts_anywhere(world: World) -> None:
    project = world.public
    spent = Transaction.objects.get(project=project, flow="expenditure")
    before = queries.project_balances(project)
    assert before.burn_rate == Decimal(40_000) / Decimal(200_000)
    assert "4" in _iati(world).xpath("iati-activity/transaction/transaction-type/@code")
    corrections.reverse_transaction(world.erin, project.pk, spent.pk, reason="Booked twice")
    corrections.reverse_transaction(world.erin, project.pk, spent.pk, reason="Booked twice")
    after = queries.project_balances(project)
    assert after.spent == 0 and after.burn_rate == 0 and after.cash_balance == 100_000
    row = queries.with_money(queries.visible_projects(world.erin)).get(pk=project.pk)
    assert row.spent == 0  # type: ignore[attr-defined]
    assert Correction.objects.filter(record_id=spent.pk, action="reverse").count() == 1
    root = _iati(world)
    activity = root.xpath("iati-activity[other-identifier/@ref='P-100']")[0]
    assert "4" not in activity.xpath("transaction/transaction-type/@code")
    with pytest.raises(Conflict):  # a reversed transaction is not corrected
        corrections.correct_transaction(world.erin, project.pk, spent.pk, TransactionIn(
            flow="expenditure", value=Decimal(1), value_date=date(2025, 6, 30)), reason="x")


def test_the_corrected_figures_reach_the_iati_export(world: World) -> None:
    pledge = _pledge(world.public.pk)
    corrections.correct_transaction(world.erin, world.public.pk, pledge.pk, TransactionIn(
        flow="pledge", value=Decimal(123_456), value_date=date(2024, 11, 1), donor="at"),
        reason="Amount in the signed letter")
    root = _iati(world)
    values = root.xpath("iati-activity[other-identifier/@ref='P-100']"
                        "/transaction[transaction-type/@code='13']/value/text()")
    assert values == ["123456"]


def test_budget_lines_are_revised_and_corrected_with_their_history(world: World) -> None:
    project = world.public
    first = BudgetLine.objects.get(project=project, year=2026)
    revised = set_budget_line(world.erin, project.pk, year_=2026, original=Decimal(80_000),
                              revised=Decimal(90_000))
    first.refresh_from_db()
    assert first.superseded_by_id == revised.pk and first.revised is None
    assert set_budget_line(world.erin, project.pk, year_=2026, original=Decimal(80_000),
                           revised=Decimal(90_000)).pk == revised.pk  # the same: nothing new
    with pytest.raises(Conflict) as refused:
        set_budget_line(world.erin, project.pk, year_=2026, original=Decimal(85_000))
    assert refused.value.field == "original"
    line, new = corrections.correct_budget_line(world.erin, project.pk, 2026,
                                                original=Decimal(85_000), revised=None,
                                                reason="Original misread")
    assert new and queries.project_balances(project).budget == Decimal(120_000 + 85_000)
    assert corrections.correct_budget_line(world.erin, project.pk, 2026,
                                           original=Decimal(85_000), revised=None,
                                           reason="Original misread") == (line, False)
    corrections.reverse_budget_line(world.erin, project.pk, 2026, reason="No 2026 budget")
    corrections.reverse_budget_line(world.erin, project.pk, 2026, reason="No 2026 budget")
    assert queries.project_balances(project).budget == Decimal(120_000)
    assert BudgetLine.with_history.filter(project=project, year=2026).count() == 3
    with pytest.raises(NotFound):
        corrections.reverse_budget_line(world.erin, project.pk, 2030, reason="none")


def test_who_may_correct(cast: Cast, world: World) -> None:
    hidden = world.mission_secret
    pledge = _pledge(hidden.pk)
    with pytest.raises(NotFound):  # erin may not see the mission's project
        corrections.reverse_transaction(world.erin, hidden.pk, pledge.pk, reason="x")
    with pytest.raises(AccessDenied):  # alice sees P-200 but may not change it
        corrections.reverse_transaction(cast.alice, world.restricted.pk,
                                        _pledge(world.restricted.pk).pk, reason="x")
    with pytest.raises(NotFound):  # a transaction of another project
        corrections.reverse_transaction(world.erin, world.public.pk,
                                        _pledge(world.restricted.pk).pk, reason="x")
    assert not Correction.objects.exists()


def test_logframe_items_are_corrected_and_deleted_unless_something_depends_on_them(
        world: World) -> None:
    project = world.public
    elements = {e.code: e for e in LogframeElement.objects.filter(project=project)}
    with pytest.raises(Conflict, match=r"1\.1\.1\.1"):
        corrections.delete_element(world.erin, project.pk, elements["1.1.1"].pk, reason="x")
    indicator = indicator_of(project)
    with pytest.raises(Conflict, match="period"):
        corrections.delete_indicator(world.erin, project.pk, indicator.pk, reason="x")
    reported, unreported = periods_of(project)
    with pytest.raises(Conflict, match="reported"):
        corrections.delete_period(world.erin, project.pk, reported.pk, reason="x")
    corrections.delete_period(world.erin, project.pk, unreported.pk, reason="Wrong year")
    corrections.delete_period(world.erin, project.pk, unreported.pk, reason="Wrong year")
    assert not IndicatorPeriod.objects.filter(pk=unreported.pk).exists()
    corrections.delete_element(world.erin, project.pk, elements["1.1.1.1"].pk,
                               reason="Merged into the output")
    assert not LogframeElement.objects.filter(pk=elements["1.1.1.1"].pk).exists()
    deleted = Correction.objects.get(kind="element", action="delete")
    assert deleted.before["title"] == "Four training courses" and deleted.after is None

    corrected = corrections.correct_element(world.erin, project.pk, elements["1"].pk, code="1",
                                            title="Less corruption in procurement",
                                            reason="Shorter")
    assert corrected.title == "Less corruption in procurement"
    with pytest.raises(Conflict):
        corrections.correct_element(world.erin, project.pk, elements["1"].pk, code="1.1",
                                    title="x", reason="clash")
    # A corrected baseline changes the progress computed: 30 of the way from 10 to 40.
    corrections.correct_indicator(world.erin, project.pk, indicator.pk, corrections.IndicatorFix(
        title="Prosecutors trained", baseline=Decimal(10), baseline_year=2024),
        reason="Ten were trained before")
    view = next(v for row in queries.logframe(project) for v in row.indicators)
    assert view.progress == Decimal(20) / Decimal(30)
    assert Indicator.objects.get(pk=indicator.pk).baseline == 10


def test_a_corrected_actual_keeps_its_history(world: World) -> None:
    project = world.public
    reported, unreported = periods_of(project)
    with pytest.raises(Conflict):  # never reported: that is a progress report's work
        corrections.correct_actual(world.erin, project.pk, unreported.pk, actual=Decimal(1),
                                   reason="x")
    corrections.correct_actual(world.erin, project.pk, reported.pk, actual=Decimal(35),
                               reason="Two lists were missing")
    corrections.correct_actual(world.erin, project.pk, reported.pk, actual=None,
                               reason="The lists are disputed")
    history = list(ActualChange.objects.filter(period=reported).order_by("pk")
                   .values_list("before", "after", "report_id"))
    assert [(b, a) for b, a, _r in history] == [(None, Decimal(30)), (Decimal(30), Decimal(35)),
                                                (Decimal(35), None)]
    assert history[0][2] is not None and history[1][2] is None
    reported.refresh_from_db()
    assert reported.actual is None
    corrected = corrections.correct_period(world.erin, project.pk, reported.pk,
                                           start=reported.start, end=reported.end,
                                           target=Decimal(45), reason="Target revised")
    assert corrected.target == 45
    with pytest.raises(Conflict, match="overlaps"):
        corrections.correct_period(world.erin, project.pk, reported.pk, start=reported.start,
                                   end=date(2025, 8, 1), target=Decimal(45), reason="x")


# -- the API -----------------------------------------------------------------------------------


def test_the_api_corrects_reverses_and_deletes(cast: Cast, world: World) -> None:
    client = _token(world.erin)
    pid = world.public.pk
    pledge = _pledge(pid)
    body = {"flow": "pledge", "value": "145000.00", "value_date": "2024-11-01", "donor": "at",
            "reason": "Letter of 3 November"}
    first = _post(client, f"/{pid}/transactions/{pledge.pk}/correction", body)
    assert first.status_code == 201 and first.json()["stands"] is True
    again = _post(client, f"/{pid}/transactions/{pledge.pk}/correction", body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    refused = _post(client, f"/{pid}/transactions/{pledge.pk}/correction",
                    {**body, "value": "1.00"})
    assert refused.status_code == 409
    assert refused["Content-Type"].startswith("application/problem+json")
    assert _post(client, f"/{pid}/transactions/{pledge.pk}/correction",
                 {**body, "reason": ""}).status_code == 422
    standing = client.get(f"{API}/{pid}/transactions").json()["items"]
    everything = client.get(f"{API}/{pid}/transactions?history=true").json()["items"]
    assert len(everything) == len(standing) + 1
    old = next(t for t in everything if t["id"] == pledge.pk)
    assert old["stands"] is False and old["superseded_by"] == first.json()["id"]
    assert Decimal(client.get(f"{API}/{pid}").json()["pledged"]) == 145_000

    spent = Transaction.objects.get(project_id=pid, flow="expenditure")
    reversed_ = _post(client, f"/{pid}/transactions/{spent.pk}/reversal",
                      {"reason": "Booked twice"})
    assert reversed_.status_code == 200 and reversed_.json()["stands"] is False
    assert _post(client, f"/{pid}/budget/2026/correction",
                 {"original": "70000", "reason": "Misread"}).status_code == 201
    assert _post(client, f"/{pid}/budget/2026/reversal", {"reason": "None"}).status_code == 204
    assert [line["year"] for line in client.get(f"{API}/{pid}/budget").json()] == [2025]

    activity = LogframeElement.objects.get(project_id=pid, code="1.1.1.1")
    output = LogframeElement.objects.get(project_id=pid, code="1.1.1")
    assert _post(client, f"/{pid}/logframe/{output.pk}/deletion",
                 {"reason": "x"}).status_code == 409
    for _ in range(2):
        assert _post(client, f"/{pid}/logframe/{activity.pk}/deletion",
                     {"reason": "Merged"}).status_code == 204
    corrected = _post(client, f"/{pid}/logframe/{output.pk}/correction",
                      {"code": "1.1.1", "title": "Prosecutors and judges trained",
                       "reason": "Judges joined"})
    assert corrected.status_code == 200 and corrected.json()["title"].endswith("judges trained")
    indicator = indicator_of(world.public)
    assert _post(client, f"/{pid}/indicators/{indicator.pk}/correction", {
        "title": "People trained", "baseline": "0", "baseline_year": 2024,
        "reason": "Judges too"}).json()["title"] == "People trained"
    reported, unreported = periods_of(world.public)
    assert Decimal(_post(client, f"/{pid}/periods/{reported.pk}/actual", {
        "actual": "31", "reason": "Recount"}).json()["actual"]) == 31
    assert _post(client, f"/{pid}/periods/{unreported.pk}/correction", {
        "start": "2025-07-01", "end": "2025-12-31", "target": "90",
        "reason": "Smaller hall"}).status_code == 200
    assert _post(client, f"/{pid}/periods/{unreported.pk}/deletion",
                 {"reason": "Dropped"}).status_code == 204
    history = client.get(f"{API}/{pid}/corrections").json()["items"]
    assert {(c["kind"], c["action"]) for c in history} == {
        ("transaction", "correct"), ("transaction", "reverse"), ("budget_line", "correct"),
        ("budget_line", "reverse"), ("element", "delete"), ("element", "correct"),
        ("indicator", "correct"), ("actual", "correct"), ("period", "correct"),
        ("period", "delete")}
    assert all(c["by"] == "erin" and c["reason"] for c in history)


def test_the_api_hides_what_the_caller_may_not_see(cast: Cast, world: World) -> None:
    hidden = world.mission_secret
    pledge = _pledge(hidden.pk)
    element = LogframeElement.objects.filter(project=hidden).first()
    period = periods_of(hidden)[1]
    client = _token(world.erin)
    paths = {
        f"/{hidden.pk}/transactions/{pledge.pk}/correction": {
            "flow": "pledge", "value": "1", "value_date": "2024-11-01", "donor": "at",
            "reason": "x"},
        f"/{hidden.pk}/transactions/{pledge.pk}/reversal": {"reason": "x"},
        f"/{hidden.pk}/budget/2025/correction": {"original": "1", "reason": "x"},
        f"/{hidden.pk}/budget/2025/reversal": {"reason": "x"},
        f"/{hidden.pk}/logframe/{element.pk}/correction": {  # type: ignore[union-attr]
            "code": "9", "title": "x", "reason": "x"},
        f"/{hidden.pk}/logframe/{element.pk}/deletion": {"reason": "x"},  # type: ignore[union-attr]
        f"/{hidden.pk}/indicators/{indicator_of(hidden).pk}/deletion": {"reason": "x"},
        f"/{hidden.pk}/periods/{period.pk}/deletion": {"reason": "x"},
        f"/{hidden.pk}/periods/{period.pk}/actual": {"actual": "1", "reason": "x"},
    }
    for path, body in paths.items():
        assert _post(client, path, body).status_code == 404, path
    assert client.get(f"{API}/{hidden.pk}/corrections").status_code == 404
    assert not Correction.objects.exists()
    alice = _token(cast.alice)  # sees P-200, may not change it
    restricted = _pledge(world.restricted.pk)
    assert _post(alice, f"/{world.restricted.pk}/transactions/{restricted.pk}/reversal",
                 {"reason": "x"}).status_code == 403
    assert alice.get(f"{API}/{world.restricted.pk}/corrections").status_code == 200


def test_one_helper_hands_each_logframe_correction_and_deletion_to_its_service(
        cast: Cast) -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def service(*args: Any, **kwargs: Any) -> str:
        calls.append((args, kwargs))
        return "answer"

    request = RequestFactory().post("/")
    request.auth = cast.bob  # type: ignore[attr-defined]
    element = logframe.ElementCorrectionIn(code="1.2", title="Judges trained", reason="Typo")
    assert logframe._change(service, request, 7, 9, element) == "answer"
    assert calls[-1] == ((cast.bob, 7, 9), {"code": "1.2", "title": "Judges trained",
                                            "description": "", "reason": "Typo"})
    logframe._change(service, request, 7, 9, logframe.Reason(reason="Merged"))
    assert calls[-1] == ((cast.bob, 7, 9), {"reason": "Merged"})
    indicator = logframe.IndicatorCorrectionIn(title="People trained", baseline=Decimal(3),
                                               baseline_year=2024, reason="Judges too")
    logframe._change(service, request, 7, 9, indicator, fix=corrections.IndicatorFix)
    assert calls[-1] == ((cast.bob, 7, 9, corrections.IndicatorFix(
        title="People trained", baseline=Decimal(3), baseline_year=2024,
        measure=Indicator.Measure.UNIT, ascending=True, means_of_verification="")),
        {"reason": "Judges too"})
    request.auth = AnonymousUser()  # type: ignore[attr-defined]
    with pytest.raises(AuthenticationError):
        logframe._change(service, request, 7, 9, logframe.Reason(reason="Merged"))
    assert len(calls) == 3
