"""The election observation desk's records.

A mission is a classified record owned by the mission's affiliation; everything else (its
members, teams and areas of responsibility, its polling-station frame, its forms, their
submissions and the frozen snapshots) is read through the mission, so `core.access` decides
once. Forms are kept per version: a
changed XLSForm is a new version and the submissions made with an old one stay readable.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hofburg.core.models import ClassifiedRecord
from hofburg.elections.engine.phases import Phase as EnginePhase
from hofburg.elections.engine.teams import TeamKind


def site_time_zone() -> str:
    """A new mission's time zone until it is given one: the site's."""
    return str(settings.TIME_ZONE)


class Mission(ClassifiedRecord):
    """An election observation mission (or a citizen observer group's PVT).

    `state` is the ISO 3166-1 alpha-2 code of the participating State observed, checked against
    the registry (an exercise State on an exercise mission; `elections.states`). `time_zone` is
    the zone of the country's clocks: the times clerks copy from paper forms are read in it."""

    class Phase(models.TextChoices):
        NEEDS_ASSESSMENT = EnginePhase.NEEDS_ASSESSMENT.value, _("needs assessment")
        DEPLOYMENT = EnginePhase.DEPLOYMENT.value, _("deployment")
        ELECTION_DAY = EnginePhase.ELECTION_DAY.value, _("election day")
        POST_ELECTION = EnginePhase.POST_ELECTION.value, _("post-election")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    state = models.CharField(_("State"), max_length=200)
    election_type = models.CharField(_("election type"), max_length=200, blank=True)
    election_date = models.DateField(_("election date"))
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices,
                             default=Phase.NEEDS_ASSESSMENT)
    time_zone = models.CharField(_("time zone"), max_length=64, default=site_time_zone)
    is_exercise = models.BooleanField(_("exercise data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-election_date", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def state_name(self) -> str:
        from hofburg.elections.states import state_name

        return state_name(self.state)


class Member(models.Model):
    """A person on a mission: core team, analyst, data clerk, long- or short-term observer."""

    class Role(models.TextChoices):
        CORE = "core", _("core team")
        ANALYST = "analyst", _("analyst")
        CLERK = "clerk", _("data clerk")
        LTO = "lto", _("long-term observer")
        STO = "sto", _("short-term observer")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="election_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    # The code of the observer's `Team` on the mission ("" for none): a label rather than a key,
    # as the submissions, the plan and the conflicts name teams.
    team = models.CharField(_("team"), max_length=40, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mission", "user"],
                                               name="elections_one_membership")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.mission_id}: {self.role}"


class Area(models.Model):
    """An area of responsibility: a named part of the country, as places of the mission's frame
    (`places`: `{"region": ..., "district": ...}` each, district "" for the whole region; the
    rules are `engine.areas`)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("name"), max_length=100)
    places = models.JSONField(_("regions and districts"), default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["mission", "name"],
                                               name="elections_one_area_name")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of observers, long- or short-term, in an area of responsibility. Its observers are
    the members whose `team` is its code and whose role is its kind (`engine.teams`: two once
    the team is complete)."""

    class Kind(models.TextChoices):
        LTO = TeamKind.LTO.value, _("long-term observers")
        STO = TeamKind.STO.value, _("short-term observers")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="teams")
    code = models.CharField(_("team"), max_length=40)
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="teams", verbose_name=_("area of responsibility"))

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["mission", "code"],
                                               name="elections_one_team_code")]

    def __str__(self) -> str:
        return self.code


class Station(models.Model):
    """A polling station of the mission's sampling frame."""

    class Area(models.TextChoices):
        URBAN = "urban", _("urban")
        RURAL = "rural", _("rural")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="stations")
    station_id = models.CharField(_("station id"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    region = models.CharField(_("region"), max_length=200)
    district = models.CharField(_("district"), max_length=200, blank=True)
    urban_rural = models.CharField(_("urban or rural"), max_length=5, choices=Area.choices)
    registered_voters = models.PositiveIntegerField(_("registered voters"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)

    class Meta:
        ordering = ["station_id"]
        constraints = [models.UniqueConstraint(fields=["mission", "station_id"],
                                               name="elections_one_station_id")]

    def __str__(self) -> str:
        return self.station_id


class Form(models.Model):
    """One version of an observation form: the XLSForm as uploaded and the XForm made from it.

    `questions` lists what the tally counts: name, type and choice names, in form order.
    `fields` names every field the XLSForm declares (its metadata such as `start` and `end`
    too, notes and the record's own meta/instanceID aside), in form order: the exports'
    columns."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="forms")
    form_id = models.CharField(_("form id"), max_length=100)
    version = models.CharField(_("version"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    xform = models.TextField(_("XForm"))
    md5 = models.CharField(_("MD5 of the XForm"), max_length=32)
    questions = models.JSONField(_("questions"), default=list)
    fields = models.JSONField(_("fields"), default=list)
    xlsform = models.BinaryField(_("XLSForm"))
    xlsform_name = models.CharField(_("XLSForm file name"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["form_id", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["form_id", "version"],
                                               name="elections_one_form_version")]

    def __str__(self) -> str:
        return f"{self.form_id} v{self.version}"


class Submission(models.Model):
    """One filled-in form, whatever the channel; unique on its `meta/instanceID`."""

    class Channel(models.TextChoices):
        ODK = "odk", _("ODK Collect")
        WEB = "web", _("web form")
        PAPER = "paper", _("paper, entered by a clerk")
        PHONE = "phone", _("phone-in, entered by a clerk")
        PEN = "pen", _("digital pen")

    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="submissions")
    instance_id = models.CharField(_("instance id"), max_length=100, unique=True)
    xml = models.TextField(_("submission XML"))
    data = models.JSONField(_("answers"), default=dict)
    station_id = models.CharField(_("station id"), max_length=40, blank=True)
    team = models.CharField(_("team"), max_length=40, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices,
                               default=Channel.ODK)
    device = models.CharField(_("device"), max_length=200, blank=True)
    # When the observation was made: the form's `end` (else `start`) from ODK Collect or Enketo;
    # for a paper or phoned-in form, the time the data clerk copied from it (decision 0071).
    captured_at = models.DateTimeField(_("captured at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return self.instance_id


# The channels of a data clerk's entry: a paper form typed in, a form read out on the phone.
CLERK_CHANNELS = (Submission.Channel.PAPER.value, Submission.Channel.PHONE.value)


class Attachment(models.Model):
    """A media part sent with a submission (a photo of the results protocol)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE,
                                   related_name="attachments")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("content"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "name"],
                                               name="elections_one_attachment_name")]

    def __str__(self) -> str:
        return self.name


class Resolution(models.Model):
    """An analyst's choice of the form that stands for a paired observers' conflict: two forms
    of the same form id, station and team that disagree (`engine.pairs`)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="resolutions")
    form_id = models.CharField(_("form id"), max_length=100)
    station_id = models.CharField(_("station id"), max_length=40)
    team = models.CharField(_("team"), max_length=40)
    chosen = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(_("resolved at"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mission", "form_id", "station_id", "team"],
                                               name="elections_one_resolution_per_pair")]

    def __str__(self) -> str:
        return f"{self.form_id} {self.station_id} {self.team}"


class Snapshot(models.Model):
    """The submissions of a form (all its versions) received up to a cut-off, frozen as
    canonical JSON with its SHA-256: statement figures are computed from it, reproducibly."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="snapshots")
    form_id = models.CharField(_("form id"), max_length=100)
    cutoff = models.DateTimeField(_("cut-off"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    forms = models.PositiveIntegerField(_("forms"))
    content = models.TextField(_("frozen content"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Not stored: the content as parsed, on the instance `freeze` has just made from it, so that
    # the figures asked for at once need not parse again what was just written.
    parsed_content: dict[str, Any] | None = None

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mission", "form_id", "cutoff"],
                                               name="elections_one_snapshot_per_cutoff")]

    def __str__(self) -> str:
        return f"{self.form_id} at {self.cutoff.isoformat()}"


class Assignment(models.Model):
    """The deployment plan: a team is to cover a polling station on a day.

    The station is named by its `station_id` (not a key to the frame's row) so that a re-imported
    frame keeps the plan; the service checks the id against the frame when the plan is made."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="assignments")
    team = models.CharField(_("team"), max_length=40)
    station_id = models.CharField(_("station id"), max_length=40)
    day = models.DateField(_("day"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["day", "team", "station_id"]
        constraints = [models.UniqueConstraint(fields=["mission", "team", "station_id", "day"],
                                               name="elections_one_assignment")]

    def __str__(self) -> str:
        return f"{self.team} {self.station_id} {self.day.isoformat()}"


class DeviceToken(models.Model):
    """A secret a coordinator issues for one observer's device, to provision ODK Collect by QR
    code: the device signs in to OpenRosa with the observer's username and the token in place
    of the password. Only its SHA-256 is stored; it works for the one mission, until it expires
    or is revoked."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="device_tokens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="election_device_tokens")
    label = models.CharField(_("device"), max_length=100)
    key_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.user_id})"


class PvtSetup(models.Model):
    """How a mission's parallel vote tabulation reads its results: the results form and the
    fields that hold each candidate's votes, the strata (frame columns), the sampled stations,
    and the valid-report rule (which results count as reported)."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="pvt")
    form_id = models.CharField(_("results form"), max_length=100)
    candidates = models.JSONField(_("candidate fields"), default=list)
    strata = models.JSONField(_("strata"), default=list)
    sample = models.JSONField(_("sampled stations"), default=list)
    min_valid = models.PositiveIntegerField(_("minimum valid votes"), default=1)
    require_registered = models.BooleanField(_("registered voters required"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    def __str__(self) -> str:
        return f"PVT of {self.mission_id}"
