"""Puts in every template what the signed-in user may do (`can`) and their role's name (for the header)."""

from accounts.access import Capabilities
from accounts.roles import role_of


def role(request):
    user = getattr(request, "user", None)
    return {"user_role": role_of(user) if user is not None else None, "can": Capabilities(user)}
