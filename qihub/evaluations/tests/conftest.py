from qihub.demands.tests.conftest import company, labs  # noqa: F401 - shared fixtures
from qihub.evaluations.tests.conftest_dbg import pytest_assertrepr_compare  # noqa
