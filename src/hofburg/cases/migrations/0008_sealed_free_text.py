# The classified free text of incidents, condition reports, protection cases and their
# entries, and of situations' observations and assessments is sealed with AES-GCM under the
# vault's key of its level; the clear columns go (decision 0063).

from django.db import migrations, models

CHUNK = 2000


R, S = "restricted", "strictly_confidential"
# As sealed when this migration was written (model, the attribute naming a record, field →
# the key's purpose); `cases.sealed.SEALED` is the living list.
FIELDS = (
    ("Incident", "incident_id", {"screening_reason": R, "other_bias": R, "indicators": R,
                                 "source_org": S, "description": S}),
    ("ConditionReport", "pk", {"text": R}),
    ("ProtectionCase", "case_id", {"summary": S, "closure_reason": S}),
    ("CaseMovement", "pk", {"description": S}),
    ("RiskAssessment", "pk", {"note": S}),
    ("Referral", "pk", {"organisation": S, "details": S}),
    ("Assistance", "pk", {"objectives": S}),
    ("IndicatorObservation", "pk", {"source": S, "note": R}),
    ("EscalationAssessment", "pk", {"reason": R}),
)


def seal_existing(apps, schema_editor):
    """Seal what the clear columns hold, record by record, bound to the record and field."""
    from hofburg.cases import vault
    from hofburg.cases.sealed import column, context, seal_value

    ring = None
    for model_name, key_name, fields in FIELDS:
        model = apps.get_model("cases", model_name)
        names = list(fields)
        filled = models.Q()
        for name in names:
            filled |= ~models.Q(**{name: ""})
        ids = list(model.objects.filter(filled).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            ring = ring or vault.load_keyring()
            rows = list(model.objects.filter(pk__in=ids[start:start + CHUNK]))
            for row in rows:
                key = getattr(row, key_name)
                for name in names:
                    setattr(row, column(name), seal_value(
                        ring, fields[name], getattr(row, name) or "",
                        context(model_name, key, name)))
            model.objects.bulk_update(rows, [column(n) for n in names])


def open_existing(apps, schema_editor):
    """Backwards: the clear columns again, from the sealed ones."""
    from hofburg.cases import vault
    from hofburg.cases.sealed import column, context, open_token

    ring = None
    for model_name, key_name, fields in FIELDS:
        model = apps.get_model("cases", model_name)
        names = list(fields)
        rows = list(model.objects.order_by("pk"))
        for start in range(0, len(rows), CHUNK):
            ring = ring or vault.load_keyring()
            chunk = rows[start:start + CHUNK]
            for row in chunk:
                key = getattr(row, key_name)
                for name in names:
                    setattr(row, name, open_token(ring, getattr(row, column(name)),
                                                  context(model_name, key, name)))
            model.objects.bulk_update(chunk, names)


def _sealed_column():
    return models.TextField(blank=True, default="", editable=False)


def _operations():
    adds, removes = [], []
    for model_name, _, fields in FIELDS:
        for name in fields:
            adds.append(migrations.AddField(model_name=model_name.lower(),
                                            name=f"{name}_sealed", field=_sealed_column()))
            removes.append(migrations.RemoveField(model_name=model_name.lower(), name=name))
    return [*adds, migrations.RunPython(seal_existing, open_existing), *removes]


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_grant_revocation'),
    ]

    operations = _operations()
