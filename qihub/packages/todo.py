"""What waits behind the package cards of the workbench (DEM-12)."""

from django.db.models import Q, QuerySet

from qihub.accounts.models import User
from qihub.accounts.todo import Todo
from qihub.packages.models import Package, PackageStatus

S = PackageStatus


def my_packages(user: User) -> QuerySet:
    """The enterprise's part: plans waiting for its confirmation, and completed packages it has
    not evaluated yet."""
    return Package.objects.filter(client=user).filter(
        Q(status=S.PROPOSED) | Q(status=S.COMPLETED, evaluation__isnull=True)
    )


def packages_to_plan(user: User) -> QuerySet:
    """Staff's part: requests nobody has taken yet, and the plans this coordinator draws up."""
    return Package.objects.filter(Q(status=S.REQUESTED) | Q(status=S.PLANNING, coordinator=user))


MY_PACKAGES = Todo(my_packages)
PACKAGES_TO_PLAN = Todo(packages_to_plan, ("package_plan",))
