"""The document library pages: list (and its CSV), detail, download, register and edit.

Every page reads documents through `core.access`; a document the user may not see is a 404
on every route, and a 403 is given only where the user sees the document but may not change it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hofburg.core import access
from hofburg.core import filters as list_filters
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.models import Affiliation, Classification
from hofburg.core.search import RANK_LIMIT, ResultsPaginator, was_ranked
from hofburg.core.tables import CONTENT_TYPES, write_csv
from hofburg.documents.exports import documents_table
from hofburg.documents.models import Document, DocumentFile
from hofburg.documents.search import MAX_QUERY_CHARS, find_documents
from hofburg.documents.services import (
    DocumentError,
    add_language_version,
    register_document,
    update_document,
)

PAGE_SIZE = 25
class DocumentFilterForm(forms.Form):
    """The list filters; a value that does not validate is left out and reported (core.filters)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_CHARS)
    distribution = forms.ChoiceField(
        label=_("Distribution"), required=False,
        choices=[("", _("Any distribution")), *Classification.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2999)
    # Names as their holders write them: not the interface, not for translation.
    originator = forms.ChoiceField(label=_("Originator"), required=False,
                                   widget=forms.Select(attrs={"translate": "no"}))
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *settings.LANGUAGES])

    def __init__(self, *args: Any, originators: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["originator"].choices = [  # type: ignore[attr-defined]
            ("", _("Any originator")), *((name, name) for name in originators)]

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty filters, ready for `find_documents`."""
        return list_filters.applied(self)


if TYPE_CHECKING:
    _ModelChoices = forms.ModelMultipleChoiceField[Affiliation]
else:  # Django's field is generic for the type checker only
    _ModelChoices = forms.ModelMultipleChoiceField


class _AffiliationChoices(_ModelChoices):
    """Affiliations by their names, marked as names (not for translation)."""

    def label_from_instance(self, obj: Any) -> str:
        return format_html('<span translate="no">{}</span>', obj.name)


class DocumentForm(forms.Form):
    """A document's metadata, as registered or edited."""

    symbol = forms.CharField(label=_("Symbol"), max_length=80,
                             help_text=_("For example PC.DEL/123/26 or PC.DEC/1234."))
    title = forms.CharField(label=_("Title"), max_length=500)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d",
                                                                   attrs={"type": "date"}))
    originator = forms.CharField(label=_("Originating delegation or body"), max_length=200)
    original_language = forms.ChoiceField(label=_("Original language"), choices=settings.LANGUAGES)
    classification = forms.ChoiceField(label=_("Distribution"))
    shared_with = _AffiliationChoices(
        label=_("Shared with"), queryset=Affiliation.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Confidential documents only: who may read it besides your affiliation."))
    is_exercise = forms.BooleanField(label=_("Exercise data"), required=False)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = access.allowed_classifications(user)
        # Sharing with one's own affiliation would change nothing: it is not offered.
        own: int | None = getattr(user, "affiliation_id", None)
        if own is not None:
            self.fields["shared_with"].queryset = (  # type: ignore[attr-defined]
                Affiliation.objects.exclude(pk=own))
        self.fields["classification"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Classification.choices if value in allowed]

    def metadata(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DocumentForm.base_fields}


class DocumentRegisterForm(DocumentForm):
    file = forms.FileField(
        label=_("File in the original language"), required=False,
        help_text=_("Plain text or PDF is searchable; other files are kept as they are. "
                    "More language versions can be added later."))


class LanguageVersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, missing_languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, names[code]) for code in missing_languages]


def document_list(request: HttpRequest) -> HttpResponse:
    visible = access.visible(Document.objects.all(), request.user)
    form = DocumentFilterForm(request.GET, originators=_originators(visible))
    # Search is the last step (its count serves the pages), so the files are asked for first.
    documents = find_documents(visible.prefetch_related("files"), **form.filters())
    if request.GET.get("format") == "csv":
        return _csv_response(request, documents)
    page = ResultsPaginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "documents/documents.html", {
        "form": form,
        "page": page,
        "documents": page.object_list,
        # Too many matches to rank: the page says they come newest first, and why.
        "unranked": not was_ranked(documents),
        "rank_limit": RANK_LIMIT,
        "query_string": query.urlencode(),
        "can_register": access.can_register_documents(request.user),
        "shows_exercise_data": any(d.is_exercise for d in page.object_list),
    })


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_visible_or_404(
        Document.objects.select_related("owner_affiliation"), request.user, pk=pk)
    return render(request, "documents/document.html", {
        "document": document,
        "files": document.files.all(),
        "shared_with": document.shared_with.all(),
        "can_edit": access.can_edit(request.user, document),
        "shows_exercise_data": document.is_exercise,
    })


def document_download(request: HttpRequest, pk: int, language: str) -> HttpResponseBase:
    document = access.get_visible_or_404(Document.objects.all(), request.user, pk=pk)
    return document_file_response(get_object_or_404(document.files, language=language))


@login_required
def document_register(request: HttpRequest) -> HttpResponse:
    if not access.can_register_documents(request.user):
        raise PermissionDenied
    form = DocumentRegisterForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        files = [(form.cleaned_data["original_language"], upload)] if upload else []
        try:
            document = register_document(request.user, files=files, **form.metadata())
        except AccessDenied as exc:
            raise PermissionDenied from exc
        except DocumentError as error:
            _add_error(form, error, {"language": "file"})
        else:
            messages.success(request, _("The document is registered."))
            return redirect("documents:document", pk=document.pk)
    return render(request, "documents/document_form.html", {"form": form, "document": None})


def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        document = access.get_editable_or_404(Document.objects.all(), request.user, pk=pk)
    except AccessDenied as exc:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied from exc
    adding_version = request.method == "POST" and "add_version" in request.POST
    editing = request.method == "POST" and not adding_version
    form = DocumentForm(request.POST if editing else None, user=request.user,
                        initial=_initial(document))
    version_form = LanguageVersionForm(
        request.POST if adding_version else None, request.FILES if adding_version else None,
        missing_languages=_missing_languages(document))
    try:
        if editing and form.is_valid():
            try:
                update_document(request.user, document, **form.metadata())
            except DocumentError as error:
                _add_error(form, error)
            else:
                messages.success(request, _("The document is saved."))
                return redirect("documents:document", pk=document.pk)
        if adding_version and version_form.is_valid():
            try:
                add_language_version(request.user, document, version_form.cleaned_data["language"],
                                     version_form.cleaned_data["file"])
            except DocumentError as error:
                _add_error(version_form, error)
            else:
                messages.success(request, _("The language version is added."))
                return redirect("documents:document", pk=document.pk)
    except AccessDenied as exc:
        raise PermissionDenied from exc
    return render(request, "documents/document_form.html", {
        "form": form, "version_form": version_form, "document": document,
        "shows_exercise_data": document.is_exercise,
    })


def document_file_response(document_file: DocumentFile) -> FileResponse:
    """The stored file as an attachment with its own name and type; 404 if the file is missing.

    The caller has checked that the user may see the document.
    """
    try:
        handle = document_file.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    response = FileResponse(handle, as_attachment=True, filename=document_file.filename,
                            content_type=document_file.content_type)
    if document_file.document.classification != Classification.PUBLIC:
        # Keep restricted content out of shared caches and the browser's disk cache.
        response["Cache-Control"] = "private, no-store"
    return response


def _originators(visible: QuerySet[Document]) -> list[str]:
    return list(visible.order_by("originator").values_list("originator", flat=True).distinct())


def _missing_languages(document: Document) -> list[str]:
    present = set(document.files.values_list("language", flat=True))
    return [code for code in settings.OFFICIAL_LANGUAGE_CODES if code not in present]


def _initial(document: Document) -> dict[str, Any]:
    return {
        "symbol": document.symbol, "title": document.title, "date": document.date,
        "originator": document.originator, "original_language": document.original_language,
        "classification": document.classification, "is_exercise": document.is_exercise,
        "shared_with": list(document.shared_with.all()),
    }


def _add_error(form: forms.Form, error: DocumentError, aliases: dict[str, str] | None = None
               ) -> None:
    """Show a service's refusal on the form field it concerns, or above the form."""
    field = (aliases or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


def _csv_response(request: HttpRequest, documents: QuerySet[Document]) -> HttpResponse:
    buffer = io.BytesIO()
    write_csv(documents_table(documents, lambda document: request.build_absolute_uri(
        reverse("documents:document", args=[document.pk]))), buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = 'attachment; filename="documents.csv"'
    return response
