"""Codes of the advices the application's rules depend on."""

# The advice codes are seeded by a data migration; administrators may
# relabel them but the codes stay.
ADVICE_READY = "ready"  # doorstroomklaar: a trajectory follows
ADVICE_INTERNAL_TRANSITION = "internal_transition"  # interne doorstroom
ADVICE_NOT_READY = "not_ready"  # nog ondersteuning nodig
