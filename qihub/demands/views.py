"""Pages for demands: publish, my demands, the staff queue, one demand with its clocks,
shortlist, contacts and history. Views parse a form and call one workflow function."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from qihub.accounts import callers
from qihub.accounts.models import Organisation
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import (
    ALL_STAFF,
    CLIENTS,
    FIELD_STAFF,
    HANDLERS,
    INSTITUTIONS,
    is_station_staff,
)
from qihub.accounts.uploads import StorageFull
from qihub.catalog.models import ServiceFlow, ServiceItem
from qihub.core import regions
from qihub.core.lists import make_list
from qihub.deadlines.queries import clocks_of
from qihub.demands import forms, workflow
from qihub.demands.actions import ACTIONS, visible
from qihub.demands.models import OPEN_STATUSES, Demand, Visit
from qihub.demands.queries import by_urgency
from qihub.demands.recommend import needs_of
from qihub.demands.tables import (
    InstitutionDemandFilter,
    InstitutionDemandTable,
    MyDemandTable,
    QueueFilter,
    QueueTable,
    VisitTable,
)
from qihub.institutions.models import InstitutionService, Verb
from qihub.orders.models import Order


def get_demand_for(user: object, number: str) -> Demand:
    """404 for demands the user may not know exist."""
    # The action table's visibility: a caller's demand is visible to its claimant too.
    demand = visible(user, number)
    if demand is None:
        raise Http404
    return demand


def _publish(request: HttpRequest, form: forms.DemandForm, **kwargs: object) -> Demand | None:
    """Shared by the client's and the staff's form: store the attachment, publish, or explain."""
    try:
        return form.publish(**kwargs)
    except StorageFull as exc:
        exc.show_on(form)
    except workflow.SimilarDemand as exc:
        form.offer_similar(exc.existing)
        form.add_error(None, str(exc))
    except workflow.DemandError as exc:
        form.add_error(None, str(exc))
    return None


def _publish_initial(request: HttpRequest) -> dict[str, object]:
    organisation = Organisation.objects.filter(account=request.user).first()
    # From the search page's 发布需求 (?q=…): what was searched is the demand's first words.
    searched = request.GET.get("q", "").strip()[:100]
    initial: dict[str, object] = {
        "region": organisation.region if organisation else "",
        "title": searched,
        "description": searched,
    }
    # From a guide's 立即办理 (?item=…): the item's category and name are preset.
    item = ServiceItem.objects.filter(code=request.GET.get("item", "")[:60]).first()
    if item is not None:
        title = "质量门诊咨询" if item.flow == ServiceFlow.CLINIC else item.name
        initial.update(category=item.category, title=title)
    return initial


@role_required(*CLIENTS)
def publish(request: HttpRequest) -> HttpResponse:
    # The blank form's presets; a posted form shows what was posted, so they are not read.
    initial = _publish_initial(request) if request.method != "POST" else {}
    form = forms.DemandForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        demand = _publish(request, form, client=request.user)
        if demand:
            messages.success(
                request,
                f"需求 {demand.number} 已发布（加急）：平台将当日响应，1 个工作日内推荐机构"
                if demand.urgent
                else f"需求 {demand.number} 已发布：平台将在 1 个工作日内响应，3 个工作日内推荐机构",
            )
            return redirect("demands:detail", number=demand.number)
    return render(
        request,
        "demands/publish.html",
        {"form": form, "staff": False},
        status=400 if form.errors else 200,
    )


@role_required(*HANDLERS)
def staff_publish(request: HttpRequest) -> HttpResponse:
    visit = None
    visit_id = request.GET.get("visit") or request.POST.get("visit")
    if visit_id:
        if not visit_id.isdigit():
            raise Http404
        visit = get_object_or_404(Visit, pk=visit_id)
    form = forms.StaffDemandForm(
        request.POST or None,
        request.FILES or None,
        initial={"channel": "visit" if visit else "phone"},
    )
    if request.method == "POST" and form.is_valid():
        demand = _publish(
            request,
            form,
            client=form.cleaned_data["client"],
            channel=form.cleaned_data["channel"],
            entered_by=request.user,
            visit=visit,
            caller=form.caller(),
            link_base=request.build_absolute_uri("/"),
        )
        if demand:
            messages.success(request, f"已代录需求 {demand.number}")
            return redirect("demands:detail", number=demand.number)
    return render(
        request,
        "demands/publish.html",
        {"form": form, "staff": True, "visit": visit},
        status=400 if form.errors else 200,
    )


@role_required(*CLIENTS)
def my_demands(request: HttpRequest) -> HttpResponse:
    demands = Demand.objects.filter(client=request.user).order_by("-urgent", "-published_at")
    claimable = [
        {
            "number": d.number,
            "title": d.title,
            "status": d.get_status_display(),
            "detail_url": reverse("demands:detail", args=[d.number]),
            "claim_url": reverse("demands:claim", args=[d.number]),
        }
        for d in Demand.objects.filter(callers.claimable(request.user), client=None)
    ]
    table = make_list(
        request,
        MyDemandTable,
        demands,
        empty_action=("发布新需求", reverse("demands:publish")),
    )
    context = {"table": table, "claimable": claimable, "claimable_what": "需求"}
    return render(request, "demands/mine.html", context)


@role_required(*ALL_STAFF)
def queue(request: HttpRequest) -> HttpResponse:
    """Open demands, the least time left first (DEM-3, DEM-4)."""
    demands = by_urgency(
        Demand.objects.visible_to(request.user)
        .filter(status__in=OPEN_STATUSES)
        .select_related("client", "responsible", "caller")
    )
    table = make_list(request, QueueTable, demands, filterset_class=QueueFilter)
    return render(request, "demands/queue.html", {"table": table})


@role_required(*HANDLERS)
def follow_ups(request: HttpRequest) -> HttpResponse:
    """待跟进 (DEM-7): demands in service with their next follow-up point, overdue first."""
    from qihub.demands.followup import due_rows, to_follow_up
    from qihub.demands.models import default_follow_up_days
    from qihub.demands.tables import FollowUpTable

    table = make_list(
        request,
        FollowUpTable,
        to_follow_up(request.user),
        rows=lambda found: due_rows(found, timezone.now()),
    )
    return render(
        request,
        "demands/follow_ups.html",
        {"table": table, "interval": default_follow_up_days()},
    )


@role_required(*INSTITUTIONS)
def institution_demands(request: HttpRequest) -> HttpResponse:
    demands = Demand.objects.visible_to(request.user).order_by("-urgent", "-published_at")
    table = make_list(
        request, InstitutionDemandTable, demands, filterset_class=InstitutionDemandFilter
    )
    return render(request, "demands/institution.html", {"table": table})


def _needs_shown(demand: Demand) -> list[tuple[str, str]]:
    """What the recommendation read from the demand, for the staff who check its shortlist."""
    needs = needs_of(demand.text())
    shown = [("对象/产品" if w.kind == "object" else "项目/参数", w.text) for w in needs.words]
    shown += [("标准", s.removeprefix("s:").upper()) for s in sorted(needs.standards)]
    shown += [("服务方式", Verb(v).label) for v in sorted(needs.verbs)]
    if needs.region:
        shown.append(("地区", regions.full_name(needs.region)))
    return shown


def detail(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    demand = get_demand_for(request.user, number)
    user = request.user
    handler = user.role in HANDLERS
    recommendation = getattr(demand, "recommendation", None)
    show_shortlist = recommendation is not None and (
        user.role in ALL_STAFF or recommendation.sent_at
    )
    items = list(recommendation.items.select_related("organisation")) if show_shortlist else []
    if recommendation and not handler:
        items = [i for i in items if i.included]
    ordering = (
        user.pk == demand.client_id
        and demand.status in workflow.ORDERABLE
        and recommendation is not None
        and recommendation.sent_at is not None
    )
    if ordering:
        _offer(demand, items)
    version = {"version": demand.version}
    context = {
        "demand": demand,
        "caller": _caller_shown(demand, user),
        "clocks": clocks_of(demand, timezone.now()),
        "items": items,
        "recommendation": recommendation,
        "handler": handler,
        "needs": _needs_shown(demand) if handler else [],
        "is_client": user.pk == demand.client_id,
        "events": demand.events.select_related("by__organisation"),
        "contacts": demand.contacts.select_related("by"),
        "changes": demand.changes.select_related("by"),
        "referrals": demand.referrals.all(),
        "respond_form": forms.RespondForm(initial=version),
        "reassign_form": forms.ReassignForm(initial=version),
        "send_form": forms.SendForm(initial=version),
        "shortlist_form": forms.ShortlistForm(initial=version),
        "refer_form": forms.ReferForm(initial=version),
        "contact_form": forms.ContactForm(),
        "change_form": forms.ChangeForm(
            initial={
                **version,
                "title": demand.title,
                "description": demand.description,
                "product": demand.product,
                "standard": demand.standard,
                "wished_by": demand.wished_by,
            }
        ),
        "close_form": forms.CloseForm(initial=version),
        "urgent_form": forms.UrgentForm(initial=version),
        "unurgent_form": forms.UnurgentForm(initial=version),
        "can": ACTIONS.buttons(user, demand),
        "ordering": ordering,
        "orders": Order.objects.visible_to(user)
        .filter(demand=demand)
        .select_related("service", "institution")
        .order_by("placed_at"),
    }
    return render(request, "demands/detail.html", context)


def _caller_shown(demand: Demand, user: object) -> dict | None:
    """A caller without an account, for staff: in full to the demand's handler (who entered it
    or answers for it), masked to other staff (ADR 0012)."""
    if demand.caller is None or user.role not in ALL_STAFF:
        return None
    handler = user.pk in (demand.entered_by_id, demand.responsible_id)
    return {
        **callers.shown(demand.caller, viewer=user, full=handler),
        "sms_sent": demand.caller.sms_sent_at is not None,
        "claimed": demand.caller.claimed_at is not None,
    }


def _offer(demand: Demand, items: list) -> None:
    """Each shortlisted institution's published service item of the demand's category, which the
    item's 下单 button opens with the demand attached. With several, the one whose name and
    description share the most two-character runs with the demand (电子天平 → 电子天平校准)."""
    wanted = _pairs(demand.text())
    offers: dict[int, tuple[int, InstitutionService]] = {}
    for service in InstitutionService.objects.filter(
        organisation__in=[i.organisation_id for i in items],
        category=demand.category,
        published=True,
    ).order_by("name", "id"):
        fit = len(wanted & _pairs(f"{service.name} {service.description}"))
        best = offers.get(service.organisation_id)
        if best is None or fit > best[0]:
            offers[service.organisation_id] = (fit, service)
    for item in items:
        item.offer = offers[item.organisation_id][1] if item.organisation_id in offers else None


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1) if not text[i : i + 2].isspace()}


@role_required(*FIELD_STAFF)
def visits(request: HttpRequest) -> HttpResponse:
    """Station visits to enterprises and the demands collected there (DEM-2)."""
    form = forms.VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit = workflow.record_visit(
                by=request.user,
                enterprise_name=form.cleaned_data["enterprise_name"],
                visited_on=form.cleaned_data["visited_on"],
                summary=form.cleaned_data["summary"],
                organisation=form.cleaned_data["enterprise"],
            )
        except workflow.DemandError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "走访已登记，可继续录入走访中收集的需求")
            return redirect(f"/ops/demands/new/?visit={visit.pk}")
    rows = Visit.objects.prefetch_related("demands").select_related("station_staff")
    if is_station_staff(request.user):
        # A station's staff see their own station's visits, not every station's (issue 16).
        rows = rows.filter(
            Q(station_staff=request.user)
            | Q(
                station_staff__station__isnull=False, station_staff__station=request.user.station_id
            )
        )
    table = make_list(request, VisitTable, rows)
    return render(
        request,
        "demands/visits.html",
        {"form": form, "table": table},
        status=400 if form.errors else 200,
    )
