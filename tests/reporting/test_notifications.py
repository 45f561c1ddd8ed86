"""E-mails of the reporting cycle: values submitted, approved and rejected, and the daily
reminders before and after a round's deadline."""

import datetime
import email
import email.policy
import io
import logging
import socket
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import services, uploads
from indicators.models import IndicatorValue, ReminderSent
from indicators.notifications import LISTED_VALUES, value_reviewed, values_submitted
from municipalities.models import Membership
from strategyportal.settings import mailers_from
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    MembershipFactory,
    ReportingRoundFactory,
    SchoolFactory,
    UserFactory,
)

SMTP = "django.core.mail.backends.smtp.EmailBackend"
DEADLINE = datetime.date(2023, 3, 31)


def recipients(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def submitted_values(indicator, organization, periods, *, by):
    return [
        IndicatorValueFactory(
            indicator=indicator,
            organization=organization,
            period=period,
            value=Decimal(1500),
            status=IndicatorValue.Status.SUBMITTED,
            entered_by=by,
        )
        for period in periods
    ]


def submit(values, by, django_capture_on_commit_callbacks):
    """What the reporting service does: submit inside a transaction, tell on commit."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        values_submitted(values=values, by=by)


def review(value, reviewer, status, django_capture_on_commit_callbacks, reason=""):
    value.status = status
    value.rejection_reason = reason
    value.reviewed_by = reviewer
    value.save()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        value_reviewed(value=value)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Submitted values → the editors who may review them


@pytest.fixture
def school_indicator(world):
    """School A's own indicator: reviewed by School A's editors and by Herning's above."""
    return IndicatorFactory(
        organization=world.school_a, name="Fravær", reporting_organizations=[world.school_a]
    )


def test_submitted_values_go_to_the_editors_of_the_owner_and_of_the_organization_above(
    world, school_indicator, mailoutbox, django_capture_on_commit_callbacks
):
    school_editor = UserFactory(username="editor_a")
    MembershipFactory(user=school_editor, organization=world.school_a)
    reporter = world.users["reporter at school A"]
    # Editors who must not hear of it: another municipality's, and a sister school's.
    assert Membership.objects.filter(
        user=world.users["editor at Hillerød"], role=Membership.Role.EDITOR
    ).exists()
    MembershipFactory(user=UserFactory(username="editor_b"), organization=world.school_b)
    values = submitted_values(school_indicator, world.school_a, [2022], by=reporter)

    submit(values, reporter, django_capture_on_commit_callbacks)

    assert recipients(mailoutbox) == ["editor_a@example.dk", "editor_herning@example.dk"]
    message = mailoutbox[0]
    assert message.subject == "Et tal venter på din godkendelse"
    assert "reporter_a har sendt et tal til godkendelse" in message.body
    assert "- Skole A: Fravær, 2022: 1.500\xa0årselever" in message.body
    assert "http://127.0.0.1:8000/gennemgang/" in message.body


def test_the_submitter_is_not_told_of_their_own_values(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    editor = world.users["editor at Herning"]
    values = submitted_values(world.indicator, world.school_b, [2022], by=editor)

    submit(values, editor, django_capture_on_commit_callbacks)

    assert mailoutbox == []


def test_inactive_editors_and_editors_without_an_address_are_not_written_to(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    for username, changes in [("gone", {"is_active": False}), ("no_address", {"email": ""})]:
        MembershipFactory(
            user=UserFactory(username=username, **changes), organization=world.herning
        )
    reporter = world.users["reporter at school B"]
    values = submitted_values(world.indicator, world.school_b, [2022], by=reporter)

    submit(values, reporter, django_capture_on_commit_callbacks)

    assert recipients(mailoutbox) == ["editor_herning@example.dk"]


def test_an_editor_gets_one_email_for_many_values_listing_the_first_and_counting_the_rest(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    reporter = world.users["reporter at school B"]
    count = LISTED_VALUES + 10
    values = submitted_values(
        world.indicator, world.school_b, range(1990, 1990 + count), by=reporter
    )

    submit(values, reporter, django_capture_on_commit_callbacks)

    [message] = mailoutbox
    assert message.subject == f"{count} tal venter på din godkendelse"
    assert message.body.count("- Skole B: Elever i 0. klasse") == LISTED_VALUES
    assert "… og 10 tal mere" in message.body


def test_drafts_are_not_announced(world, mailoutbox, django_capture_on_commit_callbacks):
    reporter = world.users["reporter at school B"]
    [draft] = submitted_values(world.indicator, world.school_b, [2022], by=reporter)
    draft.status = IndicatorValue.Status.DRAFT

    submit([draft], reporter, django_capture_on_commit_callbacks)

    assert mailoutbox == []


def test_nothing_is_sent_when_the_save_is_rolled_back(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    reporter = world.users["reporter at school B"]
    values = submitted_values(world.indicator, world.school_b, [2022], by=reporter)

    def failing_save():
        with transaction.atomic():
            values_submitted(values=values, by=reporter)
            raise RuntimeError("the save failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        failing_save()

    assert callbacks == []
    assert mailoutbox == []


def test_the_queries_for_the_editors_do_not_grow_with_the_number_of_values(
    world, django_capture_on_commit_callbacks
):
    reporter = world.users["reporter at school B"]
    few = submitted_values(world.indicator, world.school_b, [2020, 2021], by=reporter)
    other = IndicatorFactory(
        organization=world.herning, reporting_organizations=[world.school_a, world.school_b]
    )
    many = [
        *submitted_values(world.indicator, world.school_b, range(1990, 2020), by=reporter),
        *submitted_values(other, world.school_a, range(1990, 2020), by=reporter),
    ]

    def queries(values):
        with CaptureQueriesContext(connection) as captured:
            submit(values, reporter, django_capture_on_commit_callbacks)
        return len(captured)

    assert queries(many) == queries(few)


# A review's outcome → the reporter


def test_the_reporter_hears_that_a_value_was_approved_and_is_public(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.submitted.entered_by = world.users["reporter at school A"]

    review(
        world.submitted,
        world.users["editor at Herning"],
        IndicatorValue.Status.APPROVED,
        django_capture_on_commit_callbacks,
    )

    [message] = mailoutbox
    assert message.to == ["reporter_a@example.dk"]
    assert message.subject == "Godkendt: Elever i 0. klasse, 2022"
    assert "38\xa0elever, er godkendt af editor_herning" in message.body
    assert "offentligt" in message.body


def test_the_reporter_hears_why_a_value_was_rejected_and_where_to_correct_it(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.submitted.entered_by = world.users["reporter at school A"]

    review(
        world.submitted,
        world.users["editor at Herning"],
        IndicatorValue.Status.REJECTED,
        django_capture_on_commit_callbacks,
        reason="Tallet er for lavt; tjek kilden.",
    )

    [message] = mailoutbox
    assert message.to == ["reporter_a@example.dk"]
    assert message.subject == "Afvist: Elever i 0. klasse, 2022"
    assert "Tallet er for lavt; tjek kilden." in message.body
    assert "http://127.0.0.1:8000/indberetning/skole-a/?periode=2022" in message.body


def test_a_superuser_approving_their_own_value_is_not_told(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    root = world.users["superuser"]
    world.submitted.entered_by = root

    review(
        world.submitted, root, IndicatorValue.Status.APPROVED, django_capture_on_commit_callbacks
    )

    assert mailoutbox == []


def test_a_value_without_a_reporter_who_can_be_written_to_sends_nothing(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    reporter = world.users["reporter at school A"]
    reporter.email = ""
    reporter.save()
    world.submitted.entered_by = reporter

    review(
        world.submitted,
        world.users["editor at Herning"],
        IndicatorValue.Status.APPROVED,
        django_capture_on_commit_callbacks,
    )

    assert mailoutbox == []


# Language and links


def test_each_recipient_reads_the_text_numbers_and_links_in_their_own_language(
    world, school_indicator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "https://strategi.example.dk/"
    for username, language in [("editor_sv", "sv"), ("editor_en", "en")]:
        MembershipFactory(
            user=UserFactory(username=username, language=language), organization=world.herning
        )
    reporter = world.users["reporter at school A"]
    values = submitted_values(school_indicator, world.school_a, [2022], by=reporter)

    submit(values, reporter, django_capture_on_commit_callbacks)

    body = {message.to[0]: message.body for message in mailoutbox}
    subject = {message.to[0]: message.subject for message in mailoutbox}
    assert subject["editor_sv@example.dk"] == "Ett värde väntar på ditt godkännande"
    assert subject["editor_en@example.dk"] == "A value is awaiting your approval"
    assert "1.500\xa0årselever" in body["editor_herning@example.dk"]
    assert "https://strategi.example.dk/gennemgang/" in body["editor_herning@example.dk"]
    assert "1\xa0500\xa0årselever" in body["editor_sv@example.dk"]
    assert "https://strategi.example.dk/sv/gennemgang/" in body["editor_sv@example.dk"]
    assert "1,500\xa0årselever" in body["editor_en@example.dk"]
    assert "https://strategi.example.dk/en/gennemgang/" in body["editor_en@example.dk"]


# A mail server that is down


def test_a_mail_server_that_is_down_neither_raises_nor_undoes_the_save(
    world, mailoutbox, django_capture_on_commit_callbacks, settings, caplog
):
    settings.MAILERS = {
        "default": {
            "BACKEND": SMTP,
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    reporter = world.users["reporter at school B"]
    values = submitted_values(world.indicator, world.school_b, [2022], by=reporter)

    with caplog.at_level(logging.ERROR, logger="indicators.notifications"):
        submit(values, reporter, django_capture_on_commit_callbacks)

    assert IndicatorValue.objects.filter(pk=values[0].pk).exists()
    assert "Could not send e-mail" in caplog.text


def test_a_notification_reaches_a_real_smtp_server(
    world, django_capture_on_commit_callbacks, settings
):
    class Collect:
        def __init__(self):
            self.envelopes = []

        async def handle_DATA(self, server, session, envelope):
            self.envelopes.append(envelope)
            return "250 Message accepted for delivery"

    handler = Collect()
    port = free_port()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    try:
        settings.MAILERS = mailers_from({"EMAIL_URL": f"smtp://127.0.0.1:{port}"})
        settings.DEFAULT_FROM_EMAIL = "strategiportalen@example.dk"
        world.submitted.entered_by = world.users["reporter at school A"]

        review(
            world.submitted,
            world.users["editor at Herning"],
            IndicatorValue.Status.REJECTED,
            django_capture_on_commit_callbacks,
            reason="Kilden mangler.",
        )
    finally:
        server.stop()

    [envelope] = handler.envelopes
    assert envelope.mail_from == "strategiportalen@example.dk"
    assert envelope.rcpt_tos == ["reporter_a@example.dk"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Afvist: Elever i 0. klasse, 2022"
    assert "Kilden mangler." in message.get_content()


# Settings


@pytest.mark.parametrize(
    ("url", "options"),
    [
        (
            "smtp://portal:hemmelig%40kode@mail.example.dk:25",
            {
                "host": "mail.example.dk",
                "port": 25,
                "username": "portal",
                "password": "hemmelig@kode",
                "use_tls": False,
                "use_ssl": False,
                "timeout": 10,
            },
        ),
        (
            "smtp+tls://mail.example.dk:587",
            {"host": "mail.example.dk", "port": 587, "use_tls": True, "use_ssl": False},
        ),
        ("smtp+ssl://mail.example.dk", {"host": "mail.example.dk", "use_ssl": True}),
    ],
)
def test_an_email_url_becomes_the_smtp_mailer(url, options):
    mailer = mailers_from({"EMAIL_URL": url})["default"]

    assert mailer["BACKEND"] == SMTP
    assert mailer["OPTIONS"].items() >= options.items()
    assert mailer["OPTIONS"]["timeout"] == 10


def test_the_console_is_the_default_and_email_backend_still_works():
    assert mailers_from({})["default"] == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend",
        "OPTIONS": {},
    }
    assert mailers_from({"EMAIL_URL": "consolemail://"})["default"]["OPTIONS"] == {}
    classic = mailers_from(
        {
            "EMAIL_BACKEND": SMTP,
            "EMAIL_HOST": "mail.example.dk",
            "EMAIL_PORT": "587",
            "EMAIL_USE_TLS": "True",
            "EMAIL_TIMEOUT": "5",
        }
    )["default"]
    assert classic["BACKEND"] == SMTP
    assert classic["OPTIONS"] == {
        "host": "mail.example.dk",
        "port": 587,
        "use_tls": True,
        "use_ssl": False,
        "timeout": 5,
    }


# Reminders


@pytest.fixture
def herning_round(world):
    """Herning's round for 2022: School A has submitted its value, School B owes it."""
    return ReportingRoundFactory(
        organization=world.herning, period=2022, deadline=DEADLINE, title="Indberetning 2022"
    )


def remind(day: datetime.date, *arguments) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--today", day.isoformat(), *arguments, stdout=out)
    return out.getvalue()


def days_from_deadline(days: int) -> datetime.date:
    return DEADLINE + datetime.timedelta(days=days)


def test_a_reporter_who_owes_values_is_reminded_a_week_before_the_deadline(
    world, herning_round, mailoutbox
):
    output = remind(days_from_deadline(-7))

    [message] = mailoutbox
    assert message.to == ["reporter_b@example.dk"]
    assert message.subject == "Påmindelse: tal for 2022 skal indsendes senest 31. marts 2023"
    assert "Herning Kommune beder om tal for 2022" in message.body
    assert "Skole B\n- Elever i 0. klasse: Mangler" in message.body
    assert "http://127.0.0.1:8000/indberetning/skole-b/?periode=2022" in message.body
    assert "Sent 1 reminder(s)." in output
    assert list(ReminderSent.objects.values_list("user__username", "days")) == [("reporter_b", -7)]


def test_nobody_is_reminded_before_the_first_point_of_the_schedule(
    world, herning_round, mailoutbox
):
    remind(days_from_deadline(-8))

    assert mailoutbox == []


def test_a_reminder_is_sent_once_however_often_the_command_runs(world, herning_round, mailoutbox):
    remind(days_from_deadline(-7))
    output = remind(days_from_deadline(-6))

    assert len(mailoutbox) == 1
    assert "Sent 0 reminder(s)." in output

    remind(days_from_deadline(-1))

    assert len(mailoutbox) == 2
    assert sorted(ReminderSent.objects.values_list("days", flat=True)) == [-7, -1]


def test_after_the_deadline_the_reminder_says_it_is_overdue(world, herning_round, mailoutbox):
    remind(days_from_deadline(1))

    [message] = mailoutbox
    assert message.subject == "Fristen for tal for 2022 var 31. marts 2023"
    assert "Fristen er overskredet" in message.body


def test_missed_points_of_the_schedule_are_not_sent_afterwards(world, herning_round, mailoutbox):
    # The command did not run for the week before and the day before: only the latest is due.
    remind(days_from_deadline(3))
    remind(days_from_deadline(4))

    assert len(mailoutbox) == 1
    assert list(ReminderSent.objects.values_list("days", flat=True)) == [1]


def test_a_dry_run_lists_who_would_be_reminded_and_sends_and_records_nothing(
    world, herning_round, mailoutbox
):
    output = remind(days_from_deadline(-7), "--dry-run")

    assert "reporter_b@example.dk" in output
    assert "Skole B" in output
    assert "1 reminder(s) would be sent" in output
    assert mailoutbox == []
    assert not ReminderSent.objects.exists()


def test_a_reporter_whose_values_are_all_approved_or_submitted_is_not_reminded(
    world, herning_round, mailoutbox
):
    IndicatorValueFactory(
        indicator=world.indicator,
        organization=world.school_b,
        period=2022,
        value=40,
        status=IndicatorValue.Status.APPROVED,
    )

    output = remind(days_from_deadline(-7))

    # School A's value waits for an editor, School B's is approved: nobody owes anything.
    assert mailoutbox == []
    assert "Sent 0 reminder(s)." in output


def test_rejected_and_draft_values_are_still_owed_with_the_reason(world, herning_round, mailoutbox):
    world.submitted.status = IndicatorValue.Status.REJECTED
    world.submitted.rejection_reason = "Tallet er for lavt."
    world.submitted.save()

    remind(days_from_deadline(-7))

    message = next(m for m in mailoutbox if m.to == ["reporter_a@example.dk"])
    assert "- Elever i 0. klasse: Afvist (Tallet er for lavt.)" in message.body


def test_someone_reporting_for_two_schools_gets_one_email_about_both(
    world, herning_round, mailoutbox
):
    both = UserFactory(username="both")
    for school in (world.school_a, world.school_b):
        MembershipFactory(user=both, organization=school, role=Membership.Role.REPORTER)
    IndicatorFactory(
        organization=world.herning, name="Årselever", reporting_organizations=[world.school_a]
    )

    remind(days_from_deadline(-7))

    [message] = [m for m in mailoutbox if m.to == ["both@example.dk"]]
    assert "Skole A\n- Årselever: Mangler" in message.body
    assert "Skole B\n- Elever i 0. klasse: Mangler" in message.body


def test_closed_rounds_and_inactive_reporters_get_no_reminder(world, herning_round, mailoutbox):
    reporter = world.users["reporter at school B"]
    reporter.is_active = False
    reporter.save()
    closed = ReportingRoundFactory(
        organization=world.herning, period=2021, deadline=DEADLINE, is_closed=True
    )
    assert closed.is_closed

    remind(days_from_deadline(-7))

    assert mailoutbox == []


def test_a_swedish_reporter_reads_the_deadline_and_the_states_in_swedish(
    world, herning_round, mailoutbox
):
    reporter = world.users["reporter at school B"]
    reporter.language = "sv"
    reporter.save()

    remind(days_from_deadline(-7))

    [message] = mailoutbox
    assert "31 mars 2023" in message.subject
    assert "Elever i 0. klasse: Saknas" in message.body
    assert "http://127.0.0.1:8000/sv/indberetning/skole-b/?periode=2022" in message.body


def test_the_reminder_queries_do_not_grow_with_the_number_of_schools(world, herning_round):
    def schools(count):
        for _ in range(count):
            school = SchoolFactory(parent=world.herning)
            world.indicator.reporting_organizations.add(school)
            MembershipFactory(organization=school, role=Membership.Role.REPORTER)

    def queries(day):
        with CaptureQueriesContext(connection) as captured:
            remind(day)
        return len(captured)

    schools(2)
    few = queries(days_from_deadline(-7))
    schools(10)
    many = queries(days_from_deadline(-1))

    assert ReminderSent.objects.filter(days=-1).count() == 13
    assert many == few


def test_a_reminder_that_could_not_be_sent_is_not_recorded_and_is_tried_again(
    world, herning_round, mailoutbox, settings
):
    locmem = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": SMTP,
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }

    with pytest.raises(CommandError, match="1 reminder"):
        remind(days_from_deadline(-7))

    assert not ReminderSent.objects.exists()

    settings.MAILERS = locmem
    remind(days_from_deadline(-6))

    assert recipients(mailoutbox) == ["reporter_b@example.dk"]


def test_the_reporting_page_the_review_and_an_upload_each_tell_the_right_people(
    world, login, mailoutbox, django_capture_on_commit_callbacks
):
    prefix = f"indicator-{world.indicator.pk}-2023"
    client = login(world.users["reporter at school A"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reporting:report", args=["skole-a"]),
            {"periode": 2023, "action": "submit", f"{prefix}-value": "40"},
        )
    assert recipients(mailoutbox) == ["editor_herning@example.dk"]

    value = IndicatorValue.objects.get(organization=world.school_a, period=2023)
    with django_capture_on_commit_callbacks(execute=True):
        services.value_reject(value=value, user=world.users["editor at Herning"], reason="Tjek")
    assert mailoutbox[-1].to == ["reporter_a@example.dk"]
    assert "Tjek" in mailoutbox[-1].body

    # Uploaded values are the uploader's: the other editor approves them, and is told.
    MembershipFactory(
        user=UserFactory(username="anden_redaktoer", email="anden@example.dk"),
        organization=world.herning,
    )
    editor = world.users["editor at Herning"]
    reporting_round = ReportingRoundFactory(organization=world.herning, period=2023)
    content = (
        f"organisation;indikator;periode;værdi\nskole-b;herning/{world.indicator.slug};2023;41"
    )
    upload = uploads.upload_preview(
        reporting_round=reporting_round, content=content.encode(), filename="t.csv", user=editor
    )
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        uploads.upload_apply(upload=upload, user=editor)
    assert recipients(mailoutbox[sent:]) == ["anden@example.dk"]
