"""Role groups, declared once: every "who may" in the platform names one of these groups (or a
predicate built from them). No other module spells a tuple of roles; a test greps for it.

Each group is a frozenset of `Role` values (for queries and `role_required`) and has a `rules`
predicate of the same meaning (for workflow tables, where it combines with record predicates).
"""

import rules

from qihub.accounts.models import SECOND_FACTOR_ROLES, STAFF_ROLES, Role

# Enterprises and individuals: they publish demands, order, evaluate and complain.
CLIENTS = frozenset({Role.ENTERPRISE, Role.INDIVIDUAL})
# Members with an organisation behind the account (change reports).
ORGANISATIONS = frozenset({Role.ENTERPRISE, Role.INSTITUTION})
INSTITUTIONS = frozenset({Role.INSTITUTION})
# Enterprises alone: they keep enterprise standards and declare for awards and projects (ENT-4/5).
ENTERPRISES = frozenset({Role.ENTERPRISE})
EXPERTS = frozenset({Role.EXPERT})
STATION_STAFF = frozenset({Role.STATION_STAFF})
# Take requests on the platform's behalf: respond, recommend, enter demands, work a window.
HANDLERS = frozenset({Role.OPERATOR, Role.STATION_STAFF, Role.ADMIN})
# Decide for the platform: reviews, complaints, opinions, calendar, catalogue, imports.
DECIDERS = frozenset({Role.OPERATOR, Role.ADMIN})
# The back office (Django admin, is_staff): deciders and the supervising department.
BACK_OFFICE = STAFF_ROLES
# Read every request and figure: the back office and the station staff.
ALL_STAFF = BACK_OFFICE | STATION_STAFF
# Go out to enterprises and are appraised per person (DEM-2, CMP-4, EVAL-7).
FIELD_STAFF = frozenset({Role.OPERATOR, Role.STATION_STAFF})
SUPERVISORS = frozenset({Role.SUPERVISOR})
# Visit enterprises to diagnose quality problems and follow them up (ENT-7).
DIAGNOSERS = HANDLERS | EXPERTS
# Publish research results and standards information to the public (INS-2).
OPEN_PUBLISHERS = INSTITUTIONS | DECIDERS
# Log in with a second factor, and are logged out after the staff idle limit.
SECOND_FACTOR = SECOND_FACTOR_ROLES


def _role_in(group: frozenset[str], name: str) -> rules.Predicate:
    return rules.Predicate(lambda user: getattr(user, "role", None) in group, name=name)


is_client = _role_in(CLIENTS, "is_client")
is_institution = _role_in(INSTITUTIONS, "is_institution")
is_enterprise = _role_in(ENTERPRISES, "is_enterprise")
is_expert = _role_in(EXPERTS, "is_expert")
is_station_staff = _role_in(STATION_STAFF, "is_station_staff")
is_handler = _role_in(HANDLERS, "is_handler")
is_decider = _role_in(DECIDERS, "is_decider")
is_back_office = _role_in(BACK_OFFICE, "is_back_office")
is_staff_member = _role_in(ALL_STAFF, "is_staff_member")
is_field_staff = _role_in(FIELD_STAFF, "is_field_staff")
is_supervisor = _role_in(SUPERVISORS, "is_supervisor")
is_diagnoser = _role_in(DIAGNOSERS, "is_diagnoser")
is_verified = rules.Predicate(
    lambda user: bool(getattr(user, "verified_at", None)), name="is_verified"
)
anyone = rules.always_allow
