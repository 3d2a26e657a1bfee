"""Observation forms: an XLSForm converted to an XForm with pyxform, kept per version.

The XLSForm's `settings` sheet names the form (`form_id`) and its `version`; without a
version the form gets one from the time of upload (as ODK Central does), so that every XForm
Collect downloads carries one. The same form id and version with different content is refused:
a changed form must say it is a new version. Uploading the very same form again changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.services.audit import record_change
from hofburg.elections import bounds, permissions
from hofburg.elections.models import Form, Mission

_VERSION_ATTRIBUTE = re.compile(r'(<data\b[^>]*\bid="[^"]*")')
_SELECTS = {"select one": "select_one", "select all that apply": "select_multiple"}
_NOT_QUESTIONS = {"note", "calculate", "start", "end", "today", "deviceid", "username",
                  "phonenumber", "simserial", "subscriberid", "audit"}


def _questions(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for child in children:
        kind = str(child.get("type", ""))
        if kind in ("group", "repeat"):
            if child.get("name") != "meta" and kind == "group":
                found.extend(_questions(child.get("children", [])))
            continue
        if kind in _NOT_QUESTIONS:
            continue
        choices = [str(c["name"]) for c in child.get("choices", []) if "name" in c]
        label = child.get("label", "")
        found.append({"name": str(child["name"]), "type": _SELECTS.get(kind, kind),
                      "choices": choices,
                      # a text, or {"English (en)": ..., "Français (fr)": ...} per language
                      "label": label if isinstance(label, (str, dict)) else str(label)})
    return found


# The record's own identity in meta/, which the exports give as `instance_id` (or not at all).
_RECORD_META = {"instanceID", "instanceName", "deprecatedID"}


def field_names(children: list[dict[str, Any]], *, in_meta: bool = False) -> list[str]:
    """Every field the XLSForm declares, in form order: questions, calculations and the
    metadata it asks for (`start`, `end`, `today`, `deviceid`, `audit`, ...), groups flattened.
    Left out: notes (they hold no answer), repeats (a submission keeps one value per name) and
    the record's identity in meta/."""
    found: list[str] = []
    for child in children:
        kind, name = str(child.get("type", "")), str(child.get("name", ""))
        if kind == "group":
            found.extend(field_names(child.get("children", []), in_meta=name == "meta"))
        elif kind not in ("repeat", "note") and name and not (in_meta and name in _RECORD_META):
            found.append(name)
    return found


def convert_xlsform(content: bytes, filename: str = "") -> dict[str, Any]:
    """form_id, title, version (None if the form gives none), xform, questions and fields; Invalid
    with pyxform's own message for a bad XLSForm. An `.md` file name means pyxform's markdown
    notation of an XLSForm (the desk's checklists under data/elections/); anything else .xlsx."""
    if len(content) > bounds.MAX_XLSFORM_BYTES:
        raise Invalid("The XLSForm is too large.", field="file")
    try:
        if filename.lower().endswith(".md"):
            result = convert(content.decode("utf-8"), file_type=".md")
        else:
            result = convert(content, file_type=".xlsx")
    except PyXFormError as exc:
        raise Invalid(f"Not a valid XLSForm: {exc}", field="file") from exc
    except UnicodeDecodeError as exc:
        raise Invalid("The markdown XLSForm is not UTF-8 text.", field="file") from exc
    except Exception as exc:  # a file that is no workbook at all: openpyxl's own errors
        raise Invalid(f"Not a readable .xlsx workbook: {exc}", field="file") from exc
    definition: dict[str, Any] = result._pyxform
    form_id = str(definition.get("id_string") or "")
    version = definition.get("version")
    if not form_id or len(form_id) > bounds.MAX_FORM_ID_LENGTH:
        raise Invalid(f"The form id must have 1 to {bounds.MAX_FORM_ID_LENGTH} characters.",
                      field="file")
    if version is not None and (not str(version) or len(str(version)) > bounds.MAX_VERSION_LENGTH):
        raise Invalid(f"The version must have 1 to {bounds.MAX_VERSION_LENGTH} characters.",
                      field="file")
    return {"form_id": form_id, "title": str(definition.get("title") or form_id),
            "version": None if version is None else str(version), "xform": result.xform,
            "questions": _questions(definition.get("children", [])),
            "fields": field_names(definition.get("children", []))}


def _with_version(xform: str, version: str) -> str:
    return _VERSION_ATTRIBUTE.sub(lambda m: f'{m.group(1)} version="{version}"', xform, count=1)


def add_form(user: AnyUser | None, mission: Mission, content: bytes, filename: str = ""
             ) -> tuple[Form, bool]:
    """Add a form (or a new version of one) to `mission`; (form, created). `user` None is the
    operator at the server's command line, who may act on every mission."""
    if user is not None and not permissions.may_manage(user, mission):
        raise AccessDenied("Only the mission's managers may add forms.")
    converted = convert_xlsform(content, filename)
    form_id = converted["form_id"]
    other = Form.objects.filter(form_id=form_id).exclude(mission=mission).first()
    if other is not None:
        raise Conflict(f"The form id {form_id} belongs to another mission: give the form its "
                       "own form_id in the settings sheet.", field="file")
    version = converted["version"]
    xform = converted["xform"]
    if version is None:
        version = timezone.now().strftime("%Y%m%d%H%M%S")
        xform = _with_version(xform, version)
        unversioned = hashlib.md5(converted["xform"].encode()).hexdigest()  # noqa: S324
        same = [f for f in Form.objects.filter(mission=mission, form_id=form_id)
                if hashlib.md5(f.xform.replace(f' version="{f.version}"', "", 1).encode())  # noqa: S324
                .hexdigest() == unversioned]
        if same:
            return same[0], False
    md5 = hashlib.md5(xform.encode()).hexdigest()  # noqa: S324 -- OpenRosa's form hash is MD5
    existing = Form.objects.filter(form_id=form_id, version=version).first()
    if existing is not None:
        if existing.md5 == md5:
            return existing, False
        raise Conflict(f"Version {version} of {form_id} exists with other content: give the "
                       "changed form a new version in the settings sheet.", field="file")
    with transaction.atomic():
        form = Form.objects.create(
            mission=mission, form_id=form_id, version=version, title=converted["title"],
            xform=xform, md5=md5, questions=converted["questions"],
            fields=converted["fields"], xlsform=content,
            xlsform_name=filename[:300],
            created_by=user if user is not None and user.is_authenticated else None)
        record_change(user, "create", form, None,
                      {"mission": mission.code, "form_id": form_id, "version": version,
                       "md5": md5})
    return form, True
