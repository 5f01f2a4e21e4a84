"""Log-in cannot exhaust the server's memory (issue 23, item 5; memory figures: bench/login_burst.py)."""

import threading
import time

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password

from conftest import PASSWORD
from qihub.accounts import hashers


def test_production_hasher_uses_owasp_minimum_argon2id(settings):
    hasher = hashers.BoundedArgon2PasswordHasher()
    encoded = hasher.encode("Quality-2026", hasher.salt())
    decoded = hasher.decode(encoded)
    # OWASP password storage cheat sheet: Argon2id, m=19 MiB, t=2, p=1.
    assert encoded.startswith("argon2$argon2id$")
    assert (decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]) == (19456, 2, 1)
    assert hasher.verify("Quality-2026", encoded)
    assert not hasher.verify("wrong", encoded)


def test_old_default_hashes_still_verify_and_are_rehashed_at_log_in(client, enterprise, settings):
    settings.PASSWORD_HASHERS = ["qihub.accounts.hashers.BoundedArgon2PasswordHasher"]
    enterprise.password = Argon2PasswordHasher().encode(PASSWORD, "saltsaltsalt")
    enterprise.save(update_fields=["password"])

    response = client.post("/accounts/login/", {"username": "enterprise", "password": PASSWORD})

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert "m=19456,t=2,p=1" in enterprise.password
    assert check_password(PASSWORD, enterprise.password)


def test_no_more_hashes_run_at_once_than_the_pool_allows(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["qihub.accounts.hashers.BoundedArgon2PasswordHasher"]
    running = 0
    most = 0
    lock = threading.Lock()

    def slow_encode(self, password, salt):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return "argon2$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"

    monkeypatch.setattr(Argon2PasswordHasher, "encode", slow_encode)
    threads = [threading.Thread(target=make_password, args=("x",)) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert most == hashers.MAX_CONCURRENT_HASHES


@pytest.mark.req("OPS-2")
def test_log_ins_beyond_the_waiting_bound_get_a_chinese_503_at_once(
    client, enterprise, monkeypatch
):
    monkeypatch.setattr(hashers, "MAX_WAITING_LOGINS", 0)

    response = client.post("/accounts/login/", {"username": "enterprise", "password": PASSWORD})

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "当前登录人数较多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The page itself still opens: only the costly POST is turned away.
    assert client.get("/accounts/login/").status_code == 200
