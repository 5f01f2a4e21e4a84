"""The SMS provider interface. A real gateway plugs in through QIHUB_SMS_BACKEND."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from qihub.core import pii

logger = logging.getLogger(__name__)


class SmsError(Exception):
    pass


class SmsBackend:
    def send(self, *, mobile: str, text: str, notification_id: int | None) -> None:
        """Deliver or raise SmsError. `notification_id` is the idempotency key to pass on."""
        raise NotImplementedError


class OutboxSmsBackend(SmsBackend):
    """Default: records the message in the database (same transaction as marking it sent)."""

    def send(self, *, mobile: str, text: str, notification_id: int | None) -> None:
        from qihub.notifications.models import Channel, DeliveredMessage

        # The log keeps the number masked: mobile numbers are only ever stored encrypted.
        masked = pii.mask(mobile, 3, 4)
        DeliveredMessage.objects.create(
            notification_id=notification_id, channel=Channel.SMS, address=masked, text=text
        )
        logger.info("sms to %s", masked)


def get_backend() -> SmsBackend:
    return import_string(settings.QIHUB_SMS_BACKEND)()
