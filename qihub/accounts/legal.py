"""The user agreement and privacy policy a registrant accepts, and the record of that consent.

The texts are templates (accounts/agreement.html, accounts/privacy.html); VERSION names the
wording in force. Change it whenever the wording changes: each consent row keeps the version it
was given for, so the platform can tell who accepted which text.
"""

import datetime as dt

from qihub.accounts.models import Consent, LegalDocument, User

VERSION = "2026-11"


def record_consent(user: User, *, at: dt.datetime, ip: str | None) -> list[Consent]:
    """One row per document the registration form's single checkbox covers."""
    return [
        Consent.objects.create(user=user, document=document, version=VERSION, agreed_at=at, ip=ip)
        for document in LegalDocument.values
    ]
