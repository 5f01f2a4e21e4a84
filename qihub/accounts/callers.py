"""Callers without an account (issue 15, ADR 0012): staff record a demand or complaint received by
phone, letter or at a window for a person who has no account.

The caller's name and mobile are sealed (`core.pii`, ADR 0005). The caller gets an SMS with the
record's number and a follow link carrying a random token; only the token's keyed digest is
stored, so the database alone cannot rebuild a link. After registering with the same mobile
(confirmed by code at registration) the caller may claim the record: the workflow's `claim` move
hands it to the account and writes the event.
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Any

import rules
from django import forms
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from qihub.accounts.identifiers import InvalidIdentifier, validate_mobile
from qihub.accounts.models import Caller
from qihub.accounts.roles import is_client
from qihub.core import pii
from qihub.core.audit import reveal
from qihub.core.workflow import WorkflowError
from qihub.notifications.sms import SmsError, get_backend

logger = logging.getLogger(__name__)

ACCOUNT, CALLER = "account", "caller"
CLIENT_KINDS = [(ACCOUNT, "已注册账户"), (CALLER, "无账户来电/来信/窗口人员")]


def token_digest(token: str) -> str:
    """Keyed hash of a follow token (case-sensitive, unlike the personal-data digest)."""
    return hmac.new(
        pii.key_ring().index_key, f"follow:{token}".encode(), hashlib.sha256
    ).hexdigest()


def mask_name(name: str) -> str:
    """张三 → 张*，欧阳明日 → 欧***: the family name's first character is enough to address."""
    return name[:1] + "*" * max(len(name) - 1, 1)


@dataclass(frozen=True)
class NewCaller:
    caller: Caller
    token: str  # only ever in the SMS; the database keeps its digest


def register(name: str, mobile: str) -> NewCaller:
    """Seal the caller's name and mobile and draw the follow token (inside the record's step)."""
    token = secrets.token_urlsafe(24)
    sealed_mobile = pii.seal(mobile, keep_start=3, keep_end=4)
    caller = Caller.objects.create(
        name_cipher=pii.encrypt(name),
        name_masked=mask_name(name),
        mobile_cipher=sealed_mobile.cipher,
        mobile_digest=sealed_mobile.digest,
        mobile_masked=sealed_mobile.masked,
        token_digest=token_digest(token),
    )
    return NewCaller(caller, token)


def send_follow_sms(new: NewCaller, *, what: str, number: str, link_base: str) -> None:
    """Text the caller the number and the follow link once the record is committed: a refused
    record sends nothing. A gateway failure leaves `sms_sent_at` empty for staff to see and call
    back; it never loses the record."""
    caller = new.caller
    link = link_base.rstrip("/") + reverse("follow", args=[new.token])
    text = f"【质量基础设施一站式服务平台】您的{what}已登记，编号 {number}。查看办理进度：{link}"

    def send() -> None:
        mobile = reveal(caller, "mobile", by=None, reason="无账户来电人短信告知编号")
        try:
            get_backend().send(mobile=mobile, text=text, notification_id=None)
        except SmsError as exc:
            logger.warning("caller sms for %s failed: %s", number, exc)
            return
        Caller.objects.filter(pk=caller.pk).update(sms_sent_at=timezone.now())

    transaction.on_commit(send)


def by_token(token: str) -> Caller | None:
    if not token or len(token) > 64:
        return None
    return Caller.objects.filter(token_digest=token_digest(token)).first()


def holds_mobile(user: Any, caller: Caller | None) -> bool:
    """The account's confirmed mobile is the caller's (registration confirms it by code)."""
    return bool(
        caller is not None
        and getattr(user, "mobile_digest", None)
        and hmac.compare_digest(user.mobile_digest, caller.mobile_digest)
    )


def claimable(user: Any, path: str = "caller__") -> Q:
    """Records the user may claim: made for a caller with the user's mobile, not yet claimed.
    Matches nothing for visitors, accounts without a mobile and non-clients."""
    digest = getattr(user, "mobile_digest", None)
    if not getattr(user, "is_authenticated", False) or not digest or not is_client(user):
        return Q(pk__in=[])
    return Q(**{f"{path}mobile_digest": digest, f"{path}claimed_by__isnull": True})


@rules.predicate
def is_record_caller(user: Any, record: Any) -> bool:
    """An enterprise or individual whose mobile is that of the record's unclaimed caller."""
    caller = getattr(record, "caller", None) if record is not None else None
    return (
        caller is not None
        and caller.claimed_by_id is None
        and bool(is_client(user))
        and holds_mobile(user, caller)
    )


def claimed(caller: Caller, *, by: Any, at: Any) -> None:
    """Inside the record's claim step: the caller is now this account."""
    if caller.claimed_by_id is not None:
        raise WorkflowError("该记录已被认领")
    caller.claimed_by, caller.claimed_at = by, at
    caller.save(update_fields=["claimed_by", "claimed_at"])


def shown(caller: Caller, *, viewer: Any, full: bool) -> dict[str, str]:
    """Name and mobile for a staff page: in full (audited) for the record's handler, masked
    for everyone else."""
    if full:
        return {
            "name": reveal(caller, "name", by=viewer, reason="经办人查看来电人"),
            "mobile": reveal(caller, "mobile", by=viewer, reason="经办人查看来电人"),
        }
    return {"name": caller.name_masked, "mobile": caller.mobile_masked}


class CallerFields(forms.Form):
    """The choice of client on the staff forms: an existing account, or a caller without one.
    Mixed into the staff demand and complaint forms; `account_field` names their account field."""

    account_field = "client"
    caller_channels: frozenset[str] = frozenset()

    # Left out (older API clients, forms posted before this choice existed): an account.
    client_kind = forms.ChoiceField(
        label="提出人类型",
        choices=CLIENT_KINDS,
        initial=ACCOUNT,
        required=False,
        widget=forms.RadioSelect,
    )
    caller_name = forms.CharField(label="来电人姓名（无账户时填写）", max_length=30, required=False)
    caller_mobile = forms.CharField(
        label="来电人手机号码（无账户时填写）", max_length=20, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the fields of the chosen kind show (static/qihub/site.js, docs/ui.md).
        self.fields[self.account_field].widget.attrs["data-show-when"] = f"client_kind:{ACCOUNT}"
        for name in ("caller_name", "caller_mobile"):
            self.fields[name].widget.attrs["data-show-when"] = f"client_kind:{CALLER}"

    def _short(self, name: str) -> str:
        """The field's label without its hint: 来电人姓名（无账户时填写） → 来电人姓名."""
        return str(self.fields[name].label).split("（")[0]

    def caller(self) -> tuple[str, str] | None:
        """(name, mobile) of a caller without an account, None for an account holder."""
        if not self.is_caller():
            return None
        return self.cleaned_data["caller_name"], self.cleaned_data["caller_mobile"]

    def is_caller(self) -> bool:
        return self.cleaned_data.get("client_kind") == CALLER

    def caller_clean(self, data: dict, channel_label: str) -> None:
        """Field errors name the field; the account field is only required for accounts (its
        own `clean_<field>` returns None for a caller or an empty value)."""
        if data.get("client_kind") != CALLER:
            if self.account_field not in self.errors and not data.get(self.account_field):
                label = self.fields[self.account_field].label
                self.add_error(self.account_field, f"{label}：必须填写")
            return
        data[self.account_field] = None
        name = (data.get("caller_name") or "").strip()
        if not name:
            self.add_error("caller_name", f"{self._short('caller_name')}：必须填写")
        data["caller_name"] = name
        mobile = (data.get("caller_mobile") or "").strip()
        if not mobile:
            self.add_error("caller_mobile", f"{self._short('caller_mobile')}：必须填写")
        else:
            try:
                data["caller_mobile"] = validate_mobile(mobile)
            except InvalidIdentifier as exc:
                self.add_error("caller_mobile", f"{self._short('caller_mobile')}：{exc}")
        channel = data.get("channel")
        if channel and channel not in self.caller_channels:
            self.add_error("channel", f"{channel_label}：无账户人员只能通过电话、信函或窗口登记")


class ClaimForm(forms.Form):
    """Claiming asks nothing: the account's confirmed mobile is the proof (page and API)."""
