from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from strategyportal.accounts import client_ip


class ClientRateThrottle(AnonRateThrottle):
    """API_RATE requests per client address, counted in the shared cache."""

    scope = "api"

    def get_rate(self):
        # Read when asked rather than when the class was made, so a changed setting counts.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        # The same client address as logins and password resets are counted by.
        return client_ip(request)
