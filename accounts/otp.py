"""Who needs a second factor, the TOTP devices that give it, and the codes that let one be linked."""

import logging
import secrets
from base64 import b32encode
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import OTPEnrolmentCode
from accounts.roles import Role, role_of


def needs_second_factor(user) -> bool:
    """Administrators and everyone who can open the Django admin confirm a TOTP code after the password."""
    return bool(user.is_staff or user.is_superuser or role_of(user) == Role.ADMINISTRATOR)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def new_pending_device(user) -> TOTPDevice:
    """A fresh unconfirmed device, made when an enrolment code is accepted; earlier unconfirmed ones go.

    A fresh key per accepted code: a key shown after an earlier code (perhaps to someone else) is
    never the one that gets confirmed.
    """
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def give_confirmed_device(user) -> TOTPDevice:
    """A confirmed device for the user (demo accounts, tests); replaces any earlier one."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in."""
    return b32encode(device.bin_key).decode()


def current_code(device: TOTPDevice) -> str:
    """The code the device shows now (tests and the browser tests type it in)."""

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def ensure_confirmed_device(user) -> TOTPDevice:
    """The user's confirmed device, made when there is none (the demo administrator keeps its key between runs)."""
    return confirmed_device(user) or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def describe_device(user) -> str:
    """How to add the user's device to an authenticator app (printed by create_demo_accounts)."""

    device = confirmed_device(user)
    return _("Authenticator key of %(username)s: %(secret)s (link: %(url)s)") % {
        "username": user.username,
        "secret": base32_secret(device),
        "url": device.config_url,
    }


# --- Enrolment codes: the first device of an administrator is linked only with one ---------------

logger = logging.getLogger("accounts.otp")

ENROLMENT_VALID_HOURS = 24
ENROLMENT_MAX_FAILURES = 5
# After a code is accepted, the key is shown and one TOTP code confirms it within this time.
ENROLMENT_CONFIRM_MINUTES = 60
# No 0/O, 1/I/L: read aloud or copied by hand without doubt. 16 characters = 80 bits.
ENROLMENT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ENROLMENT_LENGTH = 16


def normalise_enrolment_code(text: str) -> str:
    """The code as typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in str(text).upper() if ch not in " -\t")


def enrolment_code_hash(clear: str) -> str:
    """HMAC-SHA256 (keyed by SECRET_KEY) of the normalised code: the table never holds the code itself."""
    return salted_hmac("accounts.otp.enrolment", normalise_enrolment_code(clear), algorithm="sha256").hexdigest()


def _active_codes(user):

    return OTPEnrolmentCode.objects.filter(
        user=user,
        used_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def issue_enrolment_code(user, issued_by=None) -> str:
    """A new code for `user` (valid 24 hours); earlier unused codes are withdrawn. Returns the clear code."""

    clear = "".join(secrets.choice(ENROLMENT_ALPHABET) for _ in range(ENROLMENT_LENGTH))
    now = timezone.now()
    with transaction.atomic():
        _active_codes(user).update(withdrawn_at=now)
        OTPEnrolmentCode.objects.create(
            user=user,
            issued_by=issued_by,
            code_hash=enrolment_code_hash(clear),
            issued_at=now,
            expires_at=now + timedelta(hours=ENROLMENT_VALID_HOURS),
        )
    logger.warning(
        "Authenticator enrolment code issued for user %s by %s",
        user.pk,
        issued_by.pk if issued_by is not None else "the command line",
    )
    return "-".join(clear[i : i + 4] for i in range(0, ENROLMENT_LENGTH, 4))


def accept_enrolment_code(user, typed: str):
    """The user's code, marked used, if `typed` is one of their active codes; else None.

    A wrong code counts against every active code of the user; at ENROLMENT_MAX_FAILURES they are
    withdrawn and a new code must be issued. Marking it used is one conditional UPDATE, so two
    requests with the same code cannot both succeed.
    """
    now = timezone.now()
    with transaction.atomic():
        active = _active_codes(user).select_for_update()
        match = active.filter(code_hash=enrolment_code_hash(typed)).first()
        if match is not None and type(match).objects.filter(pk=match.pk, used_at__isnull=True).update(used_at=now):
            logger.warning("Authenticator enrolment code accepted for user %s", user.pk)
            match.used_at = now
            return match
        for code in active:
            code.failed_attempts += 1
            if code.failed_attempts >= ENROLMENT_MAX_FAILURES:
                code.withdrawn_at = now
            code.save(update_fields=["failed_attempts", "withdrawn_at"])
    logger.warning("Wrong authenticator enrolment code for user %s", user.pk)
    return None


def accepted_enrolment(user, code_id, device_id):
    """The pending device an accepted code (kept in the session) still allows to confirm, or None."""

    if not (isinstance(code_id, int) and isinstance(device_id, int)):
        return None
    since = timezone.now() - timedelta(minutes=ENROLMENT_CONFIRM_MINUTES)
    if not OTPEnrolmentCode.objects.filter(pk=code_id, user=user, used_at__gt=since).exists():
        return None
    return TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
