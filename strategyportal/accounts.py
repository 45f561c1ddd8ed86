from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views

from strategyportal.forms import DesignSystemWidgets


class LoginForm(DesignSystemWidgets, auth_forms.AuthenticationForm):
    pass


class PasswordResetForm(DesignSystemWidgets, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(DesignSystemWidgets, auth_forms.SetPasswordForm):
    pass


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
