"""The admin speaks Danish to editors and superusers, including the texts of Django,
django-simple-history and django-axes (worded in `locale_overrides/`), with Swedish and
English under /sv/admin/ and /en/admin/."""

import json
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse
from django.utils import translation

from indicators.models import ReportingRound
from municipalities.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db

# What the three packages say in English where their catalogs have no Danish. Not listed,
# since no catalog reaches them: simple-history's empty change reason ("None") and the
# revert page's breadcrumbs (app label, "Historical …"), Django's alt texts of the search
# icon ("Search") and of yes/no icons ("True"), axes' names of its records, and permissions
# (see VisibleText).
ENGLISH = [
    "Django administration",
    "Django site admin",
    "Site administration",
    "View site",
    "View on site",
    "History",
    "Change history",
    "Change History",
    "Revert",
    "Choose a date",
    "Press the",
    "Object",
    "Date/time",
    "Comment",
    "Changed by",
    "Change reason",
    "Created",
    "Add another",
    "Access attempt",
    "access attempt",
    "Access failure",
    "access failure",
    "Access log",
    "access log",
    "Attempt Time",
    "User Agent",
    "IP Address",
    "Failed Logins",
    "Locked Out",
    "Attempt Remaining",
    "Clean up",
    "Form Data",
]
# Danish whose article, pronoun or adjective fits only some of the nouns put into it:
# Django's "Tilføj endnu en Mål", "redigere den/det", "din/dit", "hans/hendes".
SLIPS = ["endnu en", "endnu et", "den/det", "en/et", "din/dit", "hans/hendes"]


class VisibleText(HTMLParser):
    """The words a reader meets on a page: its text, the texts of titles, labels, buttons and
    images, and the "Tilføj" link the admin's JavaScript makes from an inline's data.

    Leaves out the choices of permissions: Django stores their names in English in the
    database ("Can add strategi"), out of any catalog's reach."""

    ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
    PERMISSIONS = {"permissions", "user_permissions"}

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skipping = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"script", "style"} or (
            tag == "select" and attributes.get("name") in self.PERMISSIONS
        ):
            self._skipping = True
        self.texts += [value for name, value in attrs if name in self.ATTRIBUTES and value]
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.texts.append(attributes.get("value") or "")
        if "data-inline-formset" in attributes:
            self.texts.append(json.loads(attributes["data-inline-formset"])["options"]["addText"])

    def handle_endtag(self, tag):
        if tag in {"script", "style", "select"}:
            self._skipping = False

    def handle_data(self, data):
        if not self._skipping:
            self.texts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.texts).split())


def foreign_words(html: str) -> list[str]:
    text = visible_text(html)
    return [words for words in ENGLISH + SLIPS if words in text]


def admin_url(obj, view: str, *args) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk, *args])


def revert_url(obj) -> str:
    """The page that restores the object's first version."""
    return admin_url(obj, "simple_history", obj.history.earliest("history_date").history_id)


@dataclass
class Herning:
    editor: object
    superuser: object
    strategy: object
    goal: object
    indicator: object
    value: object

    def objects(self):
        return [self.strategy, self.goal, self.indicator, self.value]


@pytest.fixture
def herning(db):
    """Herning's editor with a strategy, a goal and its target on an indicator with a
    value, an open reporting round, and a superuser; the goal was changed once, so its
    history has two versions."""
    editor = factories.MembershipFactory(
        role=Membership.Role.EDITOR,
        user__is_staff=True,
        organization__name="Herning Kommune",
    )
    organization = editor.organization
    goal = factories.GoalFactory(focus_area__strategy__owner=organization)
    target = factories.GoalTargetFactory(goal=goal)
    value = factories.IndicatorValueFactory(indicator=target.indicator, period=2022, value=38)
    factories.ReportingRoundFactory(organization=organization)
    goal.text = "Flere elever gennemfører en ungdomsuddannelse"
    goal._history_user = editor.user
    goal.save()
    superuser = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    return Herning(editor.user, superuser, goal.strategy, goal, target.indicator, value)


def pages(client, herning) -> list[str]:
    """Every page of the admin the client's user can open: the start page, each model's list
    and add page, and the change, delete, history and revert pages of Herning's objects."""
    index = client.get(reverse("admin:index"))
    urls = [reverse("admin:index")]
    for app in index.context["app_list"]:
        for model in app["models"]:
            urls += [url for url in (model["admin_url"], model["add_url"]) if url]
    for obj in herning.objects():
        urls += [
            admin_url(obj, "change"),
            admin_url(obj, "delete"),
            admin_url(obj, "history"),
            revert_url(obj),
        ]
    return [
        *urls,
        reverse("admin:goals_strategy_next_version", args=[herning.strategy.pk]),
        reverse("admin:password_change"),
        reverse("admin:password_change_done"),
    ]


def english_and_slips(client, urls) -> dict[str, list[str]]:
    found = {}
    for url in urls:
        # An editor's delete page of what holds approved values leads to its archive page.
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        if words := foreign_words(response.text):
            found[url] = words
    return found


def test_an_editor_meets_no_english_and_no_slips_in_the_admin(client, herning):
    client.force_login(herning.editor)

    assert english_and_slips(client, pages(client, herning)) == {}


def test_a_superuser_meets_no_english_and_no_slips_in_the_admin(client, herning):
    attempt = AccessAttempt.objects.create(
        username="hanne", ip_address="10.0.0.1", failures_since_start=2, get_data="", post_data=""
    )
    failure = AccessFailureLog.objects.create(username="hanne", ip_address="10.0.0.1")
    login = AccessLog.objects.create(username="hanne", ip_address="10.0.0.1")
    client.force_login(herning.superuser)

    urls = [
        *pages(client, herning),
        *(admin_url(record, "change") for record in (attempt, failure, login)),
        admin_url(herning.editor, "change"),
        reverse("admin:auth_user_password_change", args=[herning.editor.pk]),
    ]

    assert english_and_slips(client, urls) == {}


def test_the_header_names_the_portal_and_links_to_it(client, herning):
    client.force_login(herning.editor)

    page = client.get(reverse("admin:index")).text

    assert "<title>Redaktion | Strategiportalen</title>" in page
    assert '<a href="/admin/">Strategiportalen</a>' in page
    assert '<a href="/">Se portalen</a>' in page


def test_the_history_of_a_goal_is_in_danish(client, herning):
    client.force_login(herning.editor)

    text = visible_text(client.get(admin_url(herning.goal, "history")).text)
    revert = visible_text(client.get(revert_url(herning.goal)).text)

    assert "Ændringshistorik: Flere elever gennemfører en ungdomsuddannelse" in text
    assert "Vælg en version på listen herunder for at se den og gendanne den." in text
    for column in ["Version", "Dato/tid", "Hændelse", "Ændret af", "Begrundelse", "Ændringer"]:
        assert column in text
    assert "Oprettet" in text
    assert f"Ændret {herning.editor.username}" in text
    assert "Mål: Mål nummer" in text  # the changed field by its Danish name
    assert "Gendan mål" in revert
    assert "Tryk på »Gendan« herunder for at gøre denne version gældende igen." in revert


def test_adding_another_fits_every_noun(client, herning):
    client.force_login(herning.editor)

    target = visible_text(client.get(admin_url(herning.goal.targets.get(), "change")).text)

    assert "Tilføj: Delmål" in target  # Django's Danish: "Tilføj endnu en Delmål"
    assert "Gem og tilføj flere" in target


def test_the_messages_after_saving_fit_every_noun(client, herning):
    client.force_login(herning.editor)
    form = {"organization": herning.strategy.owner_id, "period": 2025, "deadline": "2026-03-31"}

    added = client.post(
        reverse("admin:indicators_reportinground_add"), {**form, "_addanother": "1"}, follow=True
    )
    reporting_round = ReportingRound.objects.get(period=2025)
    changed = client.post(
        admin_url(reporting_round, "change"), {**form, "_continue": "1"}, follow=True
    )

    assert "blev tilføjet. Du kan tilføje flere herunder." in visible_text(added.text)
    assert "blev ændret. Du kan fortsætte med at redigere herunder." in visible_text(changed.text)
    assert foreign_words(added.text) == foreign_words(changed.text) == []


def test_editors_never_see_the_login_records_and_superusers_see_them_in_danish(client, herning):
    client.force_login(herning.editor)
    editor_index = client.get(reverse("admin:index"))
    editor_list = client.get(reverse("admin:axes_accessattempt_changelist"))
    client.force_login(herning.superuser)
    superuser_index = visible_text(client.get(reverse("admin:index")).text)

    assert "axes" not in {app["app_label"] for app in editor_index.context["app_list"]}
    assert editor_list.status_code == 403
    for name in ["Loginforsøg", "Logins", "Mislykkede logins"]:
        assert name in superuser_index


def test_the_admin_is_danish_at_admin_whatever_the_browser_asks_for(client, herning):
    client.force_login(herning.editor)

    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="sv")

    assert response["Content-Language"] == "da"
    assert "Se portalen" in response.text


def test_the_admin_speaks_swedish_under_sv(client, herning):
    client.force_login(herning.editor)
    with translation.override("sv"):
        index_url = reverse("admin:index")
        history_url = admin_url(herning.goal, "history")
        calendar_url = reverse("admin:jsi18n")

    index = client.get(index_url)
    history = visible_text(client.get(history_url).text)
    calendar = client.get(calendar_url).text

    assert index_url == "/sv/admin/"
    assert index["Content-Language"] == "sv"
    assert '<a href="/sv/admin/">Strategiportalen</a>' in index.text
    assert '<a href="/sv/">Visa portalen</a>' in index.text
    for words in ["Ändringshistorik", "Ändrad av", "Händelse", "Ändringar", "Skapad"]:
        assert words in history
    # Texts Django's Swedish lacks would otherwise fall back to Danish, the default language.
    assert "Ændret af" not in history
    assert "I morgon (" in calendar
    assert "I morgen (" not in calendar
