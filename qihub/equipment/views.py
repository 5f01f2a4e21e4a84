"""The enterprise's ledgers: measuring instruments (ENT-1) and special equipment (ENT-2)."""

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from qihub.accounts.models import Document, DocumentKind, Organisation, Role
from qihub.accounts.permissions import role_required
from qihub.accounts.uploads import upload_batch
from qihub.core.exports import XLSX, xlsx_response
from qihub.core.lists import make_list
from qihub.core.workflow import WorkflowError
from qihub.equipment import engine, forms, import_excel
from qihub.equipment.due import ask_rectification_help, green_channel, request_service
from qihub.equipment.models import (
    SELF_CHECK_POINTS,
    SPECIAL_KINDS,
    Finding,
    Item,
    ItemKind,
    SelfCheck,
)
from qihub.equipment.tables import (
    InstrumentFilter,
    InstrumentTable,
    SpecialFilter,
    SpecialTable,
    item_status,
    with_dates,
)
from qihub.orders.reports import qr_svg

ENTERPRISE = Role.ENTERPRISE


def _items(request: HttpRequest, special: bool) -> QuerySet:
    rows = Item.objects.filter(owner=request.user)
    rows = rows.filter(kind__in=SPECIAL_KINDS) if special else rows.filter(kind=ItemKind.INSTRUMENT)
    return with_dates(rows)


@role_required(ENTERPRISE)
def instruments(request: HttpRequest) -> HttpResponse:
    table = make_list(
        request,
        InstrumentTable,
        _items(request, False).order_by("next_due", "id"),
        filterset_class=InstrumentFilter,
        empty_action=("导入台账", reverse("equipment:import")),
    )
    return render(request, "equipment/instruments.html", {"table": table})


@role_required(ENTERPRISE)
def special(request: HttpRequest) -> HttpResponse:
    table = make_list(
        request,
        SpecialTable,
        _items(request, True).order_by("next_due", "id"),
        filterset_class=SpecialFilter,
        empty_action=("登记特种设备", reverse("equipment:new_special")),
    )
    return render(request, "equipment/special.html", {"table": table})


def _new(request: HttpRequest, special: bool) -> HttpResponse:
    item_form = (forms.SpecialForm if special else forms.InstrumentForm)(request.POST or None)
    schedule_form = forms.ScheduleForm(request.POST or None, special=special)
    if request.method == "POST" and item_form.is_valid() and schedule_form.is_valid():
        with transaction.atomic():
            item = item_form.save(commit=False)
            item.owner = request.user
            item.organisation = Organisation.objects.filter(account=request.user).first()
            if not special:
                item.kind = ItemKind.INSTRUMENT
            item.save()
            data = schedule_form.cleaned_data
            engine.new_schedule(
                item,
                kind=data["kind"],
                cycle_months=data["cycle_months"],
                last_done=data["last_done"],
                due_on=data["due_on"],
                levels=data["levels"],
            ).save()
        messages.success(request, f"已登记“{item.name}”")
        return redirect("equipment:detail", item.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "equipment/new.html",
        {"item_form": item_form, "schedule_form": schedule_form, "special": special},
        status=status,
    )


@role_required(ENTERPRISE)
def new_instrument(request: HttpRequest) -> HttpResponse:
    return _new(request, False)


@role_required(ENTERPRISE)
def new_special(request: HttpRequest) -> HttpResponse:
    return _new(request, True)


def _own(request: HttpRequest, pk: int) -> Item:
    return get_object_or_404(Item, pk=pk, owner=request.user)


def _detail(request: HttpRequest, item: Item, **forms_given: object) -> HttpResponse:
    today = timezone.localdate()
    schedules = list(item.schedules.select_related("demand"))
    for schedule in schedules:
        schedule.item = item
        schedule.label = schedule.status_label(today)
    context = {
        "item": item,
        "status": item_status(with_dates(Item.objects.filter(pk=item.pk)).get()),
        "schedules": schedules,
        "certificates": [c for s in schedules for c in s.certificates.select_related("schedule")],
        "warnings": [w for s in schedules for w in s.warnings.all()][:20],
        "schedule_form": forms_given.get("schedule_form")
        or forms.ScheduleForm(special=item.is_special),
        "certificate_form": forms_given.get("certificate_form") or forms.CertificateForm(item=item),
        "self_check_form": forms_given.get("self_check_form") or forms.SelfCheckForm(),
        "green_form": forms_given.get("green_form") or forms.GreenChannelForm(),
        "self_checks": item.self_checks.prefetch_related("findings__demand")[:10]
        if item.is_special
        else [],
        "item_form": forms_given.get("item_form")
        or (forms.SpecialForm if item.is_special else forms.InstrumentForm)(instance=item),
    }
    return render(request, "equipment/detail.html", context, status=400 if forms_given else 200)


@role_required(ENTERPRISE)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _own(request, pk))


@role_required(ENTERPRISE)
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own(request, pk)
    form = (forms.SpecialForm if item.is_special else forms.InstrumentForm)(
        request.POST, instance=item
    )
    if not form.is_valid():
        item.refresh_from_db()
        return _detail(request, item, item_form=form)
    form.save()
    messages.success(request, "已保存")
    return redirect("equipment:detail", item.pk)


@role_required(ENTERPRISE)
@require_POST
def add_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own(request, pk)
    form = forms.ScheduleForm(request.POST, special=item.is_special)
    if form.is_valid() and item.schedules.filter(kind=form.cleaned_data["kind"]).exists():
        form.add_error("kind", "该器具已有这一项周期计划")
    if not form.is_valid():
        return _detail(request, item, schedule_form=form)
    data = form.cleaned_data
    engine.new_schedule(
        item,
        kind=data["kind"],
        cycle_months=data["cycle_months"],
        last_done=data["last_done"],
        due_on=data["due_on"],
        levels=data["levels"],
    ).save()
    messages.success(request, "已添加周期计划")
    return redirect("equipment:detail", item.pk)


@role_required(ENTERPRISE)
@require_POST
def set_levels(request: HttpRequest, pk: int, schedule: int) -> HttpResponse:
    item = _own(request, pk)
    row = get_object_or_404(item.schedules, pk=schedule)
    form = forms.LevelsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "提醒（到期前天数）：" + "；".join(form.errors["levels"]))
        return redirect("equipment:detail", item.pk)
    row.levels = form.cleaned_data["levels"]
    engine.reschedule(row)
    row.save()
    messages.success(request, "提醒设置已保存")
    return redirect("equipment:detail", item.pk)


@role_required(ENTERPRISE)
@require_POST
def record_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own(request, pk)
    form = forms.CertificateForm(request.POST, request.FILES, item=item)
    if not form.is_valid():
        return _detail(request, item, certificate_form=form)
    data = form.cleaned_data
    with transaction.atomic(), upload_batch() as batch:
        document = Document.objects.create(
            owner=request.user, kind=DocumentKind.SUPPORTING, **batch.store(data["file"])
        )
        certificate = engine.close_cycle(
            data["schedule"],
            done_on=data["done_on"],
            by=request.user,
            number=data["number"],
            issuer=data["issuer"],
            conclusion=data["conclusion"],
            document=document,
        )
    messages.success(request, f"证书已登记，下次到期日期 {certificate.next_due:%Y-%m-%d}")
    return redirect("equipment:detail", item.pk)


@role_required(ENTERPRISE)
@require_POST
def toggle_service(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own(request, pk)
    item.out_of_service = not item.out_of_service
    item.save(update_fields=["out_of_service"])
    messages.success(request, "已停用，不再提醒" if item.out_of_service else "已恢复使用")
    return redirect("equipment:detail", item.pk)


@role_required(ENTERPRISE)
def label(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own(request, pk)
    url = request.build_absolute_uri(reverse("equipment:detail", args=[item.pk]))
    return render(
        request,
        "equipment/label.html",
        {"item": item, "qr": qr_svg(url), "schedules": item.schedules.all()},
    )


@role_required(ENTERPRISE)
def import_ledger(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        outcome = import_excel.import_ledger(
            form.cleaned_data["file"], request.user, today=timezone.localdate()
        )
        if not outcome.errors:
            messages.success(
                request,
                f"已导入 {outcome.instruments} 台器具、{outcome.schedules} 项周期计划",
            )
            return redirect("equipment:instruments")
        errors = outcome.errors
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "equipment/import.html",
        {"form": form, "errors": errors[:200], "more": max(0, len(errors) - 200)},
        status=status,
    )


@role_required(ENTERPRISE)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(import_excel.template(), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E8%AE%A1%E9%87%8F%E5%99%A8%E5%85%B7%E5%8F%B0%E8%B4%A6%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


EXPORT_HEADERS = [*import_excel.HEADERS, "状态"]


def export_rows(owner: object) -> list[list]:
    today = timezone.localdate()
    rows = []
    items = Item.objects.filter(owner=owner, kind=ItemKind.INSTRUMENT).prefetch_related("schedules")
    for item in items:
        for schedule in item.schedules.all():
            schedule.item = item
            rows.append(
                [
                    item.name,
                    item.model,
                    item.serial,
                    item.measuring_range,
                    item.accuracy,
                    item.location,
                    item.keeper,
                    "是" if item.compulsory else "否",
                    schedule.get_kind_display(),
                    schedule.cycle_months,
                    schedule.last_done,
                    schedule.due_on,
                    schedule.status_label(today),
                ]
            )
    return rows


@role_required(ENTERPRISE)
def export(request: HttpRequest) -> HttpResponse:
    return xlsx_response(
        f"计量器具台账-{timezone.localdate():%Y%m%d}.xlsx",
        "计量器具台账",
        EXPORT_HEADERS,
        export_rows(request.user),
    )


@role_required(ENTERPRISE)
@require_POST
def request_demand(request: HttpRequest) -> HttpResponse:
    ids = [int(x) for x in request.POST.getlist("items") if x.isdigit()]
    try:
        demand = request_service(request.user, ids)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        back = (
            "equipment:special"
            if request.POST.get("back") == "special"
            else "equipment:instruments"
        )
        return redirect(back)
    messages.success(request, f"已提出需求 {demand.number}，平台将为您推荐所在地区的检定/校准机构")
    return redirect("demands:detail", demand.number)


@role_required(ENTERPRISE)
@require_POST
def green_channel_request(request: HttpRequest, pk: int) -> HttpResponse:
    """申请绿色通道检验 (ENT-2): an urgent inspection demand for this special-equipment item."""
    item = _own(request, pk)
    if not item.is_special:
        raise Http404
    form = forms.GreenChannelForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _detail(request, item, green_form=form)
    try:
        demand = green_channel(request.user, item.pk, form.cleaned_data["reason"])
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("equipment:detail", item.pk)
    messages.success(
        request, f"已提出绿色通道检验需求 {demand.number}（加急），平台将当日响应并尽快推荐检验机构"
    )
    return redirect("demands:detail", demand.number)


# --- hazard self-check of special equipment (ENT-2) ---------------------------------------


@role_required(ENTERPRISE)
@require_POST
def self_check(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own(request, pk)
    if not item.is_special:
        raise Http404
    form = forms.SelfCheckForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, self_check_form=form)
    points = dict(SELF_CHECK_POINTS)
    unmet = form.cleaned_data["unmet"]
    with transaction.atomic():
        check = SelfCheck.objects.create(
            item=item,
            checked_on=timezone.localdate(),
            note=form.cleaned_data["note"],
            by=request.user,
        )
        Finding.objects.bulk_create([Finding(self_check=check, point=points[key]) for key in unmet])
    messages.success(
        request, f"自查已记录，发现 {len(unmet)} 项隐患" if unmet else "自查已记录，未发现隐患"
    )
    return redirect("equipment:detail", item.pk)


def _finding(request: HttpRequest, pk: int, finding: int) -> Finding:
    return get_object_or_404(
        Finding, pk=finding, self_check__item__pk=pk, self_check__item__owner=request.user
    )


@role_required(ENTERPRISE)
@require_POST
def finding_fixed(request: HttpRequest, pk: int, finding: int) -> HttpResponse:
    row = _finding(request, pk, finding)
    if row.fixed_on is None:
        row.fixed_on = timezone.localdate()
        row.save(update_fields=["fixed_on"])
        messages.success(request, "已登记整改完成")
    return redirect("equipment:detail", pk)


@role_required(ENTERPRISE)
@require_POST
def finding_help(request: HttpRequest, pk: int, finding: int) -> HttpResponse:
    row = _finding(request, pk, finding)
    try:
        demand = ask_rectification_help(row.pk, request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("equipment:detail", pk)
    messages.success(request, f"已提出整改协助需求 {demand.number}")
    return redirect("demands:detail", demand.number)
