# Media-freedom alerts with the State's reply and the follow-up log (decision 0041).

import django.db.models.deletion
import hofburg.core.models.classification
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_hate_crime'),
        ('core', '0005_idempotent_requests'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Alert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('classification', hofburg.core.models.classification.ClassificationField(db_index=True, default='restricted', verbose_name='classification')),
                ('alert_id', models.CharField(max_length=20, unique=True, verbose_name='alert id')),
                ('country', models.CharField(db_index=True, max_length=2, verbose_name='country (ISO alpha-2)')),
                ('submitted_on', models.DateField(verbose_name='submitted on')),
                ('occurred_on', models.DateField(blank=True, null=True, verbose_name='date')),
                ('violations', models.JSONField(default=list, verbose_name='violations')),
                ('coe_categories', models.JSONField(default=list, verbose_name='CoE categories')),
                ('perpetrator_type', models.CharField(max_length=20, verbose_name='perpetrator type')),
                ('media_actor_type', models.CharField(max_length=100, verbose_name='media actor type')),
                ('severity', models.CharField(max_length=10, verbose_name='severity')),
                ('verification', models.CharField(default='unverified', max_length=12, verbose_name='verification')),
                ('partner', models.CharField(max_length=200, verbose_name='submitting partner')),
                ('summary', models.TextField(verbose_name='summary')),
                ('is_exercise', models.BooleanField(default=False, verbose_name='exercise data')),
                ('owner_affiliation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation', verbose_name='owner')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='alerts', to='cases.person')),
                ('shared_with', models.ManyToManyField(blank=True, related_name='+', to='core.affiliation', verbose_name='shared with')),
            ],
            options={
                'ordering': ['-submitted_on', 'alert_id'],
            },
        ),
        migrations.CreateModel(
            name='FollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('on', models.DateField(verbose_name='date')),
                ('note', models.TextField(verbose_name='note')),
                ('alert', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='cases.alert')),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='StateReply',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received_on', models.DateField(verbose_name='received on')),
                ('text', models.TextField(verbose_name='reply')),
                ('alert', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='cases.alert')),
            ],
            options={
                'ordering': ['received_on', 'pk'],
            },
        ),
    ]
