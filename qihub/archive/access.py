"""Who may read an enterprise's archive, and the log of every read (ARC-3).

The enterprise reads its own archive freely. Anyone else reads it only under a grant valid
today; each such read — page, export or API — is written to `ArchiveRead`, which the enterprise
sees as its 访问记录."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qihub.accounts.models import Organisation, User
from qihub.archive.models import AccessGrant, ArchiveRead
from qihub.archive.workflow import staff_pledge_valid, valid_grant
from qihub.training import pledges

NO_GRANT = "查阅企业质量档案须经运营机构负责人授权：您没有在有效期内的查阅授权，请先申请"


def is_owner(user: User, enterprise: Organisation) -> bool:
    return getattr(user, "pk", None) == enterprise.account_id


def check_read(user: User, enterprise: Organisation) -> AccessGrant | None:
    """The grant this read is taken under (None for the enterprise itself); PermissionDenied
    with the reason when the user may not read it."""
    if is_owner(user, enterprise):
        return None
    grant = valid_grant(user, enterprise) if user.is_authenticated else None
    if grant is None:
        raise PermissionDenied(NO_GRANT)
    if not staff_pledge_valid(user):  # a pledge lapsed since the grant (a new version published)
        raise PermissionDenied(pledges.REFUSAL)
    return grant


def log_read(user: User, enterprise: Organisation, grant: AccessGrant | None, kind: str) -> None:
    """Staff reads are logged; the enterprise reading its own archive is not an access."""
    if grant is not None:
        ArchiveRead.objects.create(
            enterprise=enterprise, reader=user, grant=grant, kind=kind, at=timezone.now()
        )
