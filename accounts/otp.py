"""Who needs a second factor, and the TOTP devices that give it."""

from base64 import b32encode

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role, role_of


def needs_second_factor(user) -> bool:
    """Administrators and everyone who can open the Django admin confirm a TOTP code after the password."""
    return bool(user.is_staff or user.is_superuser or role_of(user) == Role.ADMINISTRATOR)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device an administrator is enrolling (made on first visit of the set-up page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def give_confirmed_device(user) -> TOTPDevice:
    """A confirmed device for the user (demo accounts, tests); replaces any earlier one."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in."""
    return b32encode(device.bin_key).decode()


def current_code(device: TOTPDevice) -> str:
    """The code the device shows now (tests and the browser tests type it in)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def ensure_confirmed_device(user) -> TOTPDevice:
    """The user's confirmed device, made when there is none (the demo administrator keeps its key between runs)."""
    return confirmed_device(user) or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def describe_device(user) -> str:
    """How to add the user's device to an authenticator app (printed by create_demo_accounts)."""
    from django.utils.translation import gettext as _

    device = confirmed_device(user)
    return _("Authenticator key of %(username)s: %(secret)s (link: %(url)s)") % {
        "username": user.username, "secret": base32_secret(device), "url": device.config_url,
    }
