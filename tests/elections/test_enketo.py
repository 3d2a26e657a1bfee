"""Web entry with Enketo: the XForm made into enketo-core's form and model on the server, the
page that runs it, and the session-signed submission address that stores through the one
intake service, idempotent on meta/instanceID, with the channel `web`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from lxml import etree
from lxml import html as lxml_html

from hofburg.elections.enketo.transform import (
    TRANSFORMER_VERSION,
    EnketoForm,
    XFormNotRenderable,
    to_enketo,
)
from hofburg.elections.enketo.views import rendered
from hofburg.elections.models import Submission
from hofburg.elections.services.forms import add_form, convert_xlsform
from tests.conftest import Cast
from tests.elections.samples import Eom, eom, submission_xml, xlsform

CHECKLISTS = sorted(Path("data/elections").glob("[!R]*.md"))


def _names(form_html: str) -> set[str]:
    return set(lxml_html.fromstring(form_html).xpath("//*[@name]/@name"))


@pytest.mark.parametrize("checklist", CHECKLISTS, ids=lambda p: p.stem)
def test_every_checklist_of_the_desk_renders_with_a_field_for_each_question(
        checklist: Path) -> None:
    converted = convert_xlsform(checklist.read_bytes(), checklist.name)
    made = to_enketo(converted["xform"])
    names = _names(made.form)
    for question in converted["questions"]:
        assert any(n.endswith("/" + question["name"]) for n in names), question["name"]
    form = lxml_html.fromstring(made.form)
    assert form.tag == "form" and "or" in form.get("class", "").split()
    assert made.title == converted["title"]
    model = etree.fromstring(made.model.encode())
    assert model.tag == "model"  # in no namespace, as enketo-core reads it
    primary = model.find("instance")[0]  # type: ignore[index]
    assert primary.get("id") == converted["form_id"]
    assert primary.get("version") == str(converted["version"])
    assert primary.find("meta/instanceID") is not None


def test_select_choices_come_from_the_itemsets() -> None:
    converted = convert_xlsform(Path("data/elections/voting.md").read_bytes(), "voting.md")
    form = lxml_html.fromstring(to_enketo(converted["xform"]).form)
    template = form.xpath('//*[@data-items-path="instance(\'yesno\')/root/item"]')
    assert template, "the yes/no itemset template"
    labels = form.xpath('//*[contains(@class, "itemset-labels")]')
    assert labels and labels[0].get("data-value-ref") == "name"
    assert labels[0].get("data-label-ref") == "label"


def test_the_form_has_no_inline_style_or_script_for_the_csp() -> None:
    converted = convert_xlsform(Path("data/elections/counting.md").read_bytes(), "counting.md")
    made = to_enketo(converted["xform"])
    form = lxml_html.fromstring(made.form)
    assert not form.xpath("//*[@style]")
    assert not form.xpath("//script | //style")
    assert not [a for e in form.iter() if isinstance(e.tag, str) for a in e.attrib
                if a.lower().startswith("on")]
    # the stylesheet's hidden fieldsets stay hidden, by attribute
    assert form.xpath('//fieldset[@id="or-preload-items"][@hidden]')


def test_a_label_with_markup_is_shown_as_text_never_run() -> None:
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    converted = convert_xlsform(xlsform(extra=[["text", "remarks", hostile]]), "f.xlsx")
    made = to_enketo(converted["xform"])
    form = lxml_html.fromstring(made.form)
    assert not form.xpath("//script | //img")
    label = form.xpath('//input[@name="/data/remarks"]/preceding-sibling::span'
                       '[contains(@class, "question-label")]')
    assert label and label[0].text_content() == hostile
    # The same in the data the page builds the form from: a text, never an element.
    tags = re.findall(r'\["(\w+)", \{', json.dumps(made.tree))
    assert "script" not in tags and "img" not in tags
    assert hostile in json.dumps(made.tree, ensure_ascii=False).replace('\\"', '"')


def test_appearances_become_enketo_classes() -> None:
    converted = convert_xlsform(xlsform(extra=[
        ["select_one yesno", "quick", "Quick?", ], ]), "f.xlsx")
    sheet = converted["xform"].replace('ref="/data/quick"', 'ref="/data/quick" '
                                       'appearance="horizontal"')
    form = lxml_html.fromstring(to_enketo(sheet).form)
    fieldset = form.xpath('//fieldset[.//input[@name="/data/quick"]]')[0]
    assert "or-appearance-horizontal" in fieldset.get("class", "")
    assert "or-appearance-columns" in fieldset.get("class", "")
    assert not form.xpath("//*[@data-appearances]")


@pytest.mark.parametrize("text", ["not xml", "<html/>", "<a><b></a>"])
def test_what_is_not_an_xform_is_refused_clearly(text: str) -> None:
    with pytest.raises(XFormNotRenderable):
        to_enketo(text)


# The page and the submission address -------------------------------------------------------

def _page(e: Eom) -> str:
    return f"/elections/{e.mission.code}/forms/{e.form.form_id}/{e.form.version}/enter/"


def _address(e: Eom) -> str:
    return f"/elections/{e.mission.code}/forms/{e.form.form_id}/{e.form.version}/submission"


def _signed_in(e: Eom, user: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _send(client: Client, e: Eom, xml: bytes, *, token: bool = True) -> Any:
    headers = {}
    if token:
        client.get(_page(e))  # sets the CSRF cookie, as the page does in the browser
        headers["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    return client.post(_address(e), {"xml_submission_file": SimpleUploadedFile(
        "submission.xml", xml, content_type="text/xml")}, **headers)


def test_an_observer_gets_the_form_page_with_the_model_as_data(cast: Cast) -> None:
    e = eom(cast)
    response = _signed_in(e, e.observer).get(_page(e))
    assert response.status_code == 200
    body = response.content.decode()
    found = re.search(r'<script id="enketo-config" type="application/json">(.*?)</script>',
                      body, re.S)
    assert found
    config = json.loads(found.group(1))
    assert config["form"][0] == "form" and "or" in config["form"][1]["class"].split()
    assert '"name": "/data/station_id"' in json.dumps(config["form"])
    assert "<instanceID/>" in config["model"]
    assert config["submitUrl"] == _address(e)
    assert "<form class=\"or" not in body  # the form is built by the page script
    assert "enketo-core-8.1.0/enketo-core.min.js" in body
    assert "<script>" not in body  # no inline script: data only through json_script


def test_the_rendering_is_kept_per_form_version_and_content(cast: Cast) -> None:
    e = eom(cast)
    key = f"hofburg.elections.enketo:{e.form.form_id}:{e.form.version}:{e.form.md5}:" \
          f"{TRANSFORMER_VERSION}"
    assert cache.get(key) is None
    first = rendered(e.form)
    assert cache.get(key) == first
    # A cached rendering is what the page serves, without a new transform.
    marked = EnketoForm(form=first.form, tree=["form", {"class": "or", "data-kept": "yes"}],
                        model=first.model, title=first.title)
    cache.set(key, marked)
    assert '"data-kept": "yes"' in _signed_in(e, e.observer).get(_page(e)).content.decode()


@pytest.mark.parametrize("who,status", [("bystander", 403), ("outsider", 404)])
def test_the_page_is_for_those_on_the_mission(cast: Cast, who: str, status: int) -> None:
    e = eom(cast)
    user = e.bystander if who == "bystander" else cast.nick
    client = _signed_in(e, user)
    assert client.get(_page(e)).status_code == status
    assert _send(client, e, submission_xml(), token=False).status_code == 403  # no CSRF token
    if who == "bystander":
        assert _send(client, e, submission_xml()).status_code == 403
    assert Submission.objects.count() == 0


def test_a_form_of_another_mission_is_not_found_here(cast: Cast) -> None:
    e = eom(cast)
    other = eom(cast, "OTHER-EOM", "voting-other")
    client = _signed_in(e, e.manager)
    assert client.get(f"/elections/{e.mission.code}/forms/voting-other/"
                      f"{other.form.version}/enter/").status_code == 404
    assert client.get(f"/elections/{e.mission.code}/forms/voting/no-such-version/enter/"
                      ).status_code == 404


def test_a_record_is_stored_once_with_the_web_channel(cast: Cast) -> None:
    e = eom(cast)
    client = _signed_in(e, e.observer)
    xml = submission_xml(instance="uuid:web-1", station="P007")
    first = _send(client, e, xml)
    assert first.status_code == 201
    assert first.json() == {"instance_id": "uuid:web-1", "created": True, "files": []}
    again = _send(client, e, xml)  # the browser retrying after a lost answer
    assert again.status_code == 201
    assert again.json()["created"] is False
    stored = Submission.objects.get()
    assert (stored.channel, stored.station_id, stored.team) == (
        Submission.Channel.WEB, "P007", "T01")
    assert stored.submitted_by == e.observer
    assert stored.device == "enketo web form"


def test_a_refused_record_changes_nothing_and_says_why(cast: Cast) -> None:
    e = eom(cast)
    client = _signed_in(e, e.observer)
    assert _send(client, e, submission_xml(instance="uuid:web-2")).status_code == 201
    clash = _send(client, e, submission_xml(instance="uuid:web-2", overall="bad"))
    assert clash.status_code == 409
    assert clash["Content-Type"] == "application/problem+json"
    assert "other answers" in clash.json()["detail"]
    wrong_version = _send(client, e, submission_xml(version="2", instance="uuid:web-3"))
    assert wrong_version.status_code == 422
    assert "another form or version" in wrong_version.json()["detail"]
    broken = _send(client, e, b"<data")
    assert broken.status_code == 422
    assert "not well-formed" in broken.json()["detail"]
    client.get(_page(e))
    empty = client.post(_address(e), {}, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert empty.status_code == 422
    assert Submission.objects.count() == 1


def test_a_signed_out_browser_is_told_to_sign_in(cast: Cast) -> None:
    e = eom(cast)
    response = Client().post(_address(e), {"xml_submission_file": SimpleUploadedFile(
        "submission.xml", submission_xml(), content_type="text/xml")})
    assert response.status_code == 401
    assert Submission.objects.count() == 0


def test_a_form_the_stylesheets_cannot_take_gets_a_clear_page(cast: Cast) -> None:
    e = eom(cast)
    e.form.xform = "<h:html xmlns:h='http://www.w3.org/1999/xhtml'/>"
    e.form.md5 = "0" * 32
    e.form.save(update_fields=["xform", "md5"])
    response = _signed_in(e, e.observer).get(_page(e))
    assert response.status_code == 422
    assert "ODK Collect" in response.content.decode()


def test_the_forms_page_links_to_web_entry(cast: Cast) -> None:
    e = eom(cast)
    add_form(cast.mona, e.mission, xlsform("opening", title="Opening"), "opening.xlsx")
    body = _signed_in(e, e.observer).get(f"/elections/{e.mission.code}/forms/").content.decode()
    assert _page(e) in body
    assert f"/elections/{e.mission.code}/forms/opening/1/enter/" in body


# The vendored bundle under the CSP ------------------------------------------------------------

BUNDLE = Path("static/vendor/enketo-core-8.1.0")


def test_the_bundle_needs_no_eval_and_sets_no_inline_handler() -> None:
    code = (BUNDLE / "enketo-core.min.js").read_text(encoding="utf-8")
    assert not re.search(r"(?<![\w.$])eval\(|new Function\b|(?<![\w.$])Function\(", code)
    assert "onsubmit" not in code  # replaced by a listener at bundle time
    assert "tile.openstreetmap.org" not in code  # no geopicker, nothing from another site
    assert "window.EnketoCore" in code or "EnketoCore=" in code


def _top_level_split(selector_list: str) -> list[str]:
    """A selector list split at its commas, but not those inside :not(...) and the like."""
    parts, depth, current = [], 0, ""
    for char in selector_list:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def test_the_theme_takes_images_from_this_site_and_styles_only_the_form() -> None:
    css = (BUNDLE / "formhub.css").read_text(encoding="utf-8-sig")
    assert not re.search(r"url\(\s*[\x27\"]?data:", css)
    for image in re.findall(r'url\("(img/[^"]+)"\)', css):
        assert (BUNDLE / image).is_file(), image
    rules = re.findall(r"(?:^|})([^{}@]+)\{", css)
    selectors = [s.strip() for rule in rules for s in _top_level_split(rule) if s.strip()]
    # every rule applies inside the form's element (`.open .enketo-entry .btn` included)
    outside = [s for s in selectors if ".enketo-entry" not in s.split(":")[0]
               and not re.fullmatch(r"[\d.]+%|from|to", s)]  # keyframe steps
    assert outside == []
