import pytest


@pytest.fixture(autouse=True)
def database_mail(settings):
    # Django's test runner swaps in locmem; these tests check the embedded default backend.
    settings.EMAIL_BACKEND = "qihub.notifications.mail.DatabaseEmailBackend"
