from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from qihub.accounts.models import MemberKind, Organisation, Role
from qihub.accounts.permissions import role_required
from qihub.catalog.models import Category
from qihub.institutions import workflow
from qihub.institutions.models import QualificationType
from qihub.institutions.search import search


class DeregisterForm(forms.Form):
    reason = forms.CharField(
        label="注销原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label="我已知晓：注销后账户将停用，机构不再出现在检索与推荐中，此操作不可撤销",
        error_messages={"required": "请勾选确认后再注销"},
    )


@role_required(Role.INSTITUTION)
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
    return render(request, "institutions/deregister.html", {"form": form, "organisation": organisation},
                  status=400 if form.errors else 200)  # fmt: skip


@role_required(Role.OPERATOR, Role.ADMIN, Role.SUPERVISOR)
def institution_list(request: HttpRequest) -> HttpResponse:
    rows = Organisation.objects.filter(kind=MemberKind.INSTITUTION).prefetch_related(
        "qualifications"
    )
    return render(request, "institutions/ops_list.html", {"rows": rows.order_by("name")})


@role_required(Role.OPERATOR, Role.ADMIN)
def deregister_by_platform(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk, kind=MemberKind.INSTITUTION)
    form = DeregisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.deregister(
                organisation, by=request.user, reason=form.cleaned_data["reason"], by_platform=True
            )
        except workflow.LifecycleError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已注销：{organisation.name}")
        return redirect("institutions:ops_list")
    return render(request, "institutions/deregister.html", {"form": form, "organisation": organisation},
                  status=400 if form.errors else 200)  # fmt: skip


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    category = (
        request.GET.get("category", "") if request.GET.get("category") in Category.values else ""
    )
    region = request.GET.get("region", "").strip()
    region = region if region.isdigit() and len(region) in (2, 4, 6) else ""
    qualification = request.GET.get("qualification", "")
    qualification = qualification if qualification in QualificationType.values else ""
    searched = bool(query or category or region or qualification)
    hits = (
        search(query, category=category, region=region, qualification=qualification)
        if searched
        else []
    )
    context = {
        "query": query, "category": category, "region": request.GET.get("region", ""),
        "qualification": qualification, "hits": hits, "searched": searched,
        "categories": Category.choices, "qualification_types": QualificationType.choices,
        "region_error": bool(request.GET.get("region")) and not region,
    }  # fmt: skip
    return render(request, "institutions/search.html", context)


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
                q for q in org.qualifications.all() if q.type in types and q.valid_until >= today
            ],
            "scope": [line for line in org.scope_lines.all() if line.category == category],
        }
        for org in organisations.prefetch_related("qualifications", "scope_lines")
    ]
    return render(
        request,
        "institutions/lookup.html",
        {"title": title, "rows": rows, "kinds": LOOKUPS, "kind": kind},
    )


def profile(request: HttpRequest, uscc: str) -> HttpResponse:
    organisation = get_object_or_404(workflow.listed_institutions(), uscc=uscc.upper())
    today = timezone.localdate()
    return render(request, "institutions/profile.html", {
        "organisation": organisation,
        "qualifications": organisation.qualifications.all(),
        "scope": organisation.scope_lines.all(),
        "today": today,
    })  # fmt: skip
