import datetime as dt
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from qihub.accounts.client_ip import ip_key, rate
from qihub.accounts.models import MemberKind, Organisation
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import BACK_OFFICE, CLIENTS, DECIDERS, INSTITUTIONS, is_back_office
from qihub.bookings.services import institution_service
from qihub.catalog.models import Category
from qihub.core import audit, regions
from qihub.core.actions import run_action
from qihub.core.exports import XLSX, xlsx_response
from qihub.core.lists import make_list
from qihub.core.region_field import RegionSelect
from qihub.core.workflow import Refused, WorkflowError
from qihub.institutions import import_excel, page_cache, portal_search, profile_cache, workflow
from qihub.institutions.actions import ACTIONS as CHANGE_ACTIONS
from qihub.institutions.forms import (
    CHANGE_FORMS,
    ApproveChangeForm,
    ReturnChangeForm,
    ServiceForm,
    WithdrawRequestForm,
    editor_rows,
)
from qihub.institutions.models import (
    ChangeKind,
    ChangeStatus,
    ImportJob,
    Institution,
    InstitutionService,
    QualificationChange,
    QualificationType,
    ScopeLine,
    SearchMiss,
    Verb,
)
from qihub.institutions.query import VOCABULARY
from qihub.institutions.scope import needs_qualification
from qihub.institutions.search import Results, record_miss, search
from qihub.institutions.tables import (
    DecidedChangeTable,
    InstitutionOpsFilter,
    InstitutionOpsTable,
    MyChangeTable,
    PendingChangeTable,
    ServiceTable,
)
from qihub.institutions.tasks import import_institutions


class DeregisterForm(forms.Form):
    reason = forms.CharField(
        label="注销原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label="我已知晓：注销后账户将停用，机构不再出现在检索与推荐中，此操作不可撤销",
        error_messages={"required": "请勾选确认后再注销"},
    )


class ClosureForm(forms.Form):
    closed_on = forms.DateField(
        label="停业日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "停业日期：必须填写",
            "invalid": "停业日期：日期格式应为 年-月-日，如 2026-12-31",
        },
    )
    note = forms.CharField(label="说明（可选）", max_length=500, required=False)


@role_required(*INSTITUTIONS)
@require_POST
def report_closure(request: HttpRequest) -> HttpResponse:
    """The institution reports it closed (ACC-8): the 1-month deregistration clock starts."""
    organisation = _own_institution(request)
    workflow.LISTING.check_actor(
        request.user, Institution.objects.get(pk=organisation.pk), "report_closure"
    )
    run_action(
        request,
        ClosureForm(request.POST),
        lambda c: workflow.report_closure(
            organisation, by=request.user, closed_on=c["closed_on"], note=c["note"]
        ),
        "停业已报告，请在停业之日起 1 个月内办理注销",
    )
    return redirect("institutions:deregister_self")


@role_required(*INSTITUTIONS)
def deregister_self(request: HttpRequest) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation, account=request.user, kind=MemberKind.INSTITUTION
    )
    form = DeregisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workflow.deregister(
            organisation, by=request.user, reason=form.cleaned_data["reason"], by_platform=False
        )
        logout(request)
        messages.success(request, "机构注销已办理，账户已停用")
        return redirect("catalog:home")
    return render(
        request,
        "institutions/deregister.html",
        {
            "form": form,
            "organisation": organisation,
            "closure_form": ClosureForm(),
            "closure_clock": _closure_clock(organisation),
        },
        status=400 if form.errors else 200,
    )


def _closure_clock(organisation: Organisation) -> dict:
    from qihub.deadlines.queries import clocks_of

    institution = Institution.objects.get(pk=organisation.pk)
    found = [
        c for c in clocks_of(institution, timezone.now()) if c["clock"].code == "deregistration"
    ]
    return found[-1] if found else {}


@role_required(*BACK_OFFICE)
def institution_list(request: HttpRequest) -> HttpResponse:
    rows = Institution.objects.filter(kind=MemberKind.INSTITUTION).prefetch_related(
        "qualifications"
    )

    def with_actions(found: QuerySet[Institution]) -> list[dict]:
        return [{"org": org, "can": workflow.LISTING.available(request.user, org)} for org in found]

    table = make_list(
        request,
        InstitutionOpsTable,
        rows.order_by("name"),
        filterset_class=InstitutionOpsFilter,
        rows=with_actions,
    )
    return render(request, "institutions/ops_list.html", {"table": table})


class RestoreForm(forms.Form):
    note = forms.CharField(
        label="恢复说明",
        max_length=500,
        required=False,
        error_messages={"max_length": "恢复说明：不能超过 500 字"},
    )


@role_required(*BACK_OFFICE)
@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_object_or_404(Institution, pk=pk, kind=MemberKind.INSTITUTION)
    workflow.LISTING.check_actor(request.user, institution, "restore")
    run_action(
        request,
        RestoreForm(request.POST),
        lambda c: workflow.restore(institution, by=request.user, note=c["note"]),
        f"已恢复显示：{institution.name}",
    )
    return redirect("institutions:ops_list")


@role_required(*DECIDERS)
def deregister_by_platform(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk, kind=MemberKind.INSTITUTION)
    form = DeregisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.deregister(
                organisation, by=request.user, reason=form.cleaned_data["reason"], by_platform=True
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已注销：{organisation.name}")
        return redirect("institutions:ops_list")
    return render(
        request,
        "institutions/deregister.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@ratelimit(key=ip_key, rate=rate("search"), method=ratelimit.ALL, block=True)
def search_page(request: HttpRequest) -> HttpResponse:
    """One box, three tabs (MATCH-1): institutions, their published services, service guides.

    The results area (everything under the breadcrumbs) is drawn once per query string and
    kept until an input changes (`page_cache`); the navigation around it is drawn per visitor."""
    query = request.GET.get("q", "").strip()[:100]
    # 下单 and 发布需求 are for enterprises and individuals; a visitor is asked to log in.
    may_act = not request.user.is_authenticated or request.user.role in CLIENTS
    today = timezone.localdate()
    key = page_cache.key(
        request.GET.urlencode(), may_act, today.isoformat(), VOCABULARY.current().version
    )
    kept = page_cache.get(key)
    if kept is None:
        generation = page_cache.generation()
        html, missed = _search_results(request, query, may_act, today)
        page_cache.keep(key, html, missed, generation)
    else:
        html, missed = kept
        if missed is not None:
            # A search that finds nothing is counted each time (the staff's 无结果检索词 page).
            record_miss(query, **missed)
    context = {
        "query": query,
        "results_html": mark_safe(html),  # noqa: S308 - drawn by our own template, escaped there
        # The navigation's box on this page searches again within the filters chosen here.
        "nav_keep": [
            (name, value)
            for name in ("category", "region", "qualification", "tab", "sort")
            for value in request.GET.getlist(name)
            if value
        ],
    }
    return render(request, "institutions/search.html", context)


def _search_results(
    request: HttpRequest, query: str, may_act: bool, today: dt.date
) -> tuple[str, dict[str, str] | None]:
    """The results area's HTML, and the filters of the miss `search` recorded (None: none)."""
    category = (
        request.GET.get("category", "") if request.GET.get("category") in Category.values else ""
    )
    # The region picker submits its selects under one name (province, city, county codes).
    picked = RegionSelect().value_from_datadict(request.GET, {}, "region")
    region = regions.prefix(picked)
    qualification = request.GET.get("qualification", "")
    qualification = qualification if qualification in QualificationType.values else ""
    tab = request.GET.get("tab", "")
    tab = tab if tab in portal_search.TABS else "institutions"
    how = request.GET.get("sort", "")
    how = how if how in portal_search.SORTS else "relevance"
    searched = bool(query or category or region or qualification)
    hits = (
        search(
            query,
            category=category,
            region=region,
            qualification=qualification,
            limit=portal_search.ASKED,
        )
        if searched
        else Results()
    )
    terms = portal_search.terms_of(hits.parsed, query) if query else []
    place = region
    if not place and hits.parsed is not None and hits.parsed.region:
        place = regions.prefix(hits.parsed.region)  # 常州 typed in the box filters services too
    services = portal_search.services(
        terms, category=category, region=place, qualification=qualification, today=today
    )
    guides = portal_search.guides(terms, category=category)  # platform-wide: no region
    counts = {"institutions": len(hits), "services": services.count(), "guides": len(guides)}
    shown: list | QuerySet = guides
    if tab == "institutions":
        shown = portal_search.sort(
            portal_search.rows(list(hits), category=category, today=today), how
        )
    elif tab == "services":
        shown = services
    page = Paginator(shown, portal_search.PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "query": query,
        "category": category,
        "region": picked,
        "region_picker": RegionSelect().render("region", picked, {"id": "region"}),
        "qualification": qualification,
        "hits": hits,
        "searched": searched,
        "tab": tab,
        "tabs": [(code, label, counts[code]) for code, label in portal_search.TABS.items()],
        "sort": how,
        "sorts": portal_search.SORTS.items(),
        "page": page,
        "today": today,
        "may_act": may_act,
        "publish_url": reverse("demands:publish")
        + (f"?{urlencode({'q': query})}" if query else ""),
        "categories": Category.choices,
        "qualification_types": QualificationType.choices,
        "region_error": bool(picked) and not region,
    }
    html = render_to_string("institutions/_search_results.html", context, request)
    missed = (
        {"category": category, "region": region, "qualification": qualification}
        if hits.missed
        else None
    )
    return html, missed


LOOKUPS = {
    # kind: (title, qualification types, scope category)
    "metrology": ("法定计量检定机构及检定校准能力", ["LEGAL_METROLOGY"], "metrology"),
    "testing": ("检验检测机构资质（CMA/CNAS）与检验检测能力", ["CMA", "CNAS"], "testing"),
    "certification": ("认证机构及认证范围", ["CNCA"], "certification"),
}


def lookup(request: HttpRequest, kind: str) -> HttpResponse:
    """Qualification and capability look-up (MATCH-2): only qualifications valid today."""
    if kind not in LOOKUPS:
        raise Http404
    title, types, category = LOOKUPS[kind]
    today = timezone.localdate()
    organisations = (
        workflow.listed_institutions(today)
        .filter(qualifications__type__in=types, qualifications__valid_until__gte=today)
        .distinct()
        .order_by("name")
    )
    rows = [
        {
            "organisation": org,
            "qualifications": [
                q for q in org.qualifications.all() if q.type in types and q.valid_on(today)
            ],
            "scope": [
                line
                for line in org.scope_lines.all()
                if line.category == category and line.valid_on(today)
            ],
        }
        for org in organisations.prefetch_related("qualifications", "scope_lines__qualification")
    ]
    return render(
        request,
        "institutions/lookup.html",
        {"title": title, "rows": rows, "kinds": LOOKUPS, "kind": kind},
    )


def profile(request: HttpRequest, uscc: str) -> HttpResponse:
    """The public profile (MATCH-3): each offered line with the qualification it stands under
    and that qualification's validity; lines of a lapsed or withdrawn qualification are not
    offered (left out), and services outside the valid scope cannot be ordered."""
    organisation = get_object_or_404(workflow.listed_institutions(), uscc=uscc.upper())
    today = timezone.localdate()
    # Only those who may order see 下单 (staff and institutions would meet a 403).
    may_order = not request.user.is_authenticated or request.user.role in CLIENTS

    def draw() -> str:
        return _profile_body(organisation, today, may_order, request.user)

    # The back office sees a version link per record: its few visits are drawn afresh.
    body = (
        draw()
        if getattr(request.user, "role", None) in BACK_OFFICE
        else profile_cache.fragment(organisation.pk, today, may_order, draw)
    )
    return render(
        request, "institutions/profile.html", {"organisation": organisation, "body": body}
    )


def _profile_body(organisation: Organisation, today: dt.date, may_order: bool, user: object) -> str:
    qualifications = organisation.qualifications.all()
    scope = list(
        ScopeLine.objects.valid_on(today)
        .filter(organisation=organisation)
        .select_related("qualification")
        .order_by("category", "id")
    )
    # `workflow.qualified_for` answered from the scope lines read once for the page, not with a
    # query per service (B11): a category that needs a qualification needs a line under one.
    qualified = {
        line.category
        for line in scope
        if line.qualification_id is not None or not needs_qualification(line.category)
    }
    services = [
        (service, service.category in qualified)
        for service in organisation.services.filter(published=True)
    ]
    return render_to_string(
        "institutions/_profile.html",
        {
            "organisation": organisation,
            "qualifications": [(q, q.status_on(today)) for q in qualifications],
            "scope": scope,
            "services": services,
            "today": today,
            "may_order": may_order,
            # The institution's appointment service (ORD-3), once it has weekly hours.
            "booking": institution_service(organisation),
            "user": user,  # the version links' only reader
        },
    )


def _own_institution(request: HttpRequest) -> Organisation:
    return get_object_or_404(
        Organisation, account=request.user, kind=MemberKind.INSTITUTION, deregistered_at=None
    )


@role_required(*INSTITUTIONS)
def my_services(request: HttpRequest) -> HttpResponse:
    """The institution publishes its service items with period and price (CAT-4)."""
    organisation = _own_institution(request)
    form = ServiceForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        service = form.save(commit=False)
        service.organisation = organisation
        service.save()
        audit.record(request.user, "institution_service.published", service)
        messages.success(request, f"已发布服务项目：{service.name}")
        return redirect("institutions:my_services")
    return render(
        request,
        "institutions/my_services.html",
        {
            "organisation": organisation,
            "form": form,
            "table": make_list(
                request,
                ServiceTable,
                organisation.services.order_by("-published", "category", "name"),
            ),
        },
        status=400 if form.errors else 200,
    )


@role_required(*INSTITUTIONS)
def edit_service(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _own_institution(request)
    service = get_object_or_404(InstitutionService, pk=pk, organisation=organisation)
    form = ServiceForm(request.POST or None, instance=service, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(request.user, "institution_service.changed", service)
        messages.success(request, f"已更新服务项目：{service.name}")
        return redirect("institutions:my_services")
    return render(
        request,
        "institutions/edit_service.html",
        {"form": form, "service": service},
        status=400 if form.errors else 200,
    )


@role_required(*INSTITUTIONS)
def toggle_service(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("institutions:my_services")
    organisation = _own_institution(request)
    service = get_object_or_404(InstitutionService, pk=pk, organisation=organisation)
    service.published = not service.published
    service.save(update_fields=["published", "updated_at"])
    action = "republished" if service.published else "withdrawn"
    audit.record(request.user, f"institution_service.{action}", service)
    messages.success(request, f"已{'重新发布' if service.published else '下架'}：{service.name}")
    return redirect("institutions:my_services")


class ImportForm(forms.Form):
    workbook = forms.FileField(
        label="机构导入文件（.xlsx）", error_messages={"required": "请选择文件"}
    )
    skip_invalid = forms.BooleanField(label="跳过有错误的行，只导入无误的机构", required=False)

    def clean_workbook(self) -> object:
        upload = self.cleaned_data["workbook"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("机构导入文件：只接受 .xlsx 格式（请使用平台模板）")
        if upload.size > IMPORT_LIMIT:
            raise forms.ValidationError("机构导入文件：超过 20 MB，请分批导入")
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError("机构导入文件：不是有效的 Excel 文件")
        return upload


IMPORT_LIMIT = 20 * 1024 * 1024


@role_required(*DECIDERS)
def import_page(request: HttpRequest) -> HttpResponse:
    """Staff import institutions from the Excel template; the work runs in the background."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["workbook"]
        job = ImportJob.objects.create(
            created_by=request.user,
            filename=upload.name[:200],
            data=upload.read(),
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        audit.record(request.user, "institutions.import_started", job)
        transaction.on_commit(lambda: import_institutions(job.pk))
        return redirect("institutions:import_job", pk=job.pk)
    jobs = ImportJob.objects.defer("data").select_related("created_by")[:20]
    return render(
        request,
        "institutions/import.html",
        {"form": form, "jobs": jobs},
        status=400 if form.errors else 200,
    )


@role_required(*DECIDERS)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(import_excel.template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote("机构导入模板.xlsx")
    return response


@role_required(*DECIDERS)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.defer("data"), pk=pk)
    template = (
        "institutions/import_progress.html" if request.htmx else "institutions/import_job.html"
    )
    return render(request, template, {"job": job})


@role_required(*BACK_OFFICE)
def search_misses(request: HttpRequest) -> HttpResponse:
    """Searches that found nothing (MATCH-1): what users look for that the platform lacks."""
    rows = SearchMiss.objects.order_by("-count", "-last_at")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "无结果检索词.xlsx",
            "无结果检索词",
            ["检索词", "筛选条件", "次数", "首次", "最近"],
            ((r.query, r.filters, r.count, r.first_at, r.last_at) for r in rows),
        )
    shown = [(row, _filters_label(row.filters)) for row in rows[:500]]
    return render(request, "institutions/search_misses.html", {"rows": shown})


# --- qualifications and scope after onboarding (ACC-5, ACC-8, MATCH-3) ----------------------
@role_required(*INSTITUTIONS)
def my_qualifications(request: HttpRequest, kind: str = "") -> HttpResponse:
    """The institution's qualifications with their lines, and its change requests; a POST to
    /institution/qualifications/<kind>/ submits one (reviewed by an operator)."""
    organisation = _own_institution(request)
    forms_by_kind = {k: F(organisation=organisation) for k, F in CHANGE_FORMS.items()}
    status = 200
    if kind:
        if kind not in CHANGE_FORMS:
            raise Http404
        if request.method != "POST":
            return redirect("institutions:my_qualifications")
        workflow.CHANGES.check_actor(request.user, None, "submit")
        form = CHANGE_FORMS[kind](request.POST, request.FILES, organisation=organisation)
        forms_by_kind[kind] = form
        if form.is_valid():
            try:
                change = workflow.submit_change(
                    organisation, by=request.user, kind=kind, data=form.cleaned_data
                )
            except Refused:
                raise
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"变更申请 {change.number} 已提交，待平台审核")
                return redirect("institutions:qualification_change", number=change.number)
        status = 400
    today = timezone.localdate()
    qualifications = [
        {
            "qualification": q,
            "status": q.status_on(today),
            "lines": [line for line in q.scope_lines.all() if line.withdrawn_at is None],
            "withdrawn_lines": [line for line in q.scope_lines.all() if line.withdrawn_at],
        }
        for q in organisation.qualifications.prefetch_related("scope_lines").order_by(
            "withdrawn_at", "-valid_until"
        )
    ]
    context = {
        "organisation": organisation,
        "qualifications": qualifications,
        "unlicensed": organisation.scope_lines.filter(
            qualification__isnull=True, withdrawn_at__isnull=True
        ),
        "changes": make_list(request, MyChangeTable, organisation.qualification_changes.all()),
        "sections": [
            (k, label, forms_by_kind[k], editor_rows(forms_by_kind[k]))
            for k, label in ChangeKind.choices
        ],
        "open_kind": kind,
        "categories": Category.choices,
        "verbs": Verb.choices,
    }
    return render(request, "institutions/my_qualifications.html", context, status=status)


@login_required
def qualification_change(request: HttpRequest, number: str) -> HttpResponse:
    change = CHANGE_ACTIONS.lookup(request.user, number)
    if change is None:
        raise Http404
    version = {"version": change.version}
    context = {
        "change": change,
        "can": CHANGE_ACTIONS.buttons(request.user, change),
        "approve_form": ApproveChangeForm(initial=version),
        "return_form": ReturnChangeForm(initial=version),
        "withdraw_form": WithdrawRequestForm(initial=version),
        "retired": change.retired_lines.select_related("qualification"),
        "events": change.events.select_related("by__organisation"),
        "is_staff_view": is_back_office(request.user),
    }
    return render(request, "institutions/qualification_change.html", context)


@role_required(*BACK_OFFICE)
def change_queue(request: HttpRequest) -> HttpResponse:
    """Operators review qualification change requests: pending first, oldest first."""
    pending = QualificationChange.objects.filter(status=ChangeStatus.SUBMITTED).order_by(
        "submitted_at"
    )
    decided = QualificationChange.objects.exclude(status=ChangeStatus.SUBMITTED)
    related = ("organisation", "qualification")
    return render(
        request,
        "institutions/change_queue.html",
        {
            "pending": make_list(request, PendingChangeTable, pending.select_related(*related)),
            # Its own page and sort parameters, apart from the pending list's.
            "decided": make_list(
                request, DecidedChangeTable, decided.select_related(*related), prefix="done-"
            ),
        },
    )


def _filters_label(filters: str) -> str:
    """ "category=metrology region=3202" as the page says it: 分类：计量；地区：江苏省无锡市."""
    names = {
        "category": ("分类", dict(Category.choices)),
        "qualification": ("资质", dict(QualificationType.choices)),
    }
    said = []
    for pair in filters.split():
        key, _, value = pair.partition("=")
        if key == "region":
            said.append(f"地区：{regions.full_name(value) or value}")
        elif key in names:
            label, choices = names[key]
            said.append(f"{label}：{choices.get(value, value)}")
    return "；".join(said)
