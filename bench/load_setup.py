"""Set-up and counts for bench/load.py, run in the bench's own data dir (never on a real one).

    python bench/load_setup.py setup ENTERPRISES STAFF OUT.json   # after migrate + seed-demo
    python bench/load_setup.py count                             # prints the rows the run creates

`setup` registers ENTERPRISES more enterprises through the same registration path as the demo
(`qihub.core.demo._register_member`), gives each a few demands, orders and issued reports (so
lists have rows, reports can be downloaded and finished orders evaluated), and creates STAFF
operators with a TOTP device (the load test logs each simulated staff member in once, and a TOTP
code is good only once per account). It writes the accounts and the pages' keys to OUT.json.

Issued reports are 100 KB–1 MB (row B1 of reliability-bar.md): the institution's source PDF has
1–6 scanned pages (images of incompressible grain, so the size does not depend on a compressor),
issued through `orders.workflow.issue_report` like any report, so each one is signed and verifies.
"""

import datetime as dt
import io
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qihub.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from qihub.accounts.models import Organisation, Role, User  # noqa: E402
from qihub.complaints.models import Complaint  # noqa: E402
from qihub.core import demo  # noqa: E402
from qihub.core.models import AuditEvent  # noqa: E402
from qihub.demands import workflow as demands  # noqa: E402
from qihub.demands.models import Demand  # noqa: E402
from qihub.evaluations.models import Evaluation  # noqa: E402
from qihub.onboarding.models import Application  # noqa: E402
from qihub.orders import workflow as orders  # noqa: E402
from qihub.orders.models import Order  # noqa: E402

DEMANDS_EACH = 3
ORDERS_EACH = 2  # left open (placed)
REPORTS_EACH = 4  # completed with a report: downloadable, and evaluable once


def _scanned_pdf(pages: int) -> bytes:
    """A source PDF of `pages` scanned pages, ~135 KB each (JPEG of grain: incompressible);
    0 pages: one blank page."""
    import random

    from PIL import Image

    if not pages:
        from pypdf import PdfWriter

        blank = io.BytesIO()
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.write(blank)
        return blank.getvalue()

    rng = random.Random(pages)  # noqa: S311 (deterministic picture content, not a secret)
    images = [Image.frombytes("L", (500, 700), rng.randbytes(500 * 700)) for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=72.0, quality=40, save_all=True, append_images=images[1:])
    return out.getvalue()


# Scanned pages of the i-th report's source: 0–5. The signed cover alone is ~215 KB (its
# embedded Chinese font), so issued reports spread over ~215 KB – ~900 KB.
SOURCE_PAGES = (1, 3, 5, 0, 2, 4)


def _enterprise(i: int) -> tuple[User, bool]:
    """The i-th bench enterprise, and whether it is new (a reused data dir keeps its rows)."""
    username = f"bench_ent{i:03d}"
    new = not User.objects.filter(username=username).exists()
    if new:
        demo._register_member(
            demo.DemoAccount(
                username,
                Role.ENTERPRISE,
                f"【压测】企业{i:03d}",
                demo._organisation(
                    f"压测企业{i:03d}有限公司", f"91320211MA2B{i:05d}", f"1990001{i:04d}", "320211"
                ),
            )
        )
    return User.objects.get(username=username), new


def _staff(i: int, password_hash: str) -> tuple[str, str]:
    username = f"bench_op{i:03d}"
    user = User.objects.filter(username=username).first()
    if user is None:
        # One hash for all: Argon2 is slow on purpose and every bench account has one password.
        user = User.objects.create(
            username=username,
            password=password_hash,
            role=Role.OPERATOR,
            display_name=f"【压测】运营{i:03d}",
            email=f"{username}@demo.invalid",
            is_demo=True,
            verified_at=timezone.now(),
        )
    device = demo.ensure_demo_totp(user)
    return username, device.bin_key.hex()


@transaction.atomic
def _volume(client: User, services: list, lab_of: dict, sources: dict, i: int) -> dict:
    titles = ["压力表检定", "管材静液压检测", "体系认证咨询"]
    for n in range(DEMANDS_EACH):
        demands.publish(
            client=client,
            data={
                "category": "metrology",
                "title": f"{titles[n % 3]}（压测{i:03d}-{n}）",
                "description": f"压测数据：第 {n} 条需求，请联系企业{i:03d}",
                "product": "压力表",
                "standard": "JJG 52-2013",
                "region": "320211",
            },
            # A data dir reused without its accounts file gets a second set: like a person, tick
            # 仍然发布 when the page says a similar demand is open.
            allow_similar=True,
        )
    reports = []
    for n in range(ORDERS_EACH + REPORTS_EACH):
        service = services[(i + n) % len(services)]
        order = orders.place(client=client, service=service, description=f"压测订单 {i}-{n}")
        if n < ORDERS_EACH:
            continue
        lab = lab_of[service.pk]
        order = orders.confirm(order, by=lab, version=order.version)
        orders.issue_report(
            order,
            by=lab,
            version=order.version,
            source=sources[SOURCE_PAGES[(i * REPORTS_EACH + n) % len(SOURCE_PAGES)]],
            filename="report.pdf",
            conclusion="压测报告：合格",
            verify_base="",
            results=[("压力表", "示值误差", True)],
        )
        reports.append(order.number)
    return {"username": client.username, "reports": reports}


def setup(enterprises: int, staff: int, out: str) -> None:
    from django.contrib.auth.hashers import make_password

    from qihub.institutions.models import InstitutionService

    services = list(
        InstitutionService.objects.filter(price__isnull=False, organisation__account__is_demo=True)
        .select_related("organisation__account")
        .order_by("pk")
    )
    services = [s for s in services if not orders.why_not_orderable(s)]
    lab_of = {s.pk: s.organisation.account for s in services}
    sources = {pages: _scanned_pdf(pages) for pages in set(SOURCE_PAGES)}
    old = {}
    if os.path.exists(out):
        with open(out, encoding="utf-8") as f:
            old = {c["username"]: c for c in json.load(f)["enterprises"]}
    clients = []
    for i in range(enterprises):
        client, new = _enterprise(i)
        if new or client.username not in old:
            clients.append(_volume(client, services, lab_of, sources, i))
        else:
            clients.append(old[client.username])
    password_hash = make_password(demo.DEMO_PASSWORD)
    operators = [_staff(i, password_hash) for i in range(staff)]
    data = {
        "password": demo.DEMO_PASSWORD,
        "enterprises": clients,
        "staff": [{"username": u, "key": k} for u, k in operators],
        "services": [s.pk for s in services],
        "institutions": list(
            Organisation.objects.filter(kind="institution", listed=True).values_list(
                "uscc", flat=True
            )
        ),
        "guides": list(
            __import__("qihub.catalog.models", fromlist=["ServiceItem"])
            .ServiceItem.objects.order_by("pk")
            .values_list("code", flat=True)[:20]
        ),
        # Registration applications whose materials staff open (each view is audited), and
        # those of individuals, whose full ID number staff may reveal (audited too).
        "reviews": list(
            Application.objects.filter(documents__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)
            .distinct()[:40]
        ),
        "identity_reviews": list(
            Application.objects.filter(applicant__identity__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)[:10]
        ),
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)


# What the audit log records as a sensitive read (qihub.core.audit): a staff member opening a
# member's material (onboarding `document`) and the reveal of a sealed field (the full ID number).
SENSITIVE_READS = ("view_document", "reveal")


def count() -> None:
    """Rows of the kinds the load test creates (by bench accounts only), and the audit rows of
    the sensitive reads bench staff made."""
    bench = {"username__startswith": "bench_"}
    print(
        json.dumps(
            {
                "demand": Demand.objects.filter(
                    **{f"client__{k}": v for k, v in bench.items()}
                ).count(),
                "order": Order.objects.filter(
                    **{f"client__{k}": v for k, v in bench.items()}
                ).count(),
                "evaluation": Evaluation.objects.filter(
                    **{f"order__client__{k}": v for k, v in bench.items()}
                ).count(),
                "complaint": Complaint.objects.filter(
                    **{f"complainant__{k}": v for k, v in bench.items()}
                ).count(),
                "sensitive_read": AuditEvent.objects.filter(
                    actor__username__startswith="bench_", action__in=SENSITIVE_READS
                ).count(),
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        count()
