"""What every API endpoint answers for a form that does not validate, and how the form-encoded
bodies are documented in the OpenAPI schema.

The endpoints read `request.POST` / `request.FILES` through the pages' Django forms, so Ninja
sees no body parameter. `form_body(FormClass, …)` marks an endpoint with the forms it reads and
`FormBodyAPI` writes each marked operation's requestBody from those forms' fields when the
schema is generated (at request time: some forms read the database when built), so clients and
schemathesis send the real field names.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from ninja import NinjaAPI, Status

F = TypeVar("F", bound=Callable[..., Any])


def invalid(form: forms.BaseForm) -> Status:
    """422 with each field's Chinese messages, as the page would show them."""
    return Status(
        422,
        {"errors": {field: [str(m) for m in messages] for field, messages in form.errors.items()}},
    )


def form_body(*form_classes: type[forms.BaseForm], **extra: forms.Field) -> Callable[[F], F]:
    """Mark an endpoint as reading these forms' fields from its (form-encoded) body, and
    `extra` fields the endpoint reads itself."""
    if extra:
        form_classes = (*form_classes, type("ExtraFields", (forms.Form,), dict(extra)))

    def mark(view: F) -> F:
        view._form_body = form_classes  # type: ignore[attr-defined]
        return view

    return mark


def _fields(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """The form's fields as built for a request (several forms add fields in __init__)."""
    try:
        form = form_class(**{name: None for name in getattr(form_class, "takes", ())})
    except Exception:  # a form that cannot be built without its record: its declared fields
        return dict(form_class.base_fields)
    return dict(form.fields)


def _field_schema(field: forms.Field) -> dict[str, Any]:
    schema: dict[str, Any]
    if getattr(field, "api_schema", None):  # a field that shows the API its own (RegionField)
        return dict(field.api_schema)  # type: ignore[attr-defined]
    if isinstance(field, forms.FileField):
        schema = {"type": "string", "format": "binary"}
    elif isinstance(field, forms.BooleanField | forms.NullBooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        schema = {"type": "number"}
    elif isinstance(field, forms.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, forms.ModelChoiceField):
        schema = {"type": "string"}
    elif isinstance(field, forms.MultipleChoiceField):
        values = [str(k) for k, _ in field.choices if k != ""]
        schema = {"type": "array", "items": {"type": "string", "enum": values}}
    elif isinstance(field, forms.ChoiceField):
        values = [str(k) for k, _ in field.choices if k != ""]
        schema = {"type": "string", "enum": values} if values else {"type": "string"}
    else:
        schema = {"type": "string"}
        if getattr(field, "max_length", None):
            schema["maxLength"] = field.max_length
        if getattr(field, "min_length", None):
            schema["minLength"] = field.min_length
    if field.label:
        schema["title"] = str(field.label)
    return schema


def request_body(*form_classes: type[forms.BaseForm]) -> dict[str, Any]:
    """The OpenAPI requestBody for a body read by any of these forms: the union of their
    fields; a field is required when every form requires it. Multipart when one takes a file."""
    properties: dict[str, Any] = {}
    required: set[str] | None = None
    files = False
    for form_class in form_classes:
        fields = _fields(form_class)
        for name, field in fields.items():
            properties.setdefault(name, _field_schema(field))
            files = files or isinstance(field, forms.FileField)
        needed = {name for name, field in fields.items() if field.required}
        required = needed if required is None else required & needed
        if form_class.__name__ == "ExtraFields":  # the endpoint's own fields add to every form
            required = (required or set()) | needed
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = sorted(required)
    media = "multipart/form-data" if files else "application/x-www-form-urlencoded"
    return {"required": bool(required), "content": {media: {"schema": schema}}}


class FormBodyAPI(NinjaAPI):
    """NinjaAPI that documents the bodies of endpoints marked with `form_body`."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        bodies: dict[str, tuple[type[forms.BaseForm], ...]] = {}
        for router in self._get_bound_routers():  # as Ninja's own schema walks them
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    marked = getattr(operation.view_func, "_form_body", None)
                    if marked:
                        op_id = operation.operation_id or self.get_openapi_operation_id(operation)
                        bodies[op_id] = marked
        for methods in schema["paths"].values():
            for details in methods.values():
                forms_read = bodies.get(details.get("operationId", ""))
                if forms_read and "requestBody" not in details:
                    details["requestBody"] = request_body(*forms_read)
        return schema
