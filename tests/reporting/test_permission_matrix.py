"""Who may do what, as one table. For every "no" the object exists, and the answer is a
refusal (a redirect to log in, 403 or 404), never an empty page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import Goal, Strategy
from indicators import uploads
from indicators.models import IndicatorValue, ValueUpload
from tests.factories import ReportingRoundFactory
from tests.reporting.conftest import goal_form

USERS = [
    "anonymous",
    "reporter at school A",
    "reporter at school B",
    "editor at Herning",
    "editor at Hillerød",
    "superuser",
]

# action: the users who may do it
MAY = {
    "see the admin list of goals": {"editor at Herning", "editor at Hillerød", "superuser"},
    "change a Herning goal": {"editor at Herning", "superuser"},
    "change a Hillerød goal": {"editor at Hillerød", "superuser"},
    "enter a value for school A": {"reporter at school A", "editor at Herning", "superuser"},
    "approve a value for school A": {"editor at Herning", "superuser"},
    "see a draft strategy publicly": {"editor at Herning", "superuser"},
    "see who is missing in Herning's round": {"editor at Herning", "superuser"},
    "upload values to Herning's round": {"editor at Herning", "superuser"},
    # An upload is entered by its uploader: nobody else applies it, not even a superuser.
    "apply the Herning editor's upload": {"editor at Herning"},
}


def change_goal(client, goal):
    url = reverse("admin:goals_goal_change", args=[goal.pk])
    response = client.post(url, goal_form(goal, text="Ændret mål"))
    done = Goal.objects.get(pk=goal.pk).text == "Ændret mål"
    return response, done


def act(action, client, world):
    """Try the action; return the response and whether it took effect."""
    if action == "see the admin list of goals":
        response = client.get(reverse("admin:goals_goal_changelist"))
        listed = "Herning-mål" in response.text or "Hillerød-mål" in response.text
        return response, response.status_code == 200 and listed
    if action == "change a Herning goal":
        return change_goal(client, world.herning_goal)
    if action == "change a Hillerød goal":
        return change_goal(client, world.hillerod_goal)
    if action == "enter a value for school A":
        prefix = f"indicator-{world.indicator.pk}-2023"
        response = client.post(
            reverse("reporting:report", args=[world.school_a.slug]),
            {
                "periode": 2023,
                "action": "submit",
                f"{prefix}-value": "45",
                f"{prefix}-source": "Tælling",
            },
        )
        done = IndicatorValue.objects.filter(organization=world.school_a, period=2023).exists()
        return response, done
    if action == "approve a value for school A":
        response = client.post(reverse("reporting:approve", args=[world.submitted.pk]))
        world.submitted.refresh_from_db()
        return response, world.submitted.status == IndicatorValue.Status.APPROVED
    if action == "see a draft strategy publicly":
        response = client.get(world.draft.get_absolute_url())
        return response, response.status_code == 200 and "Hemmeligt udkast" in response.text
    if action == "see who is missing in Herning's round":
        response = client.get(reverse("reporting:round", args=[herning_round(world).pk]))
        return response, response.status_code == 200 and "Skole A" in response.text
    if action == "upload values to Herning's round":
        content = (
            f"organisation;indikator;periode;værdi\nskole-a;herning/{world.indicator.slug};2023;45"
        )
        response = client.post(
            reverse("reporting:upload", args=[herning_round(world).pk]),
            {"file": SimpleUploadedFile("tal.csv", content.encode())},
        )
        return response, ValueUpload.objects.exists()
    if action == "apply the Herning editor's upload":
        upload = herning_upload(world)
        response = client.post(
            reverse("reporting:upload_apply", args=[upload.reporting_round_id, upload.pk])
        )
        done = IndicatorValue.objects.filter(organization=world.school_a, period=2023).exists()
        return response, done
    raise AssertionError(action)


def herning_round(world):
    return ReportingRoundFactory(organization=world.herning, period=2023)


def herning_upload(world):
    content = (
        f"organisation;indikator;periode;værdi\nskole-a;herning/{world.indicator.slug};2023;45"
    )
    return uploads.upload_preview(
        reporting_round=herning_round(world),
        content=content.encode(),
        filename="tal.csv",
        user=world.users["editor at Herning"],
    )


def is_refusal(response) -> bool:
    if response.status_code in (403, 404):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and ("log-ind" in location or "/admin/login/" in location)


@pytest.mark.parametrize("action", MAY)
@pytest.mark.parametrize("who", USERS)
def test_permission_matrix(world, login, who, action):
    client = login(world.users[who])
    assert Goal.objects.filter(pk__in=[world.herning_goal.pk, world.hillerod_goal.pk]).count() == 2
    assert Strategy.objects.filter(pk=world.draft.pk).exists()
    assert IndicatorValue.objects.filter(pk=world.submitted.pk).exists()

    response, done = act(action, client, world)

    if who in MAY[action]:
        assert done, (who, action, response.status_code)
    else:
        assert not done
        assert is_refusal(response), (who, action, response.status_code)
