import os
import re
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet


@pytest.mark.req("OPS-2")
def test_pages_carry_a_strict_nonce_content_security_policy(client, db):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    # Only our own files may run; a page that needs an inline block gets a per-request nonce.
    assert script_src.split()[0] == "'self'"
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    # No inline script or style: everything the page runs comes from our own static files.
    page = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert " style=" not in page and "<style" not in page


@pytest.mark.req("OPS-2")
def test_production_settings_pass_the_deploy_check_and_harden_cookies(tmp_path):
    env = {
        **os.environ,
        "QIHUB_PRODUCTION": "1",
        "QIHUB_SECRET_KEY": secrets.token_urlsafe(64),
        "QIHUB_ALLOWED_HOSTS": "qihub.example.gov.cn",
        "QIHUB_DATA_DIR": str(tmp_path),
        "QIHUB_PII_KEYS": Fernet.generate_key().decode(),
        "QIHUB_PII_INDEX_KEY": secrets.token_urlsafe(32),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    check = subprocess.run(
        [sys.executable, "-m", "qihub", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    settings_dump = subprocess.run(
        [sys.executable, "-m", "qihub", "diffsettings", "--all"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout
    for line in (
        "SESSION_COOKIE_SECURE = True",
        "CSRF_COOKIE_SECURE = True",
        "SECURE_HSTS_SECONDS = 31536000",
        "DEBUG = False",
    ):
        assert line in settings_dump.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "QIHUB_PRODUCTION": "1", "QIHUB_DATA_DIR": str(tmp_path)}
    env.pop("QIHUB_SECRET_KEY", None)

    result = subprocess.run(
        [sys.executable, "-m", "qihub", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode != 0
    assert "QIHUB_SECRET_KEY" in result.stderr


@pytest.mark.req("OPS-2")
def test_the_deploy_check_refuses_production_without_personal_data_keys(tmp_path):
    env = {
        **os.environ,
        "QIHUB_PRODUCTION": "1",
        "QIHUB_SECRET_KEY": secrets.token_urlsafe(64),
        "QIHUB_ALLOWED_HOSTS": "qihub.example.gov.cn",
        "QIHUB_DATA_DIR": str(tmp_path),
    }
    for name in ("QIHUB_PII_KEYS", "QIHUB_PII_INDEX_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)

    result = subprocess.run(
        [sys.executable, "-m", "qihub", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode != 0
    assert "QIHUB_PII_KEYS 未设置" in result.stderr
