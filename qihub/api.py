"""The JSON API under /api/v1/ (OPS-3): apps and mini-programs use the same back end."""

from django.http import HttpRequest, HttpResponse
from django_ratelimit.exceptions import Ratelimited
from ninja.errors import AuthenticationError

from qihub.accounts.api import router as accounts_router
from qihub.accounts.tokens import TokenRefused
from qihub.agency.api import router as agency_router
from qihub.archive.api import router as archive_router
from qihub.biomed.api import router as biomed_router
from qihub.bookings.api import router as bookings_router
from qihub.bulletins.api import router as bulletins_router
from qihub.catalog.api import router as catalog_router
from qihub.clinic.api import router as clinic_router
from qihub.complaints.api import router as complaints_router
from qihub.core.api import FormBodyAPI
from qihub.core.health import health_report
from qihub.core.workflow import Refused, WorkflowError
from qihub.demands.api import router as demands_router
from qihub.diagnosis.api import router as diagnosis_router
from qihub.equipment.api import router as equipment_router
from qihub.evaluations.api import router as evaluations_router
from qihub.filing.api import router as filing_router
from qihub.finance.api import router as finance_router
from qihub.flows.api import router as flows_router
from qihub.guidance.api import router as guidance_router
from qihub.improvement.api import router as improvement_router
from qihub.institutions.api import router as institutions_router
from qihub.instruments.api import router as instruments_router
from qihub.kiosk.api import router as kiosk_router
from qihub.onboarding.api import router as onboarding_router
from qihub.opening.api import router as opening_router
from qihub.orders.api import router as orders_router
from qihub.packages.api import router as packages_router
from qihub.pooling.api import router as pooling_router
from qihub.samples.api import router as samples_router
from qihub.standards.api import router as standards_router
from qihub.stations.api import router as stations_router
from qihub.support.api import router as support_router
from qihub.training.api import router as training_router
from qihub.workstation.api import router as workstation_router

api = FormBodyAPI(
    title="质量基础设施一站式服务平台 API",
    version="1",
    urls_namespace="api-v1",
    # The Swagger UI page loads its assets from a CDN and runs inline script; the schema alone
    # (openapi.json) is what clients and schemathesis need.
    docs_url=None,
)


@api.exception_handler(WorkflowError)
def workflow_refusal(request: HttpRequest, exc: WorkflowError) -> HttpResponse:
    """A refusal that escaped an endpoint: 403 for the actor, 409 for the record's rules."""
    return api.create_response(
        request, {"detail": str(exc)}, status=403 if isinstance(exc, Refused) else 409
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """401 in Chinese: the token's own reason, else neither a token nor a session was sent."""
    detail = (
        exc.message if isinstance(exc, TokenRefused) else "请先登录（浏览器会话或 App 访问令牌）"
    )
    response = api.create_response(request, {"detail": detail}, status=exc.status_code)
    response["WWW-Authenticate"] = 'Bearer realm="qihub"'
    return response


@api.exception_handler(Ratelimited)
def rate_limited(request: HttpRequest, exc: Ratelimited) -> HttpResponse:
    return api.create_response(request, {"detail": "操作过于频繁，请稍后再试"}, status=429)


api.add_router("/", accounts_router)
api.add_router("/", onboarding_router)
api.add_router("/", institutions_router)
api.add_router("/", demands_router)
api.add_router("/", orders_router)
api.add_router("/", samples_router)
api.add_router("/", evaluations_router)
api.add_router("/", complaints_router)
api.add_router("/", catalog_router)
api.add_router("/", kiosk_router)
api.add_router("/", stations_router)
api.add_router("/", bookings_router)
api.add_router("/", guidance_router)
api.add_router("/", bulletins_router)
api.add_router("/", finance_router)
api.add_router("/", support_router)
api.add_router("/", biomed_router)
api.add_router("/", training_router)
api.add_router("/", diagnosis_router)
api.add_router("/", flows_router)
api.add_router("/", clinic_router)
api.add_router("/", standards_router)
api.add_router("/", equipment_router)
api.add_router("/", opening_router)
api.add_router("/", instruments_router)
api.add_router("/", workstation_router)
api.add_router("/", agency_router)
api.add_router("/", improvement_router)
api.add_router("/", archive_router)
api.add_router("/", filing_router)
api.add_router("/", packages_router)
api.add_router("/", pooling_router)


@api.get("/health", summary="平台运行状态", tags=["运行监控"])
def health(request: HttpRequest) -> dict:
    return health_report()
