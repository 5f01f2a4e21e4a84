"""Training pages (TRN-1, TRN-2): the public list and an event's page, enrolling, the organiser's
check-in (scanning the QR opens `scan`, or the short code is typed), an enrolment's page with its
QR and certificate, and the staff records: hours against pace, qualifications, the pledge."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from qihub.accounts.models import User
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import DECIDERS, FIELD_STAFF, is_decider
from qihub.core.actions import run_action
from qihub.core.lists import make_list
from qihub.core.workflow import Refused
from qihub.training import forms, pledges, staff, workflow
from qihub.training.actions import ACTIONS, visible
from qihub.training.models import Enrolment, EnrolmentStatus, PledgeVersion, TrainingEvent
from qihub.training.tables import EnrolmentTable, EventFilter, EventTable


def events(request: HttpRequest) -> HttpResponse:
    rows = TrainingEvent.objects.select_related("organiser")
    table = make_list(request, EventTable, rows, filterset_class=EventFilter)
    return render(
        request,
        "training/events.html",
        {"table": table, "may_publish": workflow.may_organise(request.user)},
    )


@login_required
def new_event(request: HttpRequest) -> HttpResponse:
    if not workflow.may_organise(request.user):
        raise Refused("只有平台运营人员和技术机构可以发布培训活动")
    form = forms.EventForm(request.POST or None)
    if request.method == "POST":
        made: list[TrainingEvent] = []
        if run_action(
            request,
            form,
            lambda data: made.append(workflow.publish_event(by=request.user, **data)),
            "培训活动已发布",
        ):
            return redirect("training:event", number=made[0].number)
    return render(
        request, "training/new_event.html", {"form": form}, status=400 if form.errors else 200
    )


def _organises(user: User, event: TrainingEvent) -> bool:
    return event.organiser_id == getattr(user, "pk", None) or bool(is_decider(user))


def event(request: HttpRequest, number: str) -> HttpResponse:
    found = get_object_or_404(TrainingEvent.objects.select_related("organiser"), number=number)
    user = request.user
    mine = None
    if user.is_authenticated:
        mine = found.enrolments.filter(participant=user).exclude(status="cancelled").first()
    organiser = user.is_authenticated and _organises(user, found)
    taken = found.taken()
    return render(
        request,
        "training/event.html",
        {
            "event": found,
            "taken": taken,
            "left": max(0, found.capacity - taken),
            "waiting": found.enrolments.filter(status=EnrolmentStatus.WAITING).count(),
            "mine": mine,
            "open": found.open_for_enrolment(),
            "organiser": organiser,
            "enrolments": (
                found.enrolments.exclude(status="cancelled").select_related("participant")
                if organiser
                else ()
            ),
            "code_form": forms.CheckInCodeForm(auto_id="code_%s"),
            "attend_form": forms.AttendForm(auto_id=False),
        },
    )


def enrol(request: HttpRequest, number: str) -> HttpResponse:
    found = get_object_or_404(TrainingEvent, number=number)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("training:event", args=[number]))
    if request.method != "POST":
        return redirect("training:event", number=number)
    made: list[Enrolment] = []
    if run_action(
        request,
        forms.VersionForm(request.POST),
        lambda data: made.append(workflow.enrol(found, by=request.user)),
        "报名成功",
    ):
        if made[0].status == EnrolmentStatus.WAITING:
            messages.info(
                request, "名额已满，您已进入候补名单；有人取消时按报名先后依次转正并通知您"
            )
        return redirect("training:enrolment", code=made[0].code)
    return redirect("training:event", number=number)


@login_required
def check_in_by_code(request: HttpRequest, number: str) -> HttpResponse:
    """The organiser types the short code read out at the door."""
    found = get_object_or_404(TrainingEvent, number=number)
    if not _organises(request.user, found):
        raise Refused("只有活动主办方可以办理签到")
    form = forms.CheckInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolment = found.enrolments.filter(code=form.cleaned_data["code"]).first()
        if enrolment is None:
            messages.error(request, "签到码：本活动没有该签到码的报名")
        else:
            run_action(
                request,
                forms.VersionForm({}),
                lambda data: workflow.check_in(enrolment, by=request.user),
                f"{enrolment.participant.party_name} 已签到",
            )
    elif request.method == "POST":
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("training:event", number=number)


@login_required
def scan(request: HttpRequest, code: str) -> HttpResponse:
    """What the QR opens: for the organiser, the enrolee and a one-tap check-in."""
    enrolment = visible(request.user, code)
    if enrolment is None:
        raise Http404
    if not workflow.organises(request.user, enrolment):
        raise Refused("只有活动主办方可以办理签到")
    return render(
        request,
        "training/scan.html",
        {"enrolment": enrolment, "can": ACTIONS.buttons(request.user, enrolment)},
    )


def _qr(request: HttpRequest, enrolment: Enrolment) -> str:
    from qihub.orders.reports import qr_svg

    return qr_svg(request.build_absolute_uri(reverse("training:scan", args=[enrolment.code])))


@login_required
def enrolment(request: HttpRequest, code: str) -> HttpResponse:
    found = visible(request.user, code)
    if found is None:
        raise Http404
    return render(
        request,
        "training/enrolment.html",
        {
            "enrolment": found,
            "event": found.event,
            "mine": found.participant_id == request.user.pk,
            "can": ACTIONS.buttons(request.user, found),
            "qr": _qr(request, found) if found.status == EnrolmentStatus.ENROLLED else "",
            "history": found.events.select_related("by__organisation"),
            "attend_form": forms.AttendForm(auto_id="attend_%s"),
            "evaluate_form": forms.EvaluateForm(auto_id="evaluate_%s"),
        },
    )


@login_required
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    from weasyprint import HTML

    found = visible(request.user, code)
    if found is None:
        raise Http404
    if found.status != EnrolmentStatus.ATTENDED:
        messages.error(request, "结业后才能下载参训证明")
        return redirect("training:enrolment", code=code)
    html = render_to_string(
        "training/certificate.html",
        {"enrolment": found, "event": found.event, "today": timezone.localdate()},
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote("参训证明.pdf")
    return response


@login_required
def my_enrolments(request: HttpRequest) -> HttpResponse:
    rows = Enrolment.objects.filter(participant=request.user).select_related("event")
    table = make_list(
        request,
        EnrolmentTable,
        rows.order_by("-event__starts_at"),
        empty_action=("查看培训活动", reverse("training:events")),
    )
    year = timezone.localdate().year
    return render(
        request,
        "training/mine.html",
        {"table": table, "year": year, "hours": workflow.hours_of(request.user, year)},
    )


# --- staff records (TRN-2) ---------------------------------------------------------------
@login_required
def my_records(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not pledges.bound_by_pledge(user):
        raise Refused("只有工作人员和专家有培训与资质档案")
    today = timezone.localdate()
    keeps = user.role in FIELD_STAFF
    return render(
        request,
        "training/my_records.html",
        {
            "standing": staff.standing(user, today),
            "keeps": keeps,
            "records": user.trainings.filter(held_on__year=today.year),
            "qualifications": user.qualifications.all(),
            "expiring": set(staff.expiring(user, today).values_list("pk", flat=True)),
            "today": today,
            "pledge": pledges.current_pledge(),
            "pledged": pledges.has_valid_pledge(user),
            "outside_form": forms.OutsideTrainingForm(auto_id="outside_%s"),
            "qualification_form": forms.QualificationForm(auto_id="qual_%s"),
        },
    )


@login_required
def add_outside(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        run_action(
            request,
            forms.OutsideTrainingForm(request.POST),
            lambda d: staff.record_outside(request.user, by=request.user, **d),
            "外部培训已登记，学时已计入",
        )
    return redirect("training:my_records")


@login_required
def add_qualification(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        run_action(
            request,
            forms.QualificationForm(request.POST),
            lambda d: staff.add_qualification(request.user, by=request.user, **d),
            "资质已登记",
        )
    return redirect("training:my_records")


@login_required
def sign_pledge(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        run_action(
            request,
            forms.VersionForm(request.POST),
            lambda d: pledges.sign(request.user),
            "保密承诺书已签署",
        )
    return redirect("training:my_records")


@role_required(*DECIDERS)
def staff_overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    people = (
        User.objects.filter(role__in=FIELD_STAFF, is_active=True)
        .select_related("membership", "membership__station")
        .order_by("role", "pk")
    )
    rows = []
    for person in people:
        standing = staff.standing(person, today)
        rows.append(
            {
                "person": person,
                "standing": standing,
                "pledged": pledges.has_valid_pledge(person),
                "expiring": staff.expiring(person, today).count(),
            }
        )
    return render(request, "training/staff.html", {"rows": rows, "pace": staff.pace(today)})


@role_required(*DECIDERS)
def pledge_versions(request: HttpRequest) -> HttpResponse:
    form = forms.PledgeForm(request.POST or None)
    if request.method == "POST":
        if run_action(
            request,
            form,
            lambda d: pledges.publish(d["text"], by=request.user),
            "新版保密承诺书已发布，工作人员须重新签署",
        ):
            return redirect("training:pledges")
    return render(
        request,
        "training/pledges.html",
        {"form": form, "versions": PledgeVersion.objects.all()},
        status=400 if form.errors else 200,
    )
