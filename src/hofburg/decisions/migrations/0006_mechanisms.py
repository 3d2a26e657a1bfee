# The States concerned by an exception to consensus; invocations of the mechanisms States invoke
# alone, with the invoking States (decision 0069).

import django.db.models.deletion
import hofburg.core.models.classification
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        # The affiliations it refers to; not core's later moves (0006, 0007): an older
        # archive restores with core at 0005, as for the desk's first migration.
        ('core', '0005_idempotent_requests'),
        ('decisions', '0005_silence_placements'),
        ('registry', '0002_statusevent_date_precision'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Invocation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('classification', hofburg.core.models.classification.ClassificationField(db_index=True, default='restricted', verbose_name='classification')),
                ('source', models.CharField(blank=True, max_length=500, verbose_name='source')),
                ('confidence', models.CharField(blank=True, choices=[('confirmed', 'confirmed'), ('secondary', 'secondary'), ('unconfirmed', 'unconfirmed'), ('disputed', 'disputed')], max_length=12, verbose_name='confidence')),
                ('mechanism', models.CharField(db_index=True, max_length=32, verbose_name='mechanism')),
                ('invoked_on', models.DateField(db_index=True, verbose_name='invoked on')),
                ('body', models.CharField(blank=True, choices=[('PC', 'Permanent Council'), ('FSC', 'Forum for Security Co-operation'), ('MC', 'Ministerial Council'), ('SUMMIT', 'Summit')], max_length=8, verbose_name='body')),
                ('summary', models.TextField(max_length=2000, verbose_name='summary')),
                ('is_exercise', models.BooleanField(default=False, verbose_name='exercise data')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='invocations', to='decisions.meeting')),
                ('owner_affiliation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation', verbose_name='owner')),
                ('shared_with', models.ManyToManyField(blank=True, related_name='+', to='core.affiliation', verbose_name='shared with')),
            ],
            options={
                'verbose_name': 'invocation of a mechanism',
                'verbose_name_plural': 'invocations of mechanisms',
                'ordering': ['-invoked_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ConcernedState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=1, verbose_name='order')),
                ('delegation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation')),
                ('draft', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='states_concerned', to='decisions.draft')),
                ('state', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.participatingstate')),
            ],
            options={
                'ordering': ['draft', 'position'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('delegation__isnull', True), ('state__isnull', False)), models.Q(('delegation__isnull', False), ('state__isnull', True)), _connector='OR'), name='decisions_concerned_state_or_delegation'), models.UniqueConstraint(fields=('draft', 'state'), name='decisions_one_concerned_row_per_state'), models.UniqueConstraint(fields=('draft', 'delegation'), name='decisions_one_concerned_row_per_delegation')],
            },
        ),
        migrations.CreateModel(
            name='InvokingState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=1, verbose_name='order')),
                ('delegation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.affiliation')),
                ('invocation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invoking_states', to='decisions.invocation')),
                ('state', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.participatingstate')),
            ],
            options={
                'ordering': ['invocation', 'position'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('delegation__isnull', True), ('state__isnull', False)), models.Q(('delegation__isnull', False), ('state__isnull', True)), _connector='OR'), name='decisions_invoking_state_or_delegation'), models.UniqueConstraint(fields=('invocation', 'state'), name='decisions_one_invoking_row_per_state'), models.UniqueConstraint(fields=('invocation', 'delegation'), name='decisions_one_invoking_row_per_delegation')],
            },
        ),
    ]
