"""The committed message catalogs: compiled files match their sources, and the hand-written
overrides of Django's and the packages' texts are the translations in effect."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
OVERRIDES = ROOT / "locale_overrides"
CATALOGS = [LOCALE / "sv", LOCALE / "en", OVERRIDES / "da", OVERRIDES / "sv"]


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_the_compiled_catalog_holds_every_translation_of_its_po_file(catalog):
    po = polib.pofile(catalog / "LC_MESSAGES" / "django.po")
    stale = []

    with translation.override(catalog.name):
        for entry in po.translated_entries():
            if entry.msgid_plural:
                continue
            if entry.msgctxt:
                compiled = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                compiled = translation.gettext(entry.msgid)
            if compiled != entry.msgstr:
                stale.append(entry.msgid)

    assert stale == [], "run `make messages` to compile the catalogs"


@pytest.mark.parametrize(
    "po_file",
    sorted(OVERRIDES.glob("*/LC_MESSAGES/djangojs.po")),
    ids=lambda path: path.parents[1].name,
)
def test_the_compiled_javascript_overrides_match_their_po_files(po_file):
    def messages(catalog):
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr or dict(entry.msgstr_plural)
            for entry in catalog
            if entry.msgstr or entry.msgstr_plural
        }

    compiled = messages(polib.mofile(po_file.with_suffix(".mo")))

    assert compiled == messages(polib.pofile(po_file).translated_entries()), (
        "run `make messages` to compile the catalogs"
    )
