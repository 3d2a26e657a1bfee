from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_idempotent_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="request_id",
            field=models.CharField(blank=True, db_index=True, max_length=64, verbose_name="request id"),
        ),
    ]
