"""The shared set-up factories build records the platform itself accepts."""

from qihub.accounts.models import Role
from qihub.core import testing
from qihub.demands.models import Demand
from qihub.institutions.workflow import listed_institutions


def test_an_institution_is_listed_and_a_demand_has_its_clocks(db):
    lab = testing.institution()
    owner = testing.VerifiedUserFactory(role=Role.ENTERPRISE)
    record = testing.demand(owner, shortlist=[lab])

    assert list(listed_institutions()) == [lab]
    assert Demand.objects.visible_to(owner).get() == record
    assert record.recommendation.items.get().organisation == lab
    assert testing.order(owner, institution_org=lab).institution == lab
