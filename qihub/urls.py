from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from qihub.accounts import follow
from qihub.api import api
from qihub.core import views as core_views
from qihub.ops import metrics as ops_metrics

admin.site.site_header = "质量基础设施一站式服务平台 管理后台"
admin.site.site_title = "质量基础设施一站式服务平台"
admin.site.index_title = "后台管理首页"

urlpatterns = [
    # First, the lists whose first path segment no other route shares (core/tests/
    # test_url_order.py keeps it so), so the apps' API, the inbox in every signed-in nav bar,
    # monitoring and the region picker no longer walk the ~40 page lists (0.24 ms each).
    # Moving them cannot change which view answers a path: no other route could match it.
    path("api/v1/", api.urls),
    path("inbox/", include("qihub.notifications.urls")),
    # The link texted to a caller without an account (ADR 0012).
    path("follow/<str:token>/", follow.follow, name="follow"),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", ops_metrics.metrics, name="metrics"),
    path("regions/children/", core_views.region_children, name="region_children"),
    path("", include("qihub.catalog.urls")),
    path("accounts/", include("qihub.accounts.urls")),
    path("", include("qihub.onboarding.urls")),
    path("", include("qihub.institutions.urls")),
    path("", include("qihub.demands.urls")),
    path("", include("qihub.orders.urls")),
    path("", include("qihub.samples.urls")),
    path("", include("qihub.evaluations.urls")),
    path("", include("qihub.complaints.urls")),
    path("", include("qihub.kiosk.urls")),
    path("", include("qihub.stations.urls")),
    path("", include("qihub.bookings.urls")),
    path("", include("qihub.guidance.urls")),
    path("", include("qihub.bulletins.urls")),
    path("", include("qihub.finance.urls")),
    path("", include("qihub.support.urls")),
    path("", include("qihub.biomed.urls")),
    path("", include("qihub.training.urls")),
    path("", include("qihub.diagnosis.urls")),
    path("", include("qihub.flows.urls")),
    path("", include("qihub.clinic.urls")),
    path("", include("qihub.standards.urls")),
    path("", include("qihub.equipment.urls")),
    path("", include("qihub.opening.urls")),
    path("", include("qihub.instruments.urls")),
    path("", include("qihub.workstation.urls")),
    path("", include("qihub.agency.urls")),
    path("", include("qihub.improvement.urls")),
    path("", include("qihub.archive.urls")),
    path("", include("qihub.filing.urls")),
    path("", include("qihub.history.urls")),
    path("", include("qihub.packages.urls")),
    path("", include("qihub.pooling.urls")),
    path("ops/", include("qihub.ops.urls")),
    # The admin's own log-in has no second factor: staff log in through ours.
    path(
        "admin/login/",
        RedirectView.as_view(url="/accounts/login/?next=/admin/", query_string=False),
    ),
    path("admin/", admin.site.urls),
]

if settings.QIHUB_BENCH_BASELINE:
    # Before the page lists, as a typical page's route is found early: last, these two walked
    # all ~450 page routes (0.24 ms) where a real page walks a few dozen (0.01–0.06 ms).
    urlpatterns[:0] = [
        path("bench/baseline/", core_views.bench_baseline),
        path("bench/bare/", core_views.bench_bare),
    ]

handler403 = "qihub.core.views.permission_denied"
handler404 = "qihub.core.views.page_not_found"
handler500 = "qihub.core.views.server_error"
