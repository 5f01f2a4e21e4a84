"""Personas as fixtures: one logged-in test client per role of the requirements catalogue."""

import os
import re
from pathlib import Path

import factory
import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from qihub.accounts.models import Role, User

PERSONAS: dict[str, str] = {
    "individual": Role.INDIVIDUAL,
    "enterprise": Role.ENTERPRISE,
    "other_enterprise": Role.ENTERPRISE,
    "institution": Role.INSTITUTION,
    "other_institution": Role.INSTITUTION,
    "expert": Role.EXPERT,
    "station_staff": Role.STATION_STAFF,
    "operator": Role.OPERATOR,
    "supervisor": Role.SUPERVISOR,
    "admin": Role.ADMIN,
}
ALL_PERSONAS = ["visitor", *PERSONAS]
PASSWORD = "Test-passw0rd-qihub"


def _own_files_per_xdist_worker() -> None:
    """Under pytest-xdist (`-n 2`) each worker gets its own data directory (uploads, generated
    keys) and its own Redis database, so two workers never race to create a key file, count
    each other's uploads or flush each other's queue. Runs at import, before any test reads
    the keys; the secret key was already made by the controller, before the workers started."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    from django.conf import settings

    data = Path(settings.DATA_DIR) / worker
    data.mkdir(parents=True, exist_ok=True)
    settings.DATA_DIR, settings.MEDIA_ROOT = data, data / "uploads"
    os.environ["QIHUB_DATA_DIR"] = str(data)  # for the `qihub` processes some tests start
    redis = os.environ.get("QIHUB_TEST_REDIS_URL", "")
    if redis:
        first = int(re.search(r"db=(\d+)", redis).group(1)) if "db=" in redis else 0
        redis = re.sub(r"[?&]db=\d+", "", redis)
        joiner = "&" if "?" in redis else "?"
        os.environ["QIHUB_TEST_REDIS_URL"] = f"{redis}{joiner}db={first + int(worker[2:])}"


_own_files_per_xdist_worker()


def _cache_in_this_process() -> None:
    """The suite's cache is this process's memory, cleared before every test (`_fresh_cache`).
    Outside tests, without Redis, it is the shared database cache (qihub.core.cache), whose
    every read is an SQL query: the query budgets (B11) count the page's own queries, not the
    cache's. Sharing between processes is proved with real processes (test_shared_state.py)."""
    from django.conf import settings

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


_cache_in_this_process()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda u: f"{u.username} 的显示名")
    role = Role.INDIVIDUAL
    is_superuser = factory.LazyAttribute(lambda u: u.role == Role.ADMIN)
    password = factory.django.Password(PASSWORD)


def _persona_fixture(name: str, role: str):
    @pytest.fixture
    def persona(db) -> User:
        if role == Role.STATION_STAFF:
            # Station staff see their station's area only: the test records are in Wuxi (3202).
            from qihub.accounts.models import Station

            station = Station.objects.get_or_create(name="无锡市服务站", region="320200")[0]
            return UserFactory(username=name, role=role, station=station)
        return UserFactory(username=name, role=role)

    persona.__name__ = name
    return persona


for _name, _role in PERSONAS.items():
    globals()[_name] = _persona_fixture(_name, _role)


@pytest.fixture
def visitor() -> None:
    """Nobody logged in."""
    return None


@pytest.fixture
def client_as(db):
    """client_as(user_or_None) → a test client logged in as that persona (or anonymous)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
            if user.needs_second_factor:
                # Staff sessions carry a verified second factor (ACC-9), as after a real log-in.
                device = TOTPDevice.objects.get_or_create(user=user, name="测试", confirmed=True)[0]
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
        return client

    return make


@pytest.fixture
def persona(request, db):
    """Indirect fixture: parametrize with a persona name, get (name, user or None)."""
    name = request.param
    return name, request.getfixturevalue(name)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Counts kept in the cache by search and recommendation, and the scope vocabulary each
    process keeps, never leak between tests (a rolled-back test's word ids are reused)."""
    from django.core.cache import cache

    from qihub.institutions.query import VOCABULARY
    from qihub.ops.monitoring import forget_pending_request_counts
    from qihub.workcal.services import request_finished

    cache.clear()
    VOCABULARY.reset()
    forget_pending_request_counts()
    request_finished()  # a streamed response left unread keeps its request's calendar
    yield


class _QuickArgon2(Argon2PasswordHasher):
    """Argon2 still (hashes start "argon2$"), at the lowest cost: tests create hundreds of
    accounts and would otherwise spend most of their time hashing."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["conftest._QuickArgon2"]


@pytest.fixture(autouse=True)
def _workbench_counts_at_once(settings):
    """Tests change records and look at the workbench within the same second: no kept counts
    (accounts/workbench.py; test_workbench.py tests the keeping itself)."""
    settings.QIHUB_WORKBENCH_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _unread_counted_at_once(settings):
    """No kept badge counts either (notifications/outbox.py; test_unread_badge.py tests the
    keeping itself): writers that do not drop it, such as the clock sweep, show at once."""
    settings.QIHUB_UNREAD_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Rate limits are proved by their own tests (which switch them on); elsewhere the access
    matrices and journeys would trip them (reliability bar, harness notes)."""
    settings.RATELIMIT_ENABLE = False


def _qihub_command_env(data_dir: Path) -> dict[str, str]:
    """The environment of a `qihub` process on its own embedded SQLite data directory."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["QIHUB_DATA_DIR"] = str(data_dir)
    return env


@pytest.fixture(scope="session")
def _embedded_templates(tmp_path_factory):
    """Migrated (and, asked for, demo-seeded) SQLite data directories, built once per test
    worker. Tests that start real `qihub` processes copy one instead of migrating: `migrate`
    takes 15 s on a quiet machine and several minutes on a loaded CI machine."""
    import subprocess
    import sys

    built: dict[bool, Path] = {}

    def template(seeded: bool) -> Path:
        if seeded not in built:
            directory = tmp_path_factory.mktemp("seeded" if seeded else "migrated")
            steps = [["migrate", "--noinput"], *([["seed-demo"]] if seeded else [])]
            for step in steps:
                subprocess.run(
                    [sys.executable, "-m", "qihub", *step],
                    env=_qihub_command_env(directory),
                    check=True,
                    capture_output=True,
                    timeout=900,
                )
            built[seeded] = directory
        return built[seeded]

    return template


@pytest.fixture
def embedded_data_dir(tmp_path, _embedded_templates):
    """`embedded_data_dir(seeded=False)` → a fresh copy of a migrated data directory under this
    test's tmp_path, with the environment for `qihub` processes on it."""
    import shutil

    def prepare(seeded: bool = False) -> tuple[Path, dict[str, str]]:
        target = tmp_path / ("data-seeded" if seeded else "data")
        shutil.copytree(_embedded_templates(seeded), target)
        target.chmod(0o700)
        return target, _qihub_command_env(target)

    return prepare
