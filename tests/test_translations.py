"""The committed message catalogs: compiled files match their sources."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_compiled_catalog_holds_every_translation_of_its_po_file(language):
    catalog = polib.pofile(LOCALE / language / "LC_MESSAGES" / "django.po")
    stale = []

    with translation.override(language):
        for entry in catalog.translated_entries():
            if entry.msgid_plural:
                continue
            if entry.msgctxt:
                compiled = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                compiled = translation.gettext(entry.msgid)
            if compiled != entry.msgstr:
                stale.append(entry.msgid)

    assert stale == [], "run `make messages` to compile the catalogs"
