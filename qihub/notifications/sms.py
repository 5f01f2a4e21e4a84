"""The SMS provider interface. A real gateway plugs in through QIHUB_SMS_BACKEND."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    pass


class SmsBackend:
    def send(self, *, mobile: str, text: str, notification_id: int) -> None:
        """Deliver or raise SmsError. `notification_id` is the idempotency key to pass on."""
        raise NotImplementedError


class OutboxSmsBackend(SmsBackend):
    """Default: records the message in the database (same transaction as marking it sent)."""

    def send(self, *, mobile: str, text: str, notification_id: int) -> None:
        from qihub.notifications.models import Channel, DeliveredMessage

        DeliveredMessage.objects.create(
            notification_id=notification_id, channel=Channel.SMS, address=mobile, text=text
        )
        logger.info("sms to %s: %s", mobile[:3] + "****" + mobile[-4:], text[:40])


def get_backend() -> SmsBackend:
    return import_string(settings.QIHUB_SMS_BACKEND)()
