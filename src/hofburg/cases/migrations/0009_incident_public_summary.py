# The short public summary an analyst writes for an incident against people, published beside
# the hate-crime table (decision 0065).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_sealed_free_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="public_summary",
            field=models.TextField(blank=True, default="", verbose_name="public summary"),
        ),
    ]
