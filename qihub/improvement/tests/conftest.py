from qihub.demands.tests.conftest import company, labs  # noqa: F401 - shared fixtures
