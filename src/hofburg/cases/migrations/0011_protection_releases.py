# The protection table released once per year and frozen (decision 0076).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_erasure_text_sealed_and_digests_erased'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProtectionRelease',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('is_exercise', models.BooleanField(default=False, verbose_name='exercise data')),
                ('number', models.PositiveIntegerField(verbose_name='release')),
                ('rows', models.JSONField()),
                ('counted', models.PositiveIntegerField()),
                ('k', models.PositiveSmallIntegerField()),
                ('released_by_label', models.CharField(max_length=150, verbose_name='released by')),
                ('released_at', models.DateTimeField(verbose_name='released at')),
                ('reason', models.TextField(verbose_name='reason')),
                ('owner_affiliation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation')),
                ('released_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['owner_affiliation', 'year', 'is_exercise', '-number'],
                'constraints': [models.UniqueConstraint(fields=('owner_affiliation', 'year', 'is_exercise', 'number'), name='cases_one_protection_release_number')],
            },
        ),
    ]
