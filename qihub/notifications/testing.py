"""Backends for drills and tests: a slow gateway, to practise killing a worker mid-delivery."""

import os
import time
from collections.abc import Sequence

from django.core.mail.message import EmailMessage

from qihub.notifications.mail import DatabaseEmailBackend


class SlowDatabaseEmailBackend(DatabaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        time.sleep(float(os.environ.get("QIHUB_DRILL_SEND_SECONDS", "0.5")))
        return super().send_messages(email_messages)
