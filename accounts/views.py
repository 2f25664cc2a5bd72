"""The home page: what each role can do."""

import sys
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login

from accounts.access import otp_enrolment_targets
from accounts.forms import APITokenForm, CodeForm, EnrolmentCodeForm, IssueEnrolmentCodeForm
from accounts.models import APIToken
from accounts.otp import (
    ENROLMENT_MAX_FAILURES,
    ENROLMENT_VALID_HOURS,
    accept_enrolment_code,
    accepted_enrolment,
    base32_secret,
    confirmed_device,
    issue_enrolment_code,
    needs_second_factor,
    new_pending_device,
)
from accounts.tokens import issue_token, revoke_token
from common.forms import style_form


@require_POST
def set_language(request):
    """The language switch: Django's (cookie, redirect), and for a signed-in user the choice is kept.

    The interface then stays in that language on every device the user signs in on
    (accounts/language.py), and never follows the browser's language.
    """
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def _next_url(request):
    """The page the administrator was going to, if it is on this site."""

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


ENROLMENT_SESSION_KEY = "otp_enrolment"


@login_required
def otp_setup(request):
    """An administrator without a confirmed device links an authenticator app, in two steps.

    1. The enrolment code another administrator issued (or `manage.py issue_otp_enrolment`): the
       password alone never shows a key. A right code is used up at once and a fresh key made,
       bound to this session: the code cannot serve twice, and the key is shown only here.
    2. The key, and one code of the app to confirm it.
    Users who need no second factor cannot enrol at all (404).
    """
    if not needs_second_factor(request.user):
        raise Http404
    if confirmed_device(request.user) is not None:
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request)})}")
    accepted = request.session.get(ENROLMENT_SESSION_KEY) or {}
    device = accepted_enrolment(request.user, accepted.get("code"), accepted.get("device"))
    if device is None:
        return _enrolment_code_step(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_is_allowed()[0] and device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _("This code is not correct or has expired. Enter the code your app shows now."))
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": base32_secret(device),
        "otpauth_url": device.config_url,
    }
    response = render(request, "accounts/otp_setup.html", context)
    add_never_cache_headers(response)  # the key is on this page
    return response


def _enrolment_code_step(request):
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = accept_enrolment_code(request.user, form.cleaned_data["enrolment_code"])
        if code is not None:
            device = new_pending_device(request.user)
            request.session[ENROLMENT_SESSION_KEY] = {"code": code.pk, "device": device.pk}
            return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': _next_url(request)})}")
        form.add_error(
            "enrolment_code",
            _(
                "This enrolment code is not correct, has expired or has been used. After %(count)s wrong tries "
                "your codes stop working: then ask another administrator for a new one."
            )
            % {"count": ENROLMENT_MAX_FAILURES},
        )
    return render(request, "accounts/otp_enrolment_code.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_enrolment_issue(request, pk):
    """An administrator issues a single-use enrolment code for another administrator; shown once."""
    target = get_object_or_404(otp_enrolment_targets(request.user), pk=pk)
    form = IssueEnrolmentCodeForm(request.POST if request.method == "POST" else None)
    context = {
        "form": form,
        "target": target,
        "has_device": confirmed_device(target) is not None,
        "valid_hours": ENROLMENT_VALID_HOURS,
    }
    if request.method == "POST" and form.is_valid():
        context["code"] = issue_enrolment_code(target, issued_by=request.user)
    response = render(request, "accounts/otp_enrolment_issue.html", context)
    add_never_cache_headers(response)
    return response


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


@login_required
def api_tokens(request):
    """The user's personal API keys (an administrator's page lists everyone's): make one, shown once;
    see when each was last used; revoke one."""
    form = APITokenForm(request.POST if request.method == "POST" else None)
    key = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _token, key = issue_token(user=request.user, name=data["name"], days=data["days"], scope=data["scope"])
        form = APITokenForm()
    tokens = APIToken.objects.visible_to(request.user).select_related("user", "revoked_by")
    context = {"form": style_form(form), "key": key, "tokens": tokens, "now": timezone.now()}
    response = render(request, "accounts/api_tokens.html", context)
    add_never_cache_headers(response)  # a new key is on this page
    return response


@login_required
@require_POST
def api_token_revoke(request, pk):
    """Revoke a key: its user, or an administrator for anyone's; every other key answers 404."""
    token = get_object_or_404(APIToken.objects.visible_to(request.user), pk=pk)
    if revoke_token(token=token, by=request.user):
        messages.success(request, _("The API key “%(name)s” was revoked.") % {"name": token.name})
    else:
        messages.info(request, _("This API key was already revoked."))
    return redirect("accounts:api_tokens")
