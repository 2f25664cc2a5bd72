"""Administrators reach nothing before they confirm a second factor (TOTP) after their password."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.otp import needs_second_factor

# Pages an administrator may open between password and code: the code pages themselves,
# logging out, switching language, static files.
EXEMPT_URL_NAMES = ("accounts:otp_verify", "accounts:otp_setup", "accounts:logout", "set_language")


class AdministratorSecondFactorMiddleware:
    """Send a signed-in administrator who has not confirmed a TOTP code this session to the code page.

    Runs after django_otp.middleware.OTPMiddleware, which sets request.user.is_verified().
    Other roles are not affected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and needs_second_factor(user) and not user.is_verified():
            exempt = [reverse(name) for name in EXEMPT_URL_NAMES]
            if request.path not in exempt and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
                has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
                target = reverse("accounts:otp_verify" if has_device else "accounts:otp_setup")
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
