# Evidence with its custody, and erasure as a workflow (decision 0041).

import django.db.models.deletion
import hofburg.core.models.classification
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_media_freedom'),
        ('core', '0005_idempotent_requests'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='legal_hold',
            field=models.TextField(blank=True, verbose_name='legal hold'),
        ),
        migrations.CreateModel(
            name='ErasureRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_at', models.DateTimeField(auto_now_add=True)),
                ('grounds', models.TextField(verbose_name='grounds')),
                ('legal_hold', models.TextField(blank=True, verbose_name='legal hold found')),
                ('outcome', models.CharField(choices=[('pending', 'pending'), ('erased', 'erased'), ('restricted', 'processing restricted'), ('denied', 'denied')], default='pending', max_length=12)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_reason', models.TextField(blank=True, verbose_name='reason')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='erasure_requests', to='cases.person')),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-requested_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Evidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('classification', hofburg.core.models.classification.ClassificationField(db_index=True, default='restricted', verbose_name='classification')),
                ('evidence_id', models.CharField(max_length=20, unique=True, verbose_name='evidence id')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('media_type', models.CharField(max_length=100, verbose_name='media type')),
                ('size', models.PositiveBigIntegerField(verbose_name='size in bytes')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256 at ingest')),
                ('key_id', models.CharField(max_length=40)),
                ('nonce', models.BinaryField(max_length=12)),
                ('source_url', models.URLField(blank=True, max_length=1000, verbose_name='source')),
                ('captured_at', models.DateTimeField(blank=True, null=True, verbose_name='captured at')),
                ('capture_tool', models.CharField(blank=True, max_length=200, verbose_name='capture tool')),
                ('ingested_at', models.DateTimeField(auto_now_add=True, verbose_name='ingested at')),
                ('is_exercise', models.BooleanField(default=False, verbose_name='exercise data')),
                ('alert', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='cases.alert')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='cases.prisonercase')),
                ('owner_affiliation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation', verbose_name='owner')),
                ('shared_with', models.ManyToManyField(blank=True, related_name='+', to='core.affiliation', verbose_name='shared with')),
            ],
            options={
                'ordering': ['ingested_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='CustodyEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField()),
                ('actor_label', models.CharField(max_length=150)),
                ('action', models.CharField(max_length=20)),
                ('sha256_before', models.CharField(blank=True, max_length=64)),
                ('sha256_after', models.CharField(blank=True, max_length=64)),
                ('ledger_sequence', models.PositiveBigIntegerField(unique=True)),
                ('evidence', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='custody', to='cases.evidence')),
            ],
            options={
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='WorkingCopy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('label', models.CharField(max_length=200, verbose_name='label')),
                ('sha256', models.CharField(max_length=64)),
                ('size', models.PositiveBigIntegerField()),
                ('key_id', models.CharField(max_length=40)),
                ('nonce', models.BinaryField(max_length=12)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('evidence', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='copies', to='cases.evidence')),
            ],
            options={
                'ordering': ['number'],
                'constraints': [models.UniqueConstraint(fields=('evidence', 'number'), name='cases_one_copy_number')],
            },
        ),
    ]
