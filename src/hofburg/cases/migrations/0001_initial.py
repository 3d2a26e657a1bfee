# The human-dimension desk's records (decision 0041).

import django.db.models.deletion
import hofburg.core.models.classification
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0005_idempotent_requests'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('user_label', models.CharField(max_length=150)),
                ('action', models.CharField(choices=[('read', 'read'), ('export', 'export'), ('publish', 'publish'), ('erase', 'erase')], max_length=10)),
                ('record_type', models.CharField(max_length=20)),
                ('fields', models.JSONField(default=list)),
                ('count', models.PositiveIntegerField()),
                ('channel', models.CharField(max_length=10)),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('classification', hofburg.core.models.classification.ClassificationField(db_index=True, default='restricted', verbose_name='classification')),
                ('surrogate_id', models.CharField(max_length=20, unique=True, verbose_name='surrogate id')),
                ('protection_level', models.CharField(choices=[('standard', 'standard'), ('high', 'high')], default='high', max_length=10, verbose_name='protection level')),
                ('identifier_digest', models.CharField(blank=True, db_index=True, max_length=64)),
                ('is_exercise', models.BooleanField(default=False, verbose_name='exercise data')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('erased_at', models.DateTimeField(blank=True, null=True, verbose_name='vault erased at')),
                ('restricted_at', models.DateTimeField(blank=True, null=True, verbose_name='processing restricted at')),
                ('owner_affiliation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation', verbose_name='owner')),
                ('shared_with', models.ManyToManyField(blank=True, related_name='+', to='core.affiliation', verbose_name='shared with')),
            ],
            options={
                'ordering': ['surrogate_id'],
            },
        ),
        migrations.CreateModel(
            name='PrisonerCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('classification', hofburg.core.models.classification.ClassificationField(db_index=True, default='restricted', verbose_name='classification')),
                ('case_id', models.CharField(max_length=20, unique=True, verbose_name='case id')),
                ('jurisdiction', models.CharField(max_length=2, verbose_name='jurisdiction (ISO alpha-2)')),
                ('case_number', models.CharField(blank=True, max_length=100, verbose_name='case number')),
                ('articles', models.JSONField(default=list, verbose_name='articles')),
                ('charges', models.TextField(blank=True, verbose_name='charges')),
                ('is_exercise', models.BooleanField(default=False, verbose_name='exercise data')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('owner_affiliation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation', verbose_name='owner')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='prisoner_cases', to='cases.person')),
                ('shared_with', models.ManyToManyField(blank=True, related_name='+', to='core.affiliation', verbose_name='shared with')),
            ],
            options={
                'ordering': ['case_id'],
            },
        ),
        migrations.CreateModel(
            name='DetentionEpisode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('pre_trial', 'pre-trial'), ('administrative', 'administrative'), ('sentence', 'sentence')], max_length=16, verbose_name='kind')),
                ('start', models.DateField(verbose_name='start')),
                ('end', models.DateField(blank=True, null=True, verbose_name='end')),
                ('died', models.BooleanField(default=False, verbose_name='died in custody')),
                ('facility', models.CharField(blank=True, max_length=200, verbose_name='facility')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='episodes', to='cases.prisonercase')),
            ],
            options={
                'ordering': ['start'],
            },
        ),
        migrations.CreateModel(
            name='ConditionReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reported_on', models.DateField(verbose_name='reported on')),
                ('text', models.TextField(verbose_name='report')),
                ('classification', hofburg.core.models.classification.ClassificationField(db_index=True, default='confidential', verbose_name='classification')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='conditions', to='cases.prisonercase')),
            ],
            options={
                'ordering': ['reported_on'],
            },
        ),
        migrations.CreateModel(
            name='Proceeding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('court', models.CharField(max_length=200, verbose_name='court')),
                ('hearing_date', models.DateField(verbose_name='hearing date')),
                ('closed_trial', models.BooleanField(default=False, verbose_name='closed trial')),
                ('verdict', models.CharField(blank=True, max_length=200, verbose_name='verdict')),
                ('sentence', models.CharField(blank=True, max_length=200, verbose_name='sentence')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proceedings', to='cases.prisonercase')),
            ],
            options={
                'ordering': ['hearing_date'],
            },
        ),
        migrations.CreateModel(
            name='Recognition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('organisations', models.JSONField(default=list, verbose_name='organisations')),
                ('criteria', models.JSONField(default=list, verbose_name='criteria')),
                ('recognised_on', models.DateField(verbose_name='recognised on')),
                ('statement_url', models.URLField(blank=True, verbose_name='statement')),
                ('withdrawn_on', models.DateField(blank=True, null=True, verbose_name='withdrawn on')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recognitions', to='cases.prisonercase')),
            ],
            options={
                'ordering': ['recognised_on'],
            },
        ),
        migrations.CreateModel(
            name='Grant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.CharField(choices=[('restricted', 'restricted'), ('strictly_confidential', 'strictly confidential')], default='restricted', max_length=24)),
                ('granted_at', models.DateTimeField(auto_now_add=True)),
                ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='case_grants', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='grants', to='cases.person')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('person', 'user'), name='cases_one_grant')],
            },
        ),
        migrations.CreateModel(
            name='VaultEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(max_length=20)),
                ('key_id', models.CharField(max_length=40)),
                ('nonce', models.BinaryField(max_length=12)),
                ('ciphertext', models.BinaryField()),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='vault', to='cases.person')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('person', 'field'), name='cases_one_vault_field')],
            },
        ),
    ]
