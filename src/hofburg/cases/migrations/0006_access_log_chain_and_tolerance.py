# The access log becomes a hash chain with retention cuts; incidents get the tolerance
# mandates an analyst tags them with; statements on intolerance (decision 0056).

import django.db.models.deletion
import django.utils.timezone
import hofburg.core.models.classification
from django.db import migrations, models

CHUNK = 2000


def chain_existing_entries(apps, schema_editor):
    """Chain the entries written before the chain existed, oldest first, as they stand."""
    from hofburg.cases.logchain import chain_entry
    from hofburg.core.chain import GENESIS_DIGEST

    AccessLog = apps.get_model("cases", "AccessLog")
    order = list(AccessLog.objects.order_by("at", "pk").values_list("pk", flat=True))
    previous = GENESIS_DIGEST
    for start in range(0, len(order), CHUNK):
        ids = order[start:start + CHUNK]
        rows = AccessLog.objects.in_bulk(ids)
        chunk = []
        for offset, pk in enumerate(ids):
            row = rows[pk]
            row.sequence = start + offset + 1
            row.previous_digest = previous
            row.entry_digest = chain_entry(row).computed_digest()
            previous = row.entry_digest
            chunk.append(row)
        AccessLog.objects.bulk_update(chunk, ["sequence", "previous_digest", "entry_digest"])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_protection_cases_and_situations'),
        ('core', '0005_idempotent_requests'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslog',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name='accesslog',
            name='action',
            field=models.CharField(choices=[('read', 'read'), ('export', 'export'), ('publish', 'publish'), ('erase', 'erase'), ('prune', 'retention cut')], max_length=10),
        ),
        migrations.AddField(
            model_name='accesslog',
            name='sequence',
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='accesslog',
            name='previous_digest',
            field=models.CharField(default='', max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='accesslog',
            name='entry_digest',
            field=models.CharField(default='', max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='accesslog',
            name='cut_sequence',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='accesslog',
            name='cut_digest',
            field=models.CharField(blank=True, default='', max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name='accesslog',
            name='sequence',
            field=models.PositiveBigIntegerField(unique=True),
        ),
        migrations.AlterField(
            model_name='accesslog',
            name='entry_digest',
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.AddField(
            model_name='incident',
            name='mandates',
            field=models.JSONField(default=list, verbose_name='tolerance mandates'),
        ),
        migrations.CreateModel(
            name='Statement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('classification', hofburg.core.models.classification.ClassificationField(db_index=True, default='restricted', verbose_name='classification')),
                ('statement_id', models.CharField(max_length=20, unique=True, verbose_name='statement id')),
                ('made_on', models.DateField(db_index=True, verbose_name='date')),
                ('speaker', models.CharField(max_length=300, verbose_name='speaker or organisation')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('text', models.TextField(verbose_name='text')),
                ('source_url', models.URLField(blank=True, max_length=1000, verbose_name='source')),
                ('language', models.CharField(max_length=8, verbose_name='language')),
                ('mandates', models.JSONField(default=list, verbose_name='tolerance mandates')),
                ('is_exercise', models.BooleanField(default=False, verbose_name='exercise data')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('incidents', models.ManyToManyField(blank=True, related_name='statements', to='cases.incident', verbose_name='incidents')),
                ('owner_affiliation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation', verbose_name='owner')),
                ('shared_with', models.ManyToManyField(blank=True, related_name='+', to='core.affiliation', verbose_name='shared with')),
            ],
            options={
                'ordering': ['-made_on', 'statement_id'],
            },
        ),
    ]
