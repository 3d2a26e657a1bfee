"""Lean indexes on the bulk tables (decision 0014).

Seven plain indexes go: the classification and owner of events and observations, and the
status, import batch and submitter of observations. They are dropped where they stand (no table
is rebuilt for them, which on SQLite would copy a mission's millions of rows once per field).
client_id becomes unique only where given, so imported rows leave no entry in its index; on
SQLite that one change rebuilds the observation table once.
"""

import django.db.models.deletion
import hofburg.core.models.classification
from django.conf import settings
from django.db import migrations, models

# (model, field) whose plain index goes; the state changes are the AlterFields below.
DROPPED = (("event", "classification"), ("event", "owner_affiliation"),
           ("observation", "batch"), ("observation", "classification"),
           ("observation", "owner_affiliation"), ("observation", "status"),
           ("observation", "submitted_by"))


def drop_indexes(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for model_name, field_name in DROPPED:
            model = apps.get_model("monitoring", model_name)
            column = model._meta.get_field(field_name).column
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
            for name, info in constraints.items():
                if (info["index"] and info["columns"] == [column] and not info["unique"]
                        and not info["primary_key"]):
                    schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def restore_indexes(apps, schema_editor):
    for model_name, field_name in DROPPED:
        model = apps.get_model("monitoring", model_name)
        for sql in schema_editor._field_indexes_sql(model, model._meta.get_field(field_name)):
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_document_order_index'),
        ('monitoring', '0004_named_reporting_areas'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, restore_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name='event',
                    name='classification',
                    field=hofburg.core.models.classification.ClassificationField(db_index=False, default='restricted', verbose_name='classification'),
                ),
                migrations.AlterField(
                    model_name='event',
                    name='owner_affiliation',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation', verbose_name='owner'),
                ),
                migrations.AlterField(
                    model_name='observation',
                    name='batch',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='observations', to='monitoring.importbatch', verbose_name='import batch'),
                ),
                migrations.AlterField(
                    model_name='observation',
                    name='classification',
                    field=hofburg.core.models.classification.ClassificationField(db_index=False, default='restricted', verbose_name='classification'),
                ),
                migrations.AlterField(
                    model_name='observation',
                    name='owner_affiliation',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation', verbose_name='owner'),
                ),
                migrations.AlterField(
                    model_name='observation',
                    name='status',
                    field=models.CharField(choices=[('submitted', 'submitted'), ('verified', 'verified'), ('rejected', 'rejected')], default='submitted', max_length=16, verbose_name='status'),
                ),
                migrations.AlterField(
                    model_name='observation',
                    name='submitted_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by'),
                ),
            ],
        ),
        migrations.AlterField(
            model_name='observation',
            name='client_id',
            field=models.CharField(blank=True, max_length=64, null=True, verbose_name='client id'),
        ),
        migrations.AddConstraint(
            model_name='observation',
            constraint=models.UniqueConstraint(condition=models.Q(('client_id__isnull', False)), fields=('client_id',), name='monitoring_observation_client_id_unique'),
        ),
    ]
