"""The public page of what changed in a strategy between two periods
(`changes.changes_between`)."""

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from strategyportal.breadcrumbs import trail
from strategyportal.forms import PortalForm
from strategyportal.reports.changes import (
    Periods,
    StrategyChanges,
    changes_between,
    default_periods,
    is_sane_interval,
    periods_with_values,
)
from strategyportal.views import public_strategy_or_404


class PeriodsForm(PortalForm):
    """Two periods to compare, from the periods with values (and those already shown)."""

    fra = forms.TypedChoiceField(label=gettext_lazy("Fra"), coerce=int)
    til = forms.TypedChoiceField(label=gettext_lazy("Til og med"), coerce=int)

    def __init__(self, *args, periods: Periods, shown: tuple[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        years = sorted({*periods.years, *(shown or ())})
        choices = [(year, periods.label(year)) for year in years]
        for name, year in zip(("fra", "til"), shown or (None, None), strict=True):
            self.fields[name].choices = choices
            self.fields[name].initial = year

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("fra"), cleaned.get("til")
        if since is not None and until is not None and since >= until:
            self.add_error("til", _("Vælg en periode efter den første."))
        return cleaned

    def chosen(self) -> tuple[int, int] | None:
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data["fra"], self.cleaned_data["til"]


def latest_changes(request, owner, strategy):
    """The latest period with values against the one before. The periods the form asks for
    (`?fra=&til=`, without JavaScript) lead to their own address."""
    strategy = public_strategy_or_404(request, owner, strategy)
    periods = periods_with_values(strategy, user=request.user)
    if asked := _asked(request):
        form = PeriodsForm(asked, periods=periods)
        if chosen := form.chosen():
            return _redirect(strategy, chosen)
        return _render(request, strategy, form=form, found=None)
    chosen = default_periods(periods.years)
    form = PeriodsForm(periods=periods, shown=chosen)
    found = chosen and changes_between(
        strategy, since=chosen[0], until=chosen[1], user=request.user
    )
    return _render(request, strategy, form=form, found=found)


def changes(request, owner, strategy, since, until):
    if not is_sane_interval(since, until):
        raise Http404
    strategy = public_strategy_or_404(request, owner, strategy)
    periods = periods_with_values(strategy, user=request.user)
    form = PeriodsForm(_asked(request), periods=periods, shown=(since, until))
    if chosen := form.chosen():
        return _redirect(strategy, chosen)
    found = changes_between(strategy, since=since, until=until, user=request.user)
    return _render(request, strategy, form=form, found=found)


def _asked(request):
    """The form's query, or None: an address may carry other parameters (utm_source=…, a
    cache-buster) that ask for no periods and so are no form to check."""
    return request.GET if "fra" in request.GET or "til" in request.GET else None


def _redirect(strategy, chosen: tuple[int, int]):
    return redirect("portal:strategy_changes", strategy.owner.slug, strategy.slug, *chosen)


def _render(request, strategy, *, form: PeriodsForm, found: StrategyChanges | None):
    title = (
        _("Udviklingen fra %(since)s til %(until)s")
        % {"since": found.since_label, "until": found.until_label}
        if found
        else _("Udviklingen")
    )
    context = {
        "strategy": strategy,
        "changes": found,
        "form": form,
        "title": title,
        "breadcrumbs": trail(strategy.owner, strategy, title),
    }
    return render(request, "reports/changes.html", context)
