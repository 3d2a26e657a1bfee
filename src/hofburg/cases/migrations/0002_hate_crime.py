# Hate-crime data: official State figures apart from civil-society incidents (decision 0041).

import django.db.models.deletion
import hofburg.core.models.classification
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0001_initial'),
        ('core', '0005_idempotent_requests'),
    ]

    operations = [
        migrations.CreateModel(
            name='Incident',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('classification', hofburg.core.models.classification.ClassificationField(db_index=True, default='restricted', verbose_name='classification')),
                ('incident_id', models.CharField(max_length=20, unique=True, verbose_name='incident id')),
                ('reporting_year', models.PositiveSmallIntegerField(db_index=True, verbose_name='reporting year')),
                ('country', models.CharField(db_index=True, max_length=2, verbose_name='country (ISO alpha-2)')),
                ('occurred_on', models.DateField(blank=True, null=True, verbose_name='date')),
                ('incident_type', models.CharField(max_length=60, verbose_name='incident type')),
                ('target', models.CharField(max_length=10, verbose_name='target')),
                ('bias_motivations', models.JSONField(default=list, verbose_name='bias motivations')),
                ('other_bias', models.CharField(blank=True, max_length=300, verbose_name='other bias')),
                ('indicators', models.TextField(blank=True, verbose_name='bias indicators')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('victim_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='victims')),
                ('source_org', models.CharField(max_length=300, verbose_name='source organisation')),
                ('source_kind', models.CharField(choices=[('cso', 'civil society organisation'), ('igo', 'international organisation'), ('holy_see', 'Holy See'), ('field_operation', 'OSCE field operation')], max_length=20, verbose_name='source kind')),
                ('stage', models.CharField(db_index=True, default='received', max_length=20, verbose_name='stage')),
                ('screening', models.CharField(default='pending', max_length=40, verbose_name='screening decision')),
                ('screening_reason', models.TextField(blank=True, verbose_name='reason')),
                ('is_exercise', models.BooleanField(default=False, verbose_name='exercise data')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('owner_affiliation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation', verbose_name='owner')),
                ('shared_with', models.ManyToManyField(blank=True, related_name='+', to='core.affiliation', verbose_name='shared with')),
            ],
            options={
                'ordering': ['-reporting_year', 'incident_id'],
                'indexes': [models.Index(fields=['country', 'reporting_year', 'stage'], name='cases_incident_filter')],
            },
        ),
        migrations.CreateModel(
            name='OfficialStatistic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('classification', hofburg.core.models.classification.ClassificationField(db_index=True, default='restricted', verbose_name='classification')),
                ('state', models.CharField(max_length=2, verbose_name='State (ISO alpha-2)')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('stage', models.CharField(choices=[('recorded_by_police', 'recorded by police'), ('prosecuted', 'prosecuted'), ('sentenced', 'sentenced')], max_length=20, verbose_name='criminal-justice stage')),
                ('bias_motivation', models.CharField(max_length=60, verbose_name='bias motivation')),
                ('count', models.PositiveIntegerField(blank=True, null=True, verbose_name='count')),
                ('point_of_contact', models.CharField(blank=True, max_length=200, verbose_name='national point of contact')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                ('is_exercise', models.BooleanField(default=False, verbose_name='exercise data')),
                ('owner_affiliation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation', verbose_name='owner')),
                ('shared_with', models.ManyToManyField(blank=True, related_name='+', to='core.affiliation', verbose_name='shared with')),
            ],
            options={
                'ordering': ['state', 'year', 'stage', 'bias_motivation'],
                'constraints': [models.UniqueConstraint(fields=('state', 'year', 'stage', 'bias_motivation'), name='cases_one_official_figure')],
            },
        ),
    ]
