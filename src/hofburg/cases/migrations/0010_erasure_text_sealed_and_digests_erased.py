# An erasure request's grounds and a legal hold's text (the person's and the one a request
# found) are sealed with AES-GCM under the vault's strictly-confidential key; the clear columns
# go. The keyed digest of an erased person's identifiers goes with the vault (decision 0076).

from django.db import migrations, models

CHUNK = 2000
S = "strictly_confidential"
# As sealed when this migration was written (model, the attribute naming a record, field →
# the key's purpose); `cases.sealed.SEALED` is the living list.
FIELDS = (
    ("Person", "surrogate_id", {"legal_hold": S}),
    ("ErasureRequest", "pk", {"grounds": S, "legal_hold": S}),
)


def _rows(model, names):
    filled = models.Q()
    for name in names:
        filled |= ~models.Q(**{name: ""})
    ids = list(model.objects.filter(filled).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        yield list(model.objects.filter(pk__in=ids[start:start + CHUNK]))


def seal_existing(apps, schema_editor):
    """Seal what the clear columns hold, bound to the record and field; drop the digests of
    the persons already erased."""
    from hofburg.cases import vault
    from hofburg.cases.sealed import column, context, seal_value

    ring = None
    for model_name, key_name, fields in FIELDS:
        model = apps.get_model("cases", model_name)
        for rows in _rows(model, list(fields)):
            ring = ring or vault.load_keyring()
            for row in rows:
                for name, purpose in fields.items():
                    setattr(row, column(name), seal_value(
                        ring, purpose, getattr(row, name) or "",
                        context(model_name, getattr(row, key_name), name)))
            model.objects.bulk_update(rows, [column(n) for n in fields])
    apps.get_model("cases", "Person").objects.filter(erased_at__isnull=False).update(
        identifier_digest="")


def open_existing(apps, schema_editor):
    """Backwards: the clear columns again, from the sealed ones (an erased digest stays
    gone)."""
    from hofburg.cases import vault
    from hofburg.cases.sealed import column, context, open_token

    ring = None
    for model_name, key_name, fields in FIELDS:
        model = apps.get_model("cases", model_name)
        for rows in _rows(model, [column(n) for n in fields]):
            ring = ring or vault.load_keyring()
            for row in rows:
                for name in fields:
                    setattr(row, name, open_token(
                        ring, getattr(row, column(name)),
                        context(model_name, getattr(row, key_name), name)))
            model.objects.bulk_update(rows, list(fields))


def _sealed_column():
    return models.TextField(blank=True, default="", editable=False)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0009_incident_public_summary"),
    ]

    operations = [
        migrations.AddField(model_name="person", name="legal_hold_sealed",
                            field=_sealed_column()),
        migrations.AddField(model_name="erasurerequest", name="grounds_sealed",
                            field=_sealed_column()),
        migrations.AddField(model_name="erasurerequest", name="legal_hold_sealed",
                            field=_sealed_column()),
        migrations.RunPython(seal_existing, open_existing),
        migrations.RemoveField(model_name="person", name="legal_hold"),
        migrations.RemoveField(model_name="erasurerequest", name="grounds"),
        migrations.RemoveField(model_name="erasurerequest", name="legal_hold"),
    ]
