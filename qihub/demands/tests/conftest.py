import pytest
from django.utils import timezone

from conftest import UserFactory
from qihub.accounts.models import MemberKind, Organisation, Role, User
from qihub.institutions.importer import import_lines
from qihub.institutions.tests.test_import import line
from qihub.onboarding.tests import helpers


@pytest.fixture
def company(db):
    """A verified enterprise in Wuxi with its organisation."""
    user = UserFactory(
        username="pipe_maker",
        role=Role.ENTERPRISE,
        verified_at=timezone.now(),
        display_name="无锡管材公司",
    )
    Organisation.objects.create(
        account=user,
        kind=MemberKind.ENTERPRISE,
        name="无锡示例管材有限公司",
        uscc=helpers.uscc("91320211MA1QH0501"),
        address="无锡",
        legal_representative="甲",
        contact_name="乙",
        region="320211",
    )
    return user


@pytest.fixture
def labs(db):
    """Two listed institutions: a Wuxi testing lab for plastic pipes, a Nanjing metrology one."""
    pipe = line(
        "12320211MB1QH0601",
        "无锡塑料制品检验所",
        qualifications=[
            {
                "type": "CMA",
                "number": "CMA-601",
                "valid_until": "2030-12-31",
                "scope": [
                    {
                        "category": "testing",
                        "object": "塑料管材",
                        "parameter": "静液压强度",
                        "standard": "GB/T 6111-2018",
                    },
                    {
                        "category": "testing",
                        "object": "塑料管材",
                        "parameter": "纵向回缩率",
                        "standard": "GB/T 6671-2001",
                    },
                ],
            }
        ],
    )
    gauge = line("12320102MB1QH0602", "南京计量测试所", region="320102")
    report = import_lines([pipe, gauge], skip_invalid=False)
    assert report.created == 2, report.errors
    User.objects.filter(organisation__kind=MemberKind.INSTITUTION).update(is_active=True)  # claimed
    return {o.name: o for o in Organisation.objects.filter(kind=MemberKind.INSTITUTION)}
