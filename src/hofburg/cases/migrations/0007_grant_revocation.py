# Revoked grants kept as history, for persons and situations; a working copy's media type;
# the access log's `revoke` entries (decision 0064).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_access_log_chain_and_tolerance'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='workingcopy',
            name='media_type',
            field=models.CharField(blank=True, max_length=100, verbose_name='media type'),
        ),
        migrations.AlterField(
            model_name='accesslog',
            name='action',
            field=models.CharField(choices=[('read', 'read'), ('export', 'export'), ('publish', 'publish'), ('erase', 'erase'), ('revoke', 'grant revoked'), ('prune', 'retention cut')], max_length=10),
        ),
        migrations.CreateModel(
            name='RevokedGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('user_label', models.CharField(max_length=150)),
                ('level', models.CharField(choices=[('restricted', 'restricted'), ('strictly_confidential', 'strictly confidential')], max_length=24)),
                ('granted_by_label', models.CharField(blank=True, max_length=150)),
                ('granted_at', models.DateTimeField()),
                ('revoked_by_label', models.CharField(max_length=150)),
                ('revoked_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('reason', models.TextField(verbose_name='reason')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revoked_grants', to='cases.person')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-revoked_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='RevokedSituationGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('user_label', models.CharField(max_length=150)),
                ('level', models.CharField(choices=[('restricted', 'restricted'), ('strictly_confidential', 'strictly confidential')], max_length=24)),
                ('granted_by_label', models.CharField(blank=True, max_length=150)),
                ('granted_at', models.DateTimeField()),
                ('revoked_by_label', models.CharField(max_length=150)),
                ('revoked_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('reason', models.TextField(verbose_name='reason')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('situation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revoked_grants', to='cases.situation')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-revoked_at', '-pk'],
            },
        ),
    ]
