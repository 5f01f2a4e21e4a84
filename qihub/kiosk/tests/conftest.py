from qihub.demands.tests.conftest import company, labs  # noqa: F401 - shared fixtures
from qihub.orders.tests.test_reports import running_order  # noqa: F401 - shared fixture
