"""One action table per app serving both the pages and the API (ADR 0009).

Each row names the workflow action, the form both layers validate, the call into the workflow,
the success message and the paths. `ActionTable.urls()` gives the page routes and
`ActionTable.register_api()` the API routes from the same rows, so page and API cannot drift.

The decision is the same on both layers, in this order: a record the user may not know of is
404; an actor the workflow table refuses is 403 with nothing changed; an invalid form is a
message on the page and 422 in the API; a refusal by the record's rules is a message on the page
and 409 in the API.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from ninja import Router, Status

from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, Workflow, WorkflowError

ANSWERS = {200: dict, 403: dict, 404: dict, 409: dict, 422: dict}
# Every table in the project, for the page↔API parity test.
TABLES: list["ActionTable"] = []


@dataclass(frozen=True)
class Action:
    name: str  # the workflow action; also the URL name
    form: type[forms.BaseForm]
    run: Callable[[Any, Any, dict], object]  # (record, actor, cleaned data) → calls the workflow
    done: str  # the success message on the page
    summary: str  # the API's summary, in Chinese
    page: str = ""  # path segment under the record's page (default: the action's name)
    api: str = ""  # path under the record's API address (default: the action's name)

    def __post_init__(self) -> None:
        object.__setattr__(self, "page", self.page or self.name)
        object.__setattr__(self, "api", self.api or self.name)

    def bind(self, request: HttpRequest, record: Any) -> forms.BaseForm:
        kwargs: dict[str, Any] = {"data": request.POST, "files": request.FILES}
        if "record" in getattr(self.form, "takes", ()):
            kwargs["record"] = record
        # Forms that need the request itself (an absolute address printed into a document).
        if "request" in getattr(self.form, "takes", ()):
            kwargs["request"] = request
        return self.form(**kwargs)


class ActionTable:
    def __init__(
        self,
        workflow: Workflow,
        *,
        lookup: Callable[[Any, str], Any],
        detail: str,
        actions: Iterable[Action],
        describe: Callable[[Any, Any], dict],
        key: str = "number",
    ) -> None:
        self.workflow = workflow
        self.lookup = lookup  # (user, key) → the record the user may see, or None
        self.detail = detail  # URL name of the record's page
        self.actions = {a.name: a for a in actions}
        self.describe = describe  # (record, user) → the API's JSON for the record
        self.key = key
        unknown = set(self.actions) - set(workflow.moves)
        if unknown:
            raise ValueError(f"actions not in the workflow table: {sorted(unknown)}")
        TABLES.append(self)

    def buttons(self, user: Any, record: Any) -> dict[str, bool]:
        """Which actions to offer this user on this record now (the template's `can`)."""
        return {name: self.workflow.can(user, record, name) for name in self.actions}

    # --- pages ---------------------------------------------------------------------------
    def urls(self, prefix: str) -> list[URLPattern]:
        return [
            path(f"{prefix}<str:{self.key}>/{a.page}/", self._page_view(a), name=a.name)
            for a in self.actions.values()
        ]

    def _page_view(self, action: Action) -> Callable[..., HttpResponse]:
        def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
            key = kwargs[self.key]
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            record = self.lookup(request.user, key)
            if record is None:
                raise Http404
            back = redirect(reverse(self.detail, kwargs={self.key: key}))
            if request.method != "POST":
                return back
            self.workflow.check_actor(request.user, record, action.name)
            form = action.bind(request, record)
            if not form.is_valid():
                _say_errors(request, form)
                return back
            try:
                action.run(record, request.user, form.cleaned_data)
            except Refused:
                raise
            except WorkflowError as exc:
                messages.error(request, str(exc))
                return back
            messages.success(request, action.done)
            return back

        view.__name__ = f"{action.name}_page"
        return view

    # --- API -----------------------------------------------------------------------------
    def register_api(self, router: Router, prefix: str) -> None:
        for action in self.actions.values():
            router.post(
                f"{prefix}/{{{self.key}}}/{action.api}",
                response=ANSWERS,
                summary=action.summary,
                operation_id=f"{self.workflow.model._meta.model_name}_{action.name}",
            )(form_body(action.form)(self._api_view(action)))

    def _api_view(self, action: Action) -> Callable[..., Status]:
        def endpoint(request: HttpRequest, **kwargs: str) -> Status:
            record = self.lookup(request.user, kwargs[self.key])
            if record is None:
                return Status(404, {"detail": "没有该记录，或您无权查看"})
            try:
                self.workflow.check_actor(request.user, record, action.name)
            except Refused as exc:
                return Status(403, {"detail": str(exc)})
            form = action.bind(request, record)
            if not form.is_valid():
                return invalid(form)
            try:
                action.run(record, request.user, form.cleaned_data)
            except Refused as exc:
                return Status(403, {"detail": str(exc)})
            except WorkflowError as exc:
                return Status(409, {"detail": str(exc)})
            record.refresh_from_db()
            return Status(200, self.describe(record, request.user))

        endpoint.__name__ = f"{action.name}_api"
        # Ninja reads the path parameter from the signature.
        endpoint.__annotations__ = {"request": HttpRequest, self.key: str, "return": Status}
        return _with_key(endpoint, self.key)


def _with_key(endpoint: Callable[..., Status], key: str) -> Callable[..., Status]:
    """Give the endpoint a real `key: str` parameter so Ninja documents and parses it."""
    import inspect

    signature = inspect.Signature(
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, annotation=str),
        ],
        return_annotation=Status,
    )
    endpoint.__signature__ = signature  # type: ignore[attr-defined]
    return endpoint


def run_action(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict], object],
    done: str,
    refused: tuple[type[Exception], ...] = (WorkflowError,),
) -> bool:
    """A POST action outside a record's table (creating forms on list pages): True when it
    succeeded; every field error or refusal becomes a message."""
    if not form.is_valid():
        _say_errors(request, form)
        return False
    try:
        action(form.cleaned_data)
    except Refused:
        raise
    except refused as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, done)
    return True


def _say_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
