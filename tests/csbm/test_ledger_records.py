"""`hofburg ledger verify` rebuilds every notification's payload from the stored record, so a
notification changed in the database, bypassing the services, no longer passes as intact."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hofburg.core.services.ledger import verify_ledger
from hofburg.csbm import services
from hofburg.csbm.models import Notification


def _notified(actor, reference: str, sent_on: date) -> Notification:
    activity = services.record_activity(actor, services.ActivityRecord(
        state="AT", reference=reference, name="Exercise Alpine Shield", start=date(2027, 6, 1),
        end=date(2027, 6, 10), details={"troops": 9500, "battle_tanks": 100}))
    return services.notify_activity(actor, activity, sent_on=sent_on)


def test_notifications_as_sent_verify_intact(cast, states, capsys):
    first = _notified(cast.alice, "at-2027-1", date(2027, 4, 1))
    services.notify_activity(cast.alice, first.activity, sent_on=date(2027, 4, 3),
                             correction_reason="troops corrected")
    assert verify_ledger() == []
    call_command("verify_ledger")
    assert "Ledger intact: 2 entries" in capsys.readouterr().out


def test_a_notification_altered_in_the_database_is_named_with_its_entry(cast, states, capsys):
    untouched = _notified(cast.alice, "at-2027-1", date(2027, 4, 1))
    altered = _notified(cast.alice, "at-2027-2", date(2027, 4, 2))
    content = dict(altered.content)
    content["B"] = {**content["B"], "troops": 8000}
    Notification.objects.filter(pk=altered.pk).update(content=content,
                                                      sent_on=date(2027, 3, 20))

    problems = verify_ledger()
    entry = altered.ledger_entry
    assert [p.sequence for p in problems] == [entry.sequence]
    assert str(problems[0]) == (
        f"entry #{entry.sequence}: (digest {entry.entry_digest[:12]}, csbm.notification "
        f"AT/at-2027-2/v1): csbm.Notification #{altered.pk} (AT/at-2027-2 v1, sent on 2027-03-20) "
        "no longer matches the payload digest: the record was altered")
    with pytest.raises(CommandError, match="the ledger is broken: 1 problem"):
        call_command("verify_ledger")
    reported = capsys.readouterr().err
    assert f"csbm.Notification #{altered.pk}" in reported
    assert f"csbm.Notification #{untouched.pk}" not in reported


def test_a_notification_whose_date_alone_was_moved_is_caught(cast, states):
    notification = _notified(cast.alice, "at-2027-1", date(2027, 4, 1))
    Notification.objects.filter(pk=notification.pk).update(sent_on=date(2027, 3, 1))
    assert [p.sequence for p in verify_ledger()] == [notification.ledger_entry.sequence]


def test_a_deleted_notification_is_named_by_its_entry(cast, states):
    notification = _notified(cast.alice, "at-2027-1", date(2027, 4, 1))
    entry = notification.ledger_entry
    Notification.objects.filter(pk=notification.pk).delete()
    problems = verify_ledger()
    assert [p.sequence for p in problems] == [entry.sequence]
    assert "at-2027-1/v1" in problems[0].problem
    assert "no longer exists" in problems[0].problem
