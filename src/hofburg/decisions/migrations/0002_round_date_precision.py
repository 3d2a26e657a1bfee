# A round whose source gives only the month.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='negotiationround',
            name='date_precision',
            field=models.CharField(choices=[('day', 'day'), ('month', 'month only')], default='day', max_length=5, verbose_name='date precision'),
        ),
    ]
