"""Puts the user's role in every template, for the navigation."""

from accounts.roles import Role, role_of


def role(request):
    user = getattr(request, "user", None)
    current = role_of(user) if user is not None else None
    return {"user_role": current, "Role": Role}
