"""The application's actions, one table for the pages (/applications/<pk>/<page>/) and the API
(/api/v1/registrations/<pk>/<api>): same form, same workflow call, same decision."""

from typing import Any

from qihub.accounts.roles import is_back_office
from qihub.core.actions import Action, ActionTable
from qihub.onboarding import forms, workflow
from qihub.onboarding.models import Application


def visible(user: Any, key: str) -> Application | None:
    """The back office sees every application; an applicant only their own."""
    if not str(key).isdigit() or not getattr(user, "is_authenticated", False):
        return None
    application = Application.objects.select_related("applicant").filter(pk=int(key)).first()
    if application is None:
        return None
    if is_back_office(user) or application.applicant_id == user.pk:
        return application
    return None


def _describe(application: Application, user: Any) -> dict:
    from qihub.onboarding.api import summary

    return summary(application)


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="onboarding:application",
    describe=_describe,
    key="pk",
    actions=[
        Action(
            "return",
            forms.ReturnForm,
            lambda a, u, c: workflow.return_for_supplement(
                a, by=u, returned_items=c["returned_items"], note=c["note"]
            ),
            "已退回补正，并已通知申请人",
            summary="退回补正（reason_<材料类型>=退回原因，note）",
        ),
        Action(
            "approve",
            forms.ApproveForm,
            lambda a, u, c: workflow.approve(a, by=u, note=c["note"]),
            "已审核通过，并已通知申请人",
            summary="审核通过（note 可选）",
        ),
        Action(
            "reject",
            forms.RejectForm,
            lambda a, u, c: workflow.reject(a, by=u, reason=c["reason"]),
            "已决定不予通过，并已通知申请人",
            summary="不予通过（reason 必填）",
        ),
        Action(
            "resubmit",
            forms.ResubmitForm,
            lambda a, u, c: workflow.resubmit(
                a, by=u, replacements=c["replacements"], note=c["note"]
            ),
            "补正材料已提交，平台将在 3 个工作日内重新审核",
            summary="提交补正材料（multipart/form-data：退回的每项材料一个文件，note）",
        ),
    ],
)
