"""Values edited in the admin follow the reporting rules: the workflow's fields are read-only,
a changed number waits for someone else's approval, and a value changed since the page was
opened is not overwritten."""

from decimal import Decimal

from django.urls import reverse

from indicators import services
from indicators.models import IndicatorValue


def value_url(value):
    return reverse("admin:indicators_indicatorvalue_change", args=[value.pk])


def posted(response) -> dict:
    """What the admin page in `response` posts back unchanged: every form and inline."""
    forms, data = [response.context["adminform"].form], {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            shown = form[name].value()
            if shown is None or shown is False:
                continue
            if isinstance(shown, Decimal):
                # A number's box shows it written the reader's way; that is what comes back.
                shown = form[name].field.widget.format_value(shown)
            data[form.add_prefix(name)] = shown if shown is not True else "on"
    return data


def approved(world):
    return services.value_approve(value=world.submitted, user=world.users["superuser"])


def test_a_changed_number_in_the_admin_waits_for_approval_again(world, login):
    value = approved(world)
    editor = world.users["editor at Herning"]
    client = login(editor)
    data = posted(client.get(value_url(value)))

    response = client.post(value_url(value), {**data, "value": "39", "status": "approved"})

    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.status, value.revision) == (39, "submitted", 3)
    assert (value.entered_by, value.reviewed_by) == (editor, None)
    # Four eyes hold in the admin too: the editor who changed it cannot approve it.
    assert IndicatorValue.objects.awaiting_review_by(editor).filter(pk=value.pk).exists()


def test_the_workflows_fields_are_read_only_in_the_admin(world, login):
    client = login(world.users["editor at Herning"])

    form = client.get(value_url(world.submitted)).context["adminform"].form

    for name in ("status", "entered_by", "reviewed_by", "revision", "period", "organization"):
        assert name not in form.fields


def test_an_admin_save_of_a_value_reviewed_since_the_page_opened_is_refused(world, login):
    client = login(world.users["editor at Herning"])
    data = posted(client.get(value_url(world.submitted)))
    approved(world)

    response = client.post(value_url(world.submitted), {**data, "value": "39"})

    assert response.status_code == 200
    assert "Tallet blev ændret af" in response.text
    world.submitted.refresh_from_db()
    assert (world.submitted.value, world.submitted.status) == (38, "approved")


def test_saving_an_unchanged_value_in_the_admin_changes_nothing(world, login):
    value = approved(world)
    client = login(world.users["editor at Herning"])

    client.post(value_url(value), posted(client.get(value_url(value))))

    value.refresh_from_db()
    assert (value.status, value.revision) == ("approved", 2)


def test_the_indicators_page_lists_its_latest_values_as_links_to_their_own_pages(world, login):
    client = login(world.users["editor at Herning"])

    page = client.get(reverse("admin:indicators_indicator_change", args=[world.indicator.pk]))

    assert value_url(world.submitted) in page.text
    assert "<td>38\xa0elever</td>" in page.text
    assert 'name="values-' not in page.text


def test_a_first_value_someone_else_saved_in_the_same_instant_is_refused_with_a_message(
    world, login, monkeypatch
):
    # The race, made deterministic: the checks of the constraints have passed when the other
    # value lands, so the insert meets the database's unique constraint.
    monkeypatch.setattr(IndicatorValue, "validate_constraints", lambda value, exclude=None: None)
    client = login(world.users["editor at Herning"])
    add = reverse("admin:indicators_indicatorvalue_add")
    other = services.value_report(
        organization=world.school_b,
        entries=[services.ValueEntry(world.indicator, 2023, Decimal(30))],
        user=world.users["reporter at school B"],
        submit=True,
    )[0]

    response = client.post(
        add,
        {
            "indicator": world.indicator.pk,
            "organization": world.school_b.pk,
            "period": 2023,
            "value": "31",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "Intet er gemt. Tallet blev ændret af reporter_b" in response.text
    other.refresh_from_db()
    assert (other.value, other.entered_by) == (30, world.users["reporter at school B"])
