import ipaddress

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.crypto import salted_hmac

from municipalities.invitations import invitation_tokens
from municipalities.models import User
from strategyportal.forms import DesignSystemWidgets

RESET_WINDOW_SECONDS = 60 * 60


def client_ip(request: HttpRequest) -> str:
    """The address of the client, for counting its logins (django-axes) and password resets.

    Behind TRUSTED_PROXY_COUNT proxies that each append the address they were reached from to
    X-Forwarded-For, the client is that many entries from the right; what lies further left
    the client wrote itself. With no trusted proxy the header is ignored. A header that is
    shorter or not an address falls back to REMOTE_ADDR, as a request past the proxies would."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


def _over_limit(key: str, limit: int) -> bool:
    # A fixed one-hour window from the first request: add() starts it, incr() counts in it.
    cache.add(key, 0, RESET_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        # The window ended between add() and incr().
        cache.add(key, 1, RESET_WINDOW_SECONDS)
        count = 1
    return count > limit


def _counted(scope: str, kind: str, value: str) -> str:
    # Keyed, so that the cache holds neither an address nor an IP address, nor a plain hash
    # that could be checked against a list of them (all of IPv4 is a short list).
    digest = salted_hmac("strategyportal.accounts.throttle", value, algorithm="sha256")
    return f"{scope}:{kind}:{digest.hexdigest()}"


def over_hourly_limits(
    request: HttpRequest, email: str, *, scope: str, per_email: int, per_ip: int
) -> bool:
    """Whether a request that mails `email` (a password reset, a confirmation link) from
    this client goes over `scope`'s hourly limits. Both are counted on every request, so
    neither one address nor one client can use the form to fill an inbox."""
    address = email.strip().lower()
    by_email = _over_limit(_counted(scope, "email", address), per_email)
    by_ip = _over_limit(_counted(scope, "ip", client_ip(request)), per_ip)
    return by_email or by_ip


def password_reset_throttled(request: HttpRequest, email: str) -> bool:
    return over_hourly_limits(
        request,
        email,
        scope="reset",
        per_email=settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
        per_ip=settings.PASSWORD_RESET_LIMIT_PER_IP,
    )


class LoginForm(DesignSystemWidgets, auth_forms.AuthenticationForm):
    pass


class PasswordResetForm(DesignSystemWidgets, auth_forms.PasswordResetForm):
    def get_users(self, email):
        # Django leaves out users without a usable password. Here that is a user who was
        # invited and has not chosen one yet (e.g. the invitation expired): they get the link.
        return (
            user
            for user in User.objects.filter(email__iexact=email, is_active=True)
            if user.email.casefold() == email.casefold()
        )


class SetPasswordForm(DesignSystemWidgets, auth_forms.SetPasswordForm):
    pass


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def form_valid(self, form):
        # Over the limit the answer is the same as always, so it tells nothing about the
        # address; only the e-mail is not sent.
        if password_reset_throttled(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm


class InvitationView(auth_views.PasswordResetConfirmView):
    """The link in an invitation: the user chooses their first password and is logged in."""

    form_class = SetPasswordForm
    token_generator = invitation_tokens
    template_name = "registration/invitation_confirm.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("reporting:home")
