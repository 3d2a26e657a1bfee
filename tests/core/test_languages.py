"""The interface speaks the six official languages of the OSCE completely: English in the code,
French, German, Italian, Russian and Spanish in catalogues that cover every string."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.urls import reverse

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "hofburg"
CATALOGUES = ["fr", "de", "it", "ru", "es"]


def _po(language: str) -> Path:
    return PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"


def _catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle)


def test_the_six_official_languages_are_configured() -> None:
    assert [code for code, _ in settings.LANGUAGES] == ["en", "fr", "de", "it", "ru", "es"]


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_entry_is_translated_and_not_fuzzy(language: str) -> None:
    catalog = _catalog(_po(language))
    missing = [
        m.id
        for m in catalog
        if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert len(catalog) > 100
    assert missing == []
    assert fuzzy == []


@pytest.mark.parametrize("language", CATALOGUES)
def test_the_compiled_catalogue_is_up_to_date(language: str) -> None:
    with _po(language).with_suffix(".mo").open("rb") as handle:
        compiled = read_mo(handle)
    source = {(m.context, _key(m.id)): _key(m.string) for m in _catalog(_po(language)) if m.id}
    assert {(m.context, _key(m.id)): _key(m.string) for m in compiled if m.id} == source


def _key(value: object) -> object:
    # Plural entries carry their forms as lists (in .mo) or tuples (in .po).
    return tuple(value) if isinstance(value, list | tuple) else value


def test_every_catalogue_covers_every_string_of_the_interface(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: `make browser-deps` installs Debian's gettext")
    copy = tmp_path / "hofburg"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    django_admin = str(Path(sys.executable).parent / "django-admin")
    subprocess.run(
        [django_admin, "makemessages", "-l", "ru", "--no-location", "--settings=hofburg.settings"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    extracted = {(m.context, m.id)
                 for m in _catalog(copy / "locale" / "ru" / "LC_MESSAGES" / "django.po") if m.id}
    missing = {}
    for language in CATALOGUES:
        committed = {(m.context, m.id) for m in _catalog(_po(language)) if m.id}
        gaps = sorted(extracted - committed, key=str)
        if gaps:
            missing[language] = gaps
    assert missing == {}


@pytest.mark.django_db
def test_the_switcher_offers_the_languages_that_have_a_catalogue() -> None:
    page = Client().get(reverse("core:home")).content.decode()
    for code in ["en", *CATALOGUES]:
        assert f'value="{code}"' in page


@pytest.mark.django_db
def test_a_page_in_russian_is_in_russian() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    page = client.get(reverse("core:home")).content.decode()
    assert "Документы" in page
    assert 'lang="ru"' in page
