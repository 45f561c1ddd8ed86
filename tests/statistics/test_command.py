from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import IndicatorValue, StatisticsLink
from tests.statistics.test_imports import written


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_statistics", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_shows_the_new_values_and_writes_nothing(service, herning):
    service.answer("statbank_jsonstat.json")
    before = written()

    out, _err = run("--dry-run")

    assert "Andel i gang med en ungdomsuddannelse (Herning Kommune)" in out
    assert "Herning Kommune\t2023\tnew\t77,7\xa0%" in out
    assert "3 nye, 0 ændrede og 0 uændrede tal." in out
    assert written() == before
    herning.refresh_from_db()
    assert herning.last_fetched_at is None


def test_an_import_submits_the_values_entered_by_the_user_named(service, herning):
    service.answer("statbank_jsonstat.json")

    run("--user", herning.editor.username, "--indicator", str(herning.indicator.pk))

    assert (
        herning.indicator.values.filter(
            status=IndicatorValue.Status.SUBMITTED, entered_by=herning.editor
        ).count()
        == 3
    )


def test_an_indicator_is_named_by_its_organization_and_slug(service, herning):
    service.answer("statbank_jsonstat.json")
    name = f"{herning.indicator.organization.slug}/{herning.indicator.slug}"

    out, _err = run("--dry-run", "--indicator", name)

    assert "3 nye" in out


def test_a_failing_indicator_ends_with_an_error_and_leaves_the_others_imported(
    service, herning, solleftea
):
    solleftea.editor.is_superuser = True
    solleftea.editor.save()
    # Herning first (the organizations in alphabetical order): the table; then Kolada fails.
    service.answer("statbank_jsonstat.json")
    service.answer("server_error.html", status=500)

    with pytest.raises(CommandError, match="1 indicator"):
        run("--user", solleftea.editor.username)

    assert herning.indicator.values.count() == 3
    assert not solleftea.indicator.values.exists()


def test_a_dry_run_with_problems_ends_with_an_error(service, solleftea):
    service.answer("kolada_unknown_municipality.json")

    with pytest.raises(CommandError):
        run("--dry-run")


def test_an_import_needs_a_user(herning):
    with pytest.raises(CommandError, match="--user"):
        run()


def test_an_unknown_indicator_is_refused(herning):
    with pytest.raises(CommandError, match="no indicator"):
        run("--dry-run", "--indicator", "intet-saadant")


def test_only_linked_indicators_are_fetched(service, herning):
    StatisticsLink.objects.all().delete()

    out, _err = run("--dry-run")

    assert out == ""
    assert not service.requests
