import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from qihub.accounts.models import PersonIdentity
from qihub.core import pii
from qihub.core.management.commands.pii import sealed_fields
from qihub.core.models import AuditEvent
from qihub.onboarding.tests import helpers


@pytest.fixture
def fresh_keys(monkeypatch):
    def use(*keys):
        monkeypatch.setenv("QIHUB_PII_KEYS", ",".join(keys))
        monkeypatch.setenv("QIHUB_PII_INDEX_KEY", "index-key-for-tests")
        pii.key_ring.cache_clear()

    yield use
    pii.key_ring.cache_clear()


@pytest.mark.req("ACC-2")
def test_keys_rotate_without_losing_a_value_or_its_look_up(client, db, fresh_keys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    fresh_keys(old)
    helpers.submit(client, "individual", helpers.individual())
    identity = PersonIdentity.objects.get()
    digest_before = identity.id_number_digest

    def sealed_values() -> list[str]:
        # The ID number and the mobile number, and the copies the user's versions keep (ARC-2).
        return [
            value
            for model, attname in sealed_fields()
            for value in model.objects.exclude(**{attname: ""}).values_list(attname, flat=True)
        ]

    before = sealed_values()
    fresh_keys(new, old)
    out = io.StringIO()
    call_command("pii", "rotate", stdout=out)
    fresh_keys(new)  # the old key is retired

    identity.refresh_from_db()
    after = sealed_values()
    assert len(before) >= 2 and f"重新加密 {len(before)} 项" in out.getvalue()
    assert len(after) == len(before)  # rotating adds no version of anyone
    for value in after:  # every copy, versions included, opens with the new key alone
        pii.decrypt(value)
    assert pii.decrypt(identity.id_number_cipher) == helpers.id_number()
    assert identity.id_number_digest == digest_before == pii.digest(helpers.id_number())


@pytest.mark.req("ACC-2")
def test_the_audit_log_is_readable_by_supervisors_and_cannot_be_edited(
    client_as, supervisor, admin, operator
):
    from qihub.core.audit import record

    record(operator, "reveal", supervisor, field="id_number", reason="核对")
    event_id = AuditEvent.objects.get().pk

    listing = client_as(supervisor).get("/admin/core/auditevent/")
    edit = client_as(admin).post(f"/admin/core/auditevent/{event_id}/change/", {"reason": "改写"})
    delete = client_as(admin).post(f"/admin/core/auditevent/{event_id}/delete/", {"post": "yes"})

    assert listing.status_code == 200 and "核对" in listing.content.decode()
    assert edit.status_code == 403 and delete.status_code == 403
    assert AuditEvent.objects.get().reason == "核对"
