import pytest

from qihub.accounts.models import Organisation
from qihub.institutions.importer import import_lines
from qihub.institutions.tests.test_import import line


@pytest.fixture
def listed_institution(db) -> Organisation:
    """A metrology institution in Wuxi with a valid qualification, its account able to log in."""
    report = import_lines([line("12320211MB1QH0201", "无锡市示例计量院")], skip_invalid=False)
    assert report.created == 1, report.errors
    organisation = Organisation.objects.get(name="无锡市示例计量院")
    organisation.account.is_active = True
    organisation.account.save(update_fields=["is_active"])
    return organisation
