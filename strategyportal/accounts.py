import hashlib
import ipaddress

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse_lazy

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


def password_reset_throttled(request: HttpRequest, email: str) -> bool:
    """Whether a reset for `email` from this client goes over the hourly limits. Both are
    counted on every request, so a flood for many addresses from one client is stopped too."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_email = _over_limit(f"reset:email:{address}", settings.PASSWORD_RESET_LIMIT_PER_EMAIL)
    by_ip = _over_limit(f"reset:ip:{client_ip(request)}", settings.PASSWORD_RESET_LIMIT_PER_IP)
    return by_email or by_ip


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
