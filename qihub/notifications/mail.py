"""A Django e-mail backend that keeps messages in the database (embedded mode's default).

Messages sent for a notification carry its id in the X-Qihub-Notification header, so the row
is written in the delivery transaction: exactly one row per notification, even after a crash.
"""

from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from qihub.notifications.models import Channel, DeliveredMessage

NOTIFICATION_HEADER = "X-Qihub-Notification"


class DatabaseEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            notification_id = message.extra_headers.get(NOTIFICATION_HEADER)
            if not notification_id:
                continue  # only notifications are kept; other mail has nowhere to go here
            DeliveredMessage.objects.create(
                notification_id=int(notification_id),
                channel=Channel.EMAIL,
                address=", ".join(message.to),
                subject=str(message.subject),
                text=str(message.body),
            )
            sent += 1
        return sent
