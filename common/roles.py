"""Which roles may open which kind of casework page (row-level scoping is done by `visible_to`)."""

from accounts.roles import Role

ADMIN = (Role.ADMINISTRATOR,)
ALL_ROLES = (Role.ADMINISTRATOR, Role.EVALUATOR, Role.PARTNER_STAFF, Role.ANALYST)
# Roles that may see persons' identities (never analysts).
PERSON_READERS = (Role.ADMINISTRATOR, Role.EVALUATOR, Role.PARTNER_STAFF)
EVALUATION_WRITERS = (Role.ADMINISTRATOR, Role.EVALUATOR)
TRAJECTORY_USERS = (Role.ADMINISTRATOR, Role.PARTNER_STAFF)
# Roles that run and export reports (aggregates; analysts see no identities).
REPORT_USERS = (Role.ADMINISTRATOR, Role.ANALYST)
