"""Activities: the two kinds of landing apart (40.2.1), outside the zone of application, and
a concentration of forces as a type of its own (40.3, 47.3).

The single `landing_troops` figure is moved, not dropped (decision 0023):

- an amphibious activity's figure becomes its `amphibious_troops`;
- every other activity's figure (an airborne activity, or a land exercise or transfer with a
  landing in it) becomes `airborne_troops`. The old field held "airborne or amphibious
  troops" without saying which, and the CLI added the two together; an airborne landing is the
  reading that keeps such an activity's answers as they were under the old field, and the
  figure stays visible for its State to correct.

Reversing keeps the larger of the two figures, never their sum: a sum was the error this
migration corrects.
"""

from django.db import migrations, models


def split_landing_troops(apps, schema_editor):  # type: ignore[no-untyped-def]
    Activity = apps.get_model("csbm", "Activity")
    for activity in Activity.objects.filter(landing_troops__isnull=False).only(
            "pk", "type", "landing_troops"):
        if activity.type == "amphibious":
            activity.amphibious_troops = activity.landing_troops
            activity.save(update_fields=["amphibious_troops"])
        else:
            activity.airborne_troops = activity.landing_troops
            activity.save(update_fields=["airborne_troops"])


def join_landing_troops(apps, schema_editor):  # type: ignore[no-untyped-def]
    Activity = apps.get_model("csbm", "Activity")
    landings = models.Q(amphibious_troops__isnull=False) | models.Q(airborne_troops__isnull=False)
    for activity in Activity.objects.filter(landings).only(
            "pk", "amphibious_troops", "airborne_troops"):
        activity.landing_troops = max(activity.amphibious_troops or 0,
                                      activity.airborne_troops or 0)
        activity.save(update_fields=["landing_troops"])


class Migration(migrations.Migration):

    dependencies = [
        ("csbm", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="amphibious_troops",
            field=models.PositiveIntegerField(blank=True, null=True,
                                              verbose_name="troops in an amphibious landing"),
        ),
        migrations.AddField(
            model_name="activity",
            name="airborne_troops",
            field=models.PositiveIntegerField(
                blank=True, null=True,
                verbose_name="troops in a parachute drop or heliborne landing"),
        ),
        migrations.RunPython(split_landing_troops, join_landing_troops),
        migrations.RemoveField(
            model_name="activity",
            name="landing_troops",
        ),
        migrations.AddField(
            model_name="activity",
            name="outside_zone",
            field=models.BooleanField(default=False,
                                      verbose_name="outside the zone of application"),
        ),
        migrations.AlterField(
            model_name="activity",
            name="type",
            field=models.CharField(
                choices=[("land", "land forces exercise"), ("amphibious", "amphibious landing"),
                         ("airborne", "heliborne landing or parachute assault"),
                         ("transfer", "transfer: arrival in the zone"),
                         ("concentration", "concentration of forces"),
                         ("air", "air activity")],
                default="land", max_length=16, verbose_name="type"),
        ),
    ]
