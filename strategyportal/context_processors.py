from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    ("portal:front", _("Forside")),
    ("portal:strategies", _("Strategier")),
    ("portal:themes", _("Lær af andre")),
    ("portal:search", _("Søg")),
    ("portal:methodology", _("Sådan beregner vi")),
]


def portal(request):
    """What every public page needs: the main menu, this page in the other languages, and
    the icon sprite of Det Fælles Designsystem."""
    return {
        "navigation": _navigation(request.path),
        "portal_languages": _languages(request.get_full_path()),
        "icon_sprite": static("dkfds/img/all-svg-icons.svg"),
    }


def _navigation(path: str) -> list[dict]:
    front = reverse("portal:front")
    items = []
    for name, text in NAVIGATION:
        url = reverse(name)
        current = path == url
        # A page under a menu item (a strategy under "Strategier") marks that item active.
        active = current or (url != front and path.startswith(url))
        items.append({"url": url, "text": text, "current": current, "active": active})
    return items


def _languages(full_path: str) -> list[dict]:
    current = get_language()
    languages = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(full_path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    # The current language first, as Det Fælles Designsystem shows it.
    return sorted(languages, key=lambda language: not language["current"])
