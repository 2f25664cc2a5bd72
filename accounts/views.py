"""The home page: what each role can do."""

import sys
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from accounts.forms import CodeForm
from accounts.otp import base32_secret, confirmed_device, pending_device

from accounts.roles import Role, role_of


@login_required
def home(request):
    """Show the signed-in user the tasks of their role."""
    role = role_of(request.user)
    template = {
        Role.EVALUATOR: "accounts/home_evaluator.html",
        Role.PARTNER_STAFF: "accounts/home_partner.html",
        Role.ADMINISTRATOR: "accounts/home_administrator.html",
        Role.ANALYST: "accounts/home_analyst.html",
    }.get(role, "accounts/home_no_role.html")
    return render(request, template, {"role": role})


def _next_url(request):
    """The page the administrator was going to, if it is on this site."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


@login_required
def otp_verify(request):
    """Second step of an administrator's login: the code of their confirmed TOTP device."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_is_allowed()[0] and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _("This code is not correct or has expired. Enter the code your app shows now."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_setup(request):
    """An administrator without a confirmed device links an authenticator app, then confirms one code."""
    if confirmed_device(request.user) is not None:
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request)})}")
    device = pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_is_allowed()[0] and device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _("This code is not correct or has expired. Enter the code your app shows now."))
    context = {"form": form, "next": _next_url(request), "secret": base32_secret(device), "otpauth_url": device.config_url}
    return render(request, "accounts/otp_setup.html", context)


def server_error(request):
    """handler500: an unreachable database answers 503 with its own page, anything else 500.

    Renders without request context or database (both may be what failed). Django opens a new
    database connection for the next request, so the application recovers when the database returns.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)

