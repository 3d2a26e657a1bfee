from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hofburg.core import access
from hofburg.core.models import Document


def document_list(request: HttpRequest) -> HttpResponse:
    documents = access.visible(Document.objects.all(), request.user)
    return render(request, "core/documents.html", {"documents": documents})


def document_register(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.get_visible_or_404(Document.objects.all(), request.user, pk=pk)
    return render(request, "core/document.html", {"document": document})


def document_download(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    raise NotImplementedError
