"""Test helper: staff who read enterprise records need a signed, current pledge (TRN-2)."""

from qihub.accounts.models import User
from qihub.training.models import PledgeSignature, PledgeVersion


def pledged(*users: User) -> None:
    """Publish a pledge if none exists and have each user sign the current version."""
    current = PledgeVersion.objects.order_by("-version").first()
    if current is None:
        author = users[0]
        current = PledgeVersion.objects.create(
            version=1, text="不泄露企业信息。", published_by=author
        )
    for user in users:
        PledgeSignature.objects.get_or_create(pledge=current, signer=user)
