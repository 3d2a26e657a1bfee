"""An XForm made into what enketo-core renders: the HTML form and the XML model.

This is what enketo-transformer does, done on the server with lxml: its two XSLT 1.0
stylesheets (under `xsl/`, unchanged) run in libxslt, as they do in enketo-transformer, and the
few steps it runs around them in JavaScript are ported here:

- before the form stylesheet, each `itemset` gets `valueRef`, `labelRef` and `itextPath`
  (and, for translated choice labels, the labels' `itext` nodes), as `processItemsets` does;
- after it, setvalue/setgeopoint actions are moved onto their question (`correctAction`) and
  appearances become `or-appearance-*` classes (`transformAppearances`);
- the model gets a `meta/instanceID` if the XForm has none (`addInstanceIdNodeIfMissing`);
- both lose their `<root>` wrapper (`docToString`): enketo-core reads `<model>` in no namespace.

Not ported: `replaceLanguageTags` (a translated form keeps the language names the XForm gives,
such as "English (en)", instead of BCP 47 tags) and media replacement (no form here has media).

Two things differ from enketo-transformer, on purpose: labels are not rendered as Markdown
(the form shows their text as written), and the stylesheet's `style="display:none"` becomes
the `hidden` attribute, since the site's CSP refuses inline styles. Anything executable
(`script`, `style`, `on*` attributes, `javascript:` links) is removed from the form as a last
guard, though the stylesheet copies no markup from the XForm.

Pure: no Django. Raises `XFormNotRenderable` for an XForm the stylesheets cannot take.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

XSL = Path(__file__).with_name("xsl")
TRANSFORMER_VERSION = "4.2.0"  # enketo-transformer whose stylesheets and steps these are
MAX_XFORM_BYTES = 5_000_000

XF = "http://www.w3.org/2002/xforms"
NS = {"xf": XF, "h": "http://www.w3.org/1999/xhtml", "orx": "http://openrosa.org/xforms",
      "jr": "http://openrosa.org/javarosa"}
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                               load_dtd=False)


class XFormNotRenderable(ValueError):
    """The XForm is not XML, or the stylesheets refuse it."""


@dataclass(frozen=True)
class EnketoForm:
    form: str  # the <form class="or"> element, serialized as HTML
    tree: list[Any]  # the same as data: [tag, {attributes}, child...], a text child a string
    model: str  # the <root><model>…</model></root> document enketo-core's FormModel reads
    title: str


@cache
def _stylesheet(name: str) -> etree.XSLT:
    return etree.XSLT(etree.parse(str(XSL / name), _SAFE_PARSER))


def _parse(xform: str) -> etree._ElementTree:
    data = xform.encode("utf-8")
    if len(data) > MAX_XFORM_BYTES:
        raise XFormNotRenderable("The XForm is too large to render.")
    try:
        return etree.ElementTree(etree.fromstring(data, _SAFE_PARSER))
    except etree.XMLSyntaxError as exc:
        raise XFormNotRenderable(f"The XForm is not well-formed XML: {exc}") from exc


def _before(text: str, needle: str) -> str:
    return text.split(needle, 1)[0]


def _after(text: str, needle: str) -> str:
    index = text.find(needle)
    return text[index + len(needle):] if index >= 0 else text


def _process_itemsets(doc: etree._ElementTree) -> None:
    """enketo-transformer's `processItemsets`: what the form stylesheet needs on an itemset."""
    for itemset in doc.iterfind(".//xf:itemset", NS):
        value = itemset.find("xf:value", NS)
        label = itemset.find("xf:label", NS)
        value_ref = value.get("ref", "") if value is not None else ""
        label_ref = label.get("ref", "") if label is not None else ""
        nodeset = itemset.get("nodeset", "")
        quoted = _before(_after(nodeset, "instance("), ")")
        if "randomize(" in nodeset:
            path = _before(_after(nodeset, ")"), "," if "," in nodeset else ")")
        else:
            path = _after(nodeset, ")")
        path_no_filter = re.sub(r"\[.*?\]", "", path.replace("/", "/xf:"))
        instance_id = quoted[1:-1]
        itext_path = (f'/h:html/h:head/xf:model/xf:instance[@id="{instance_id}"]'
                      f"{path_no_filter}")
        itemset.set("valueRef", value_ref)
        itemset.set("labelRef", label_ref)
        itemset.set("itextPath", itext_path)
        named = re.search(r"itext\((.*)\)", label_ref)
        if named:
            try:
                items = doc.xpath(f'{itext_path}/*[name() = "{named.group(1)}"]',
                                  namespaces=NS)
            except etree.XPathError:
                items = []
            for item in items if isinstance(items, list) else []:
                if isinstance(item, etree._Element):
                    itemset.append(etree.fromstring(etree.tostring(item)))


def _correct_action(root: etree._Element, name: str) -> None:
    """enketo-transformer's `correctAction` for setvalue and setgeopoint."""
    for element in root.xpath(f'//*[contains(@class, "question")]//label/input[@data-{name}]'):
        label = element.getparent()
        label.getparent().replace(label, element)
    for element in root.xpath(f'//label[contains(@class, "{name}")]/input[@data-{name}]'):
        field = element.get("name", "").replace('"', "")
        same = root.xpath(
            f'//*[@name="{field}" and ( contains(../@class, "question") or '
            f'contains(../../@class, "option-wrapper")) and not(@type="hidden")]')
        if same:
            for attribute in (f"data-{name}", "data-event"):
                same[0].set(attribute, element.get(attribute) or attribute)
            label = element.getparent()
            label.getparent().remove(label)


def _transform_appearances(root: etree._Element) -> None:
    """enketo-transformer's `transformAppearances`: data-appearances into classes."""
    for element in root.xpath("//*[@data-appearances]"):
        select_type = element.get("data-appearances-select-type") is not None
        element.attrib.pop("data-appearances-select-type", None)
        classes: list[str] = []
        for appearance in element.get("data-appearances", "").strip().lower().split():
            classes.append(f"or-appearance-{appearance}")
            if select_type:
                if appearance == "horizontal":
                    classes.append("or-appearance-columns")
                elif appearance == "horizontal-compact":
                    classes.append("or-appearance-columns-pack")
                elif appearance == "compact":
                    classes += ["or-appearance-columns-pack", "or-appearance-no-buttons"]
                elif appearance.startswith("compact-"):
                    classes += [appearance.replace("compact-", ""), "or-appearance-no-buttons"]
        current = element.get("class", "").split()
        element.set("class", " ".join(
            c for name in current
            for c in (classes if name == "or-appearances-placeholder" else [name])))
        del element.attrib["data-appearances"]


def _guard(form: etree._Element) -> None:
    for element in form.xpath("//script | //style | //iframe | //object | //embed"):
        element.getparent().remove(element)
    for element in form.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in list(element.attrib):
            value = element.get(attribute, "")
            if attribute.lower().startswith("on") or (
                    attribute in ("href", "src", "action", "formaction")
                    and value.strip().lower().startswith("javascript:")):
                del element.attrib[attribute]
        if re.fullmatch(r"\s*display:\s*none;?\s*", element.get("style", "")):
            del element.attrib["style"]
            element.set("hidden", "hidden")
        element.attrib.pop("style", None)


def _add_instance_id(model: etree._Element) -> None:
    """enketo-transformer's `addInstanceIdNodeIfMissing`."""
    primary = model.find(f"{{{XF}}}model/{{{XF}}}instance/*")
    if primary is None:
        raise XFormNotRenderable("The XForm has no primary instance.")
    orx = NS["orx"]
    for namespace in (XF, orx):
        if primary.find(f"{{{namespace}}}meta/{{{namespace}}}instanceID") is not None:
            return
    meta = primary.find(f"{{{NS['orx']}}}meta")
    if meta is None:
        meta = etree.SubElement(primary, f"{{{NS['orx']}}}meta")
    etree.SubElement(meta, f"{{{NS['orx']}}}instanceID")


def to_enketo(xform: str) -> EnketoForm:
    """The form and model enketo-core renders for `xform` (an ODK XForm as pyxform writes)."""
    doc = _parse(xform)
    if doc.find("h:head/xf:model", NS) is None:
        raise XFormNotRenderable("The document is not an XForm (no h:head/model).")
    _process_itemsets(doc)
    try:
        html = _stylesheet("openrosa2html5form.xsl")(doc)
        model_doc = _stylesheet("openrosa2xmlmodel.xsl")(doc)
    except etree.XSLTApplyError as exc:
        raise XFormNotRenderable(f"The XForm cannot be rendered: {exc}") from exc
    root = html.getroot()
    if root is None or root.find("form") is None:
        raise XFormNotRenderable("The stylesheet made no form from the XForm.")
    _correct_action(root, "setgeopoint")
    _correct_action(root, "setvalue")
    _transform_appearances(root)
    form = root.find("form")
    _guard(form)
    model_root = model_doc.getroot()
    if model_root is None:
        raise XFormNotRenderable("The stylesheet made no model from the XForm.")
    _add_instance_id(model_root)
    title = form.findtext(".//h3[@id='form-title']") or ""
    return EnketoForm(form=_inner(root, "html"), tree=_tree(form),
                      model=_inner(model_root, "xml"), title=title.strip())


def _tree(element: etree._Element) -> list[Any]:
    """The form as data, for the page to build with DOM calls (no markup is parsed in the
    browser): [tag, {attribute: value}, child...], where a child is a list or a text."""
    node: list[Any] = [str(element.tag), {str(k): str(v) for k, v in element.attrib.items()}]
    if element.text:
        node.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            node.append(_tree(child))
        if child.tail:
            node.append(child.tail)
    return node


def _inner(root: etree._Element, method: str) -> str:
    """enketo-transformer's `docToString`: the document without its `<root>` element, whose
    namespace declarations (the XForms default namespace among them) go with it; enketo-core
    reads the model as `<model>` in no namespace."""
    text = etree.tostring(root, method=method, encoding="unicode").strip()
    return re.sub(r"</[^>]+>$", "", re.sub(r"^<[^>]+>", "", text)).strip()
