# Protection cases (trafficking, gender-based violence, Roma and Sinti; HTCDS 2.0) and HCNM
# situations with indicator observations and escalation assessments (decision 0050).

import django.db.models.deletion
import hofburg.core.models.classification
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_evidence_and_erasure'),
        ('core', '0005_idempotent_requests'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProtectionCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('classification', hofburg.core.models.classification.ClassificationField(db_index=True, default='restricted', verbose_name='classification')),
                ('case_id', models.CharField(max_length=20, unique=True, verbose_name='case id')),
                ('concern', models.CharField(db_index=True, max_length=30, verbose_name='concern')),
                ('country', models.CharField(db_index=True, max_length=2, verbose_name='country (ISO alpha-2)')),
                ('opened_on', models.DateField(verbose_name='opened on')),
                ('code_version', models.CharField(max_length=10, verbose_name='code list version')),
                ('status', models.CharField(default='active', max_length=20, verbose_name='case status')),
                ('closure_reason', models.TextField(blank=True, verbose_name='reason for case closure')),
                ('trafficking_status', models.CharField(blank=True, max_length=20, verbose_name='trafficking status')),
                ('status_decided_by', models.CharField(blank=True, max_length=30, verbose_name='status decided by')),
                ('consent', models.BooleanField(default=False, verbose_name='consent recorded')),
                ('gender', models.CharField(blank=True, max_length=30, verbose_name='gender')),
                ('age_at_exploitation', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='age when trafficked')),
                ('citizenship', models.JSONField(default=list, verbose_name='citizenship')),
                ('relationship_to_trafficker', models.CharField(blank=True, max_length=20, verbose_name='relationship to trafficker')),
                ('exploitation_types', models.JSONField(default=list, verbose_name='types of exploitation')),
                ('recruitment_methods', models.JSONField(default=list, verbose_name='methods of recruitment')),
                ('control_methods', models.JSONField(default=list, verbose_name='methods of control')),
                ('summary', models.TextField(blank=True, verbose_name='summary')),
                ('is_exercise', models.BooleanField(default=False, verbose_name='exercise data')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('owner_affiliation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation', verbose_name='owner')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='protection_cases', to='cases.person')),
                ('shared_with', models.ManyToManyField(blank=True, related_name='+', to='core.affiliation', verbose_name='shared with')),
            ],
            options={
                'ordering': ['-opened_on', 'case_id'],
            },
        ),
        migrations.CreateModel(
            name='CaseMovement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20, verbose_name='kind')),
                ('country', models.CharField(max_length=2, verbose_name='country (ISO alpha-2)')),
                ('on', models.DateField(blank=True, null=True, verbose_name='date')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='movements', to='cases.protectioncase')),
            ],
            options={
                'ordering': ['on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Assistance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=40, verbose_name='type')),
                ('objectives', models.TextField(blank=True, verbose_name='objectives')),
                ('started_on', models.DateField(verbose_name='started on')),
                ('planned_end', models.DateField(blank=True, null=True, verbose_name='planned end')),
                ('actual_end', models.DateField(blank=True, null=True, verbose_name='actual end')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assistance', to='cases.protectioncase')),
            ],
            options={
                'ordering': ['started_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Referral',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('direction', models.CharField(max_length=10, verbose_name='direction')),
                ('organisation', models.CharField(max_length=300, verbose_name='organisation')),
                ('organisation_type', models.CharField(blank=True, max_length=30, verbose_name='organisation type')),
                ('on', models.DateField(verbose_name='date')),
                ('reason', models.CharField(max_length=30, verbose_name='reason')),
                ('details', models.TextField(blank=True, verbose_name='details')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='referrals', to='cases.protectioncase')),
            ],
            options={
                'ordering': ['on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='RiskAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('assessed_on', models.DateField(verbose_name='assessed on')),
                ('level', models.CharField(max_length=20, verbose_name='section')),
                ('factors', models.JSONField(default=list, verbose_name='risk factors')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='risk_assessments', to='cases.protectioncase')),
            ],
            options={
                'ordering': ['assessed_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Situation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('classification', hofburg.core.models.classification.ClassificationField(db_index=True, default='restricted', verbose_name='classification')),
                ('situation_id', models.CharField(max_length=20, unique=True, verbose_name='situation id')),
                ('state', models.CharField(db_index=True, max_length=2, verbose_name='State (ISO alpha-2)')),
                ('region', models.CharField(blank=True, max_length=200, verbose_name='region')),
                ('communities', models.JSONField(default=list, verbose_name='communities concerned')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('opened_on', models.DateField(verbose_name='followed since')),
                ('code_version', models.CharField(max_length=10, verbose_name='code list version')),
                ('is_exercise', models.BooleanField(default=False, verbose_name='exercise data')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('owner_affiliation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation', verbose_name='owner')),
                ('shared_with', models.ManyToManyField(blank=True, related_name='+', to='core.affiliation', verbose_name='shared with')),
            ],
            options={
                'ordering': ['state', 'situation_id'],
            },
        ),
        migrations.CreateModel(
            name='IndicatorObservation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('indicator', models.CharField(max_length=40, verbose_name='indicator')),
                ('observed_on', models.DateField(verbose_name='observed on')),
                ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='value')),
                ('level', models.CharField(blank=True, max_length=20, verbose_name='level')),
                ('source', models.TextField(verbose_name='source')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('situation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='observations', to='cases.situation')),
            ],
            options={
                'ordering': ['observed_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='EscalationAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.CharField(max_length=30, verbose_name='escalation level')),
                ('reason', models.TextField(verbose_name='reason')),
                ('assessed_by_label', models.CharField(max_length=150, verbose_name='assessed by')),
                ('assessed_at', models.DateTimeField(verbose_name='assessed at')),
                ('assessed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('situation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='cases.situation')),
            ],
            options={
                'ordering': ['assessed_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='SituationGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.CharField(choices=[('restricted', 'restricted'), ('strictly_confidential', 'strictly confidential')], default='restricted', max_length=24)),
                ('granted_at', models.DateTimeField(auto_now_add=True)),
                ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('situation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='grants', to='cases.situation')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='situation_grants', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('situation', 'user'), name='cases_one_situation_grant')],
            },
        ),
    ]
