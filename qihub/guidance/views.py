"""Guidance pages (ENT-4, ENT-5): the enterprise's own standards with the self-declaration guide,
the public calendar of declaration windows, a window's checklist and self-check, the
declarations (the enterprise's own, or everyone's for staff) and a declaration's steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import DECIDERS, ENTERPRISES, is_decider, is_enterprise, is_staff_member
from qihub.core.actions import run_action
from qihub.core.lists import make_list
from qihub.core.workflow import Refused
from qihub.guidance import workflow
from qihub.guidance.actions import ACTIONS, visible
from qihub.guidance.forms import StandardForm, StartForm, WindowForm
from qihub.guidance.models import (
    DECLARATION_PLATFORM,
    GROUP_STANDARD_PLATFORM,
    Declaration,
    DeclarationWindow,
    EnterpriseStandard,
)
from qihub.guidance.tables import (
    DeclarationFilter,
    DeclarationTable,
    StandardFilter,
    StandardTable,
    WindowFilter,
    WindowTable,
    with_phase,
)

# What to do on the national platform (TZ 5.1.5: 指导企业在企业标准信息公共服务平台…进行自我声明公开).
DECLARATION_STEPS = [
    "登录企业标准信息公共服务平台（首次使用先用统一社会信用代码注册企业账号）。",
    "选择“标准自我声明”，填写标准编号、名称、适用产品和执行的标准类型。",
    "上传标准文本（企业标准须公开功能指标和性能指标，以及检验方法）。",
    "确认信息后提交公开，公开后即可在平台上被查询到。",
    "回到本平台，把该标准改登为“已声明”并填写公开日期，复审到期前会收到提醒。",
]


@role_required(*ENTERPRISES)
def standards(request: HttpRequest) -> HttpResponse:
    rows = EnterpriseStandard.objects.filter(owner=request.user)
    table = make_list(
        request,
        StandardTable,
        rows,
        filterset_class=StandardFilter,
        empty_action=("登记企业标准", reverse("guidance:standard_new")),
    )
    return render(
        request,
        "guidance/standards.html",
        {
            "table": table,
            "platform": DECLARATION_PLATFORM,
            "group_platform": GROUP_STANDARD_PLATFORM,
            "steps": DECLARATION_STEPS,
        },
    )


@role_required(*ENTERPRISES)
def standard_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add or edit one of the enterprise's standards."""
    instance = None
    if pk is not None:
        instance = get_object_or_404(EnterpriseStandard, pk=pk, owner=request.user)
    form = StandardForm(request.POST or None, instance=instance, owner=request.user)
    if request.method == "POST" and form.is_valid():
        standard = form.save(commit=False)
        standard.owner = request.user
        standard.save()
        messages.success(request, f"已保存企业标准 {standard.number}")
        return redirect("guidance:standards")
    return render(
        request,
        "guidance/standard_form.html",
        {"form": form, "standard": instance, "platform": DECLARATION_PLATFORM},
        status=400 if form.errors else 200,
    )


def windows(request: HttpRequest) -> HttpResponse:
    """The public calendar of declaration windows: open now, upcoming, closed."""
    rows = with_phase(DeclarationWindow.objects.all(), timezone.localdate())
    table = make_list(request, WindowTable, rows, filterset_class=WindowFilter)
    return render(
        request,
        "guidance/windows.html",
        {
            "table": table,
            "may_publish": is_decider(request.user),
            "may_follow": is_enterprise(request.user) or is_staff_member(request.user),
            "staff": is_staff_member(request.user),
        },
    )


def window(request: HttpRequest, pk: int) -> HttpResponse:
    """A window: its checklist, materials and where to apply. An enterprise ticks the conditions
    it meets (自查, shown at once) and starts following the declaration (POST)."""
    found = get_object_or_404(DeclarationWindow, pk=pk)
    user = request.user
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if not is_enterprise(user):
            raise Refused("只有企业用户可以申报")
        made: list[Declaration] = []
        form = StartForm(request.POST, record=found)
        if run_action(
            request,
            form,
            lambda data: made.append(workflow.start(found, by=user, met=data["met"])),
            "已开始申报，请按所需材料准备，截止前会提醒您",
        ):
            return redirect("guidance:declaration", number=made[0].number)
        return redirect("guidance:window", pk=pk)
    checked = "check" in request.GET
    form = StartForm(request.GET if checked else None, record=found)
    met = form.cleaned_data["met"] if checked and form.is_valid() else []
    mine = (
        Declaration.objects.filter(window=found, enterprise=user).first()
        if user.is_authenticated
        else None
    )
    today = timezone.localdate()
    return render(
        request,
        "guidance/window.html",
        {
            "window": found,
            "phase": found.phase(today),
            "phase_label": found.phase_label(today),
            "days_left": (found.closes_on - today).days,
            "form": form,
            "checked": checked,
            "met": met,
            "unmet": [i for i in found.checklist if i not in met],
            "mine": mine,
            "is_enterprise": is_enterprise(user),
            "may_publish": is_decider(user),
        },
    )


@role_required(*DECIDERS)
def window_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Operators publish a window or correct it."""
    instance = get_object_or_404(DeclarationWindow, pk=pk) if pk is not None else None
    form = WindowForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        found = form.save(commit=False)
        if instance is None:
            found.published_by = request.user
        found.save()
        done = "已保存" if instance is not None else "已发布"
        messages.success(request, f"{done}“{found.title}”，申报日历已显示")
        return redirect("guidance:window", pk=found.pk)
    return render(
        request,
        "guidance/window_form.html",
        {"form": form, "window": instance},
        status=400 if form.errors else 200,
    )


@login_required
def declarations(request: HttpRequest) -> HttpResponse:
    """The enterprise's own declarations; for staff, who is declaring what."""
    user = request.user
    staff = is_staff_member(user)
    if not staff and not is_enterprise(user):
        raise Refused("只有企业用户和平台工作人员可以查看申报")
    rows = Declaration.objects.select_related("window", "enterprise__organisation")
    if not staff:
        rows = rows.filter(enterprise=user)
    table = make_list(
        request,
        DeclarationTable,
        rows,
        filterset_class=DeclarationFilter,
        empty_action=None if staff else ("查看申报日历", reverse("guidance:windows")),
        exclude=() if staff else ("enterprise",),
    )
    return render(request, "guidance/declarations.html", {"table": table, "staff": staff})


@login_required
def declaration(request: HttpRequest, number: str) -> HttpResponse:
    found = visible(request.user, number)
    if found is None:
        raise Http404
    return render(
        request,
        "guidance/declaration.html",
        {
            "declaration": found,
            "window": found.window,
            "can": ACTIONS.buttons(request.user, found),
            "recheck": ACTIONS.actions["recheck"].form(
                record=found, initial={"met": found.met, "version": found.version}
            ),
            "events": found.events.select_related("by__organisation"),
            "mine": found.enterprise_id == request.user.pk,
        },
    )
