"""What a key may do: read with any key, write only with a read-write key; and each resource asks the
capability the screens ask (`accounts.access.can`), so that a role without it gets 404, as on the screens."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.access import can
from accounts.models import APIToken


class TokenScopePermission(BasePermission):
    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated and isinstance(request.auth, APIToken)):
            return False
        capability = getattr(view, "capability", None)
        if request.method not in SAFE_METHODS:
            capability = getattr(view, "write_capability", None) or capability
        if capability is not None and not can(request.user, capability):
            raise Http404
        if request.method not in SAFE_METHODS and not getattr(view, "read_only_post", False):
            if not request.auth.may_write:
                raise PermissionDenied(_("This API key may only read. Make a read-and-write key to change records."))
        return True
