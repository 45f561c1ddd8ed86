"""E-mails of the reporting cycle, each in its recipient's language: values sent for approval go
to the editors who may review them, a review's outcome goes to the reporter, and
`manage.py send_reminders` reminds reporters of what they still owe.

An e-mail tells people about data; it is never part of it. It is sent only after the
transaction commits, so a save that is rolled back tells nobody anything, and a mail server
that is down is logged, never raised, so the value stays saved and the page still answers.

The templates are plain text under `templates/indicators/email/`; the first line of each is
the subject, the rest the body.
"""

import logging
import re
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from indicators.models import Indicator, IndicatorValue
from indicators.rounds import with_ancestors
from municipalities.models import Membership, Organization, User

logger = logging.getLogger(__name__)

# An e-mail about a spreadsheet of 10,000 values lists the first ones and counts the rest.
LISTED_VALUES = 20


def values_submitted(*, values: list[IndicatorValue], by: User) -> None:
    """Tell the editors who may review `values` that they wait for approval: one e-mail per
    editor, whatever the number of values. Call it inside the transaction that submitted them;
    values that are not submitted (drafts) are left out."""
    submitted = [value for value in values if value.status == IndicatorValue.Status.SUBMITTED]
    if submitted:
        transaction.on_commit(lambda: _never_raising(_tell_editors, submitted, by))


def value_reviewed(*, value: IndicatorValue) -> None:
    """Tell the reporter of `value` that it was approved, or rejected and why. Call it after
    approving or rejecting, inside the same transaction."""
    transaction.on_commit(lambda: _never_raising(_tell_reporter, value))


def can_receive(user: User | None, *, besides: int | None = None) -> bool:
    """Whether `user` can be written to: active, with an address, and not the one (`besides`)
    who caused the e-mail, who knows already."""
    return user is not None and user.is_active and bool(user.email) and user.pk != besides


def compose(user: User, template: str, context: dict) -> mail.EmailMessage:
    """`template` rendered for `user` in their language. Links in it are written
    `{{ portal }}{% url … %}`: absolute, and with the language's prefix (/sv/, /en/; Danish
    has none), since `{% url %}` reverses in the active language."""
    context = {"user": user, "portal": settings.PORTAL_URL.rstrip("/"), **context}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = render_to_string(template, context)
    subject, _newline, body = text.strip().partition("\n")
    # Template tags leave blank lines behind; a paragraph break is one blank line.
    body = re.sub(r"[ \t]+\n", "\n", body.strip())
    body = re.sub(r"\n{3,}", "\n\n", body) + "\n"
    return mail.EmailMessage(subject=subject.strip(), body=body, to=[user.email])


def send(messages: Sequence[mail.EmailMessage]) -> list[mail.EmailMessage]:
    """Send `messages` on one connection and return those that were sent. Nothing is raised: a
    refused address is logged and the others are still sent; a server that cannot be reached
    is logged once."""
    sent = []
    if not messages:
        return sent
    try:
        with mail.mailers.default as connection:
            for message in messages:
                try:
                    if connection.send_messages([message]):
                        sent.append(message)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
                    logger.exception(
                        "The mail server refused %r to %s", message.subject, message.to
                    )
    except Exception:
        logger.exception(
            "Could not send e-mail: %d of %d not sent", len(messages) - len(sent), len(messages)
        )
    return sent


def _never_raising(tell: Callable, *args) -> None:
    # Runs after the commit: an exception here would turn a saved value into an error page.
    try:
        tell(*args)
    except Exception:
        logger.exception("Could not send the notifications of %s", tell.__name__)


@dataclass(frozen=True)
class Line:
    """One value in an editor's e-mail, with what is needed to write it."""

    value: IndicatorValue
    indicator: Indicator
    organization: Organization


def _tell_editors(values: list[IndicatorValue], by: User) -> None:
    # A fixed number of queries, whatever the number of values: the indicators, the
    # organizations, one per level of the tree above the owners, and the editors.
    indicators = Indicator.objects.select_related("metric").in_bulk(
        {value.indicator_id for value in values}
    )
    organizations = Organization.objects.in_bulk({value.organization_id for value in values})
    owners = {indicator.organization_id for indicator in indicators.values()}
    parents = Organization.objects.parents_upward(owners)
    # An editor of the owner or of any organization above it reviews the owner's values.
    reviewed_from = {owner: with_ancestors(parents, owner) for owner in owners}
    memberships = (
        Membership.objects.filter(
            role=Membership.Role.EDITOR,
            organization__in=set().union(*reviewed_from.values()),
            user__is_active=True,
        )
        .exclude(user__email="")
        .exclude(user_id=by.pk)
        .select_related("user")
    )
    editors: dict[int, tuple[User, set[int]]] = {}
    for membership in memberships:
        editors.setdefault(membership.user_id, (membership.user, set()))[1].add(
            membership.organization_id
        )
    lines = sorted(
        (
            Line(value, indicators[value.indicator_id], organizations[value.organization_id])
            for value in values
        ),
        key=lambda line: (
            line.organization.name,
            line.indicator.name,
            line.value.period,
            line.value.pk,
        ),
    )
    messages = []
    for user, editing in editors.values():
        if not can_receive(user, besides=by.pk):
            continue
        theirs = [line for line in lines if reviewed_from[line.indicator.organization_id] & editing]
        if not theirs:
            continue
        messages.append(
            compose(
                user,
                "indicators/email/values_submitted.txt",
                {
                    "by": by,
                    "count": len(theirs),
                    "lines": theirs[:LISTED_VALUES],
                    "more": max(0, len(theirs) - LISTED_VALUES),
                },
            )
        )
    send(messages)


def _tell_reporter(value: IndicatorValue) -> None:
    reporter = value.entered_by
    if not can_receive(reporter, besides=value.reviewed_by_id):
        return
    templates = {
        IndicatorValue.Status.APPROVED: "indicators/email/value_approved.txt",
        IndicatorValue.Status.REJECTED: "indicators/email/value_rejected.txt",
    }
    if value.status not in templates:
        return
    send(
        [
            compose(
                reporter,
                templates[value.status],
                {
                    "value": value,
                    "indicator": value.indicator,
                    "organization": value.organization,
                    "reviewer": value.reviewed_by,
                },
            )
        ]
    )
