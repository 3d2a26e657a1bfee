"""Teams and areas of responsibility, the mission's State as a registry code and its time zone,
and every form's field names for the exports (decision 0071).

The data already stored is carried over:

- a mission's State becomes the registry's ISO code when its text is a participating State's
  code or its name in one of the registry's languages, and `XE` on an exercise mission (the
  exercise State). A text the registry does not know is kept as it was typed: nothing is
  guessed, and the page shows it as it stands;
- every team label members carry becomes a team of the mission: of long-term observers when its
  observers are all LTOs, of short-term observers otherwise;
- every form version's field names are read from its XLSForm again with pyxform (the walk of
  `services.forms.field_names` as it stands today); a form pyxform no longer reads keeps the
  names of its questions.
"""

import django.db.models.deletion
from django.db import migrations, models

import hofburg.elections.models

OBSERVER_ROLES = ("lto", "sto")
RECORD_META = {"instanceID", "instanceName", "deprecatedID"}


def states_as_codes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Mission = apps.get_model("elections", "Mission")
    ParticipatingState = apps.get_model("registry", "ParticipatingState")
    codes = {}
    for iso2, names in ParticipatingState.objects.values_list("iso2", "names"):
        codes[iso2.lower()] = iso2
        for name in (names or {}).values():
            codes.setdefault(str(name).strip().lower(), iso2)
    for mission in Mission.objects.all().only("pk", "state", "is_exercise"):
        code = "XE" if mission.is_exercise else codes.get(mission.state.strip().lower())
        if code is not None and code != mission.state:
            mission.state = code
            mission.save(update_fields=["state"])


def teams_from_members(apps, schema_editor):  # type: ignore[no-untyped-def]
    Member = apps.get_model("elections", "Member")
    Team = apps.get_model("elections", "Team")
    roles = {}
    for mission_id, team, role in Member.objects.exclude(team="").values_list(
            "mission_id", "team", "role"):
        roles.setdefault((mission_id, team), set()).add(role)
    for (mission_id, team), found in sorted(roles.items()):
        observers = found & set(OBSERVER_ROLES)
        Team.objects.get_or_create(mission_id=mission_id, code=team, defaults={
            "kind": "lto" if observers == {"lto"} else "sto"})


def _names(children, in_meta=False):  # type: ignore[no-untyped-def]
    found = []
    for child in children:
        kind, name = str(child.get("type", "")), str(child.get("name", ""))
        if kind == "group":
            found.extend(_names(child.get("children", []), name == "meta"))
        elif kind not in ("repeat", "note") and name and not (in_meta and name in RECORD_META):
            found.append(name)
    return found


def form_fields(apps, schema_editor):  # type: ignore[no-untyped-def]
    from pyxform.xls2xform import convert

    Form = apps.get_model("elections", "Form")
    for form in Form.objects.all().only("pk", "xlsform", "xlsform_name", "questions"):
        content = bytes(form.xlsform)
        try:
            if form.xlsform_name.lower().endswith(".md"):
                result = convert(content.decode("utf-8"), file_type=".md")
            else:
                result = convert(content, file_type=".xlsx")
            names = _names(result._pyxform.get("children", []))
        except Exception:  # a form the pyxform of today no longer reads
            names = [q["name"] for q in form.questions]
        form.fields = names
        form.save(update_fields=["fields"])


class Migration(migrations.Migration):

    dependencies = [
        ('elections', '0002_boards_and_device_tokens'),
        ('registry', '0002_statusevent_date_precision'),
    ]

    operations = [
        migrations.AddField(
            model_name='form',
            name='fields',
            field=models.JSONField(default=list, verbose_name='fields'),
        ),
        migrations.AddField(
            model_name='mission',
            name='time_zone',
            field=models.CharField(default=hofburg.elections.models.site_time_zone, max_length=64, verbose_name='time zone'),
        ),
        migrations.CreateModel(
            name='Area',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('places', models.JSONField(default=list, verbose_name='regions and districts')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('mission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='areas', to='elections.mission')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Team',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, verbose_name='team')),
                ('kind', models.CharField(choices=[('lto', 'long-term observers'), ('sto', 'short-term observers')], max_length=3, verbose_name='kind')),
                ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='teams', to='elections.area', verbose_name='area of responsibility')),
                ('mission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='teams', to='elections.mission')),
            ],
            options={
                'ordering': ['code'],
            },
        ),
        migrations.AddConstraint(
            model_name='area',
            constraint=models.UniqueConstraint(fields=('mission', 'name'), name='elections_one_area_name'),
        ),
        migrations.AddConstraint(
            model_name='team',
            constraint=models.UniqueConstraint(fields=('mission', 'code'), name='elections_one_team_code'),
        ),
        migrations.RunPython(states_as_codes, migrations.RunPython.noop),
        migrations.RunPython(teams_from_members, migrations.RunPython.noop),
        migrations.RunPython(form_fields, migrations.RunPython.noop),
    ]
