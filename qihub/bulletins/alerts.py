"""Safety alerts and subscriptions (CAT-7): publishing an alert tells each enterprise whose
subscription names the alert's field and, when it lists product words, one of them."""

from typing import Any

from django.db import transaction

from qihub.bulletins.models import Alert, AlertSubscription
from qihub.institutions.tokens import normalise
from qihub.notifications.outbox import notify


def matches(subscription: AlertSubscription, alert: Alert) -> bool:
    if subscription.field != alert.field:
        return False
    words = subscription.words
    if not words:
        return True
    # Full-width letters, case and the like must not hide a match (同 检索的规范化).
    haystack = normalise(f"{alert.product} {alert.title} {alert.text}")
    return any(normalise(word) in haystack for word in words)


def publish(*, by: Any, data: dict) -> Alert:
    with transaction.atomic():
        alert = Alert.objects.create(published_by=by, **data)
        subscribers = {
            s.enterprise
            for s in AlertSubscription.objects.filter(field=alert.field).select_related(
                "enterprise"
            )
            if matches(s, alert)
        }
        if subscribers:
            notify(
                subscribers,
                f"安全警示：{alert.title}",
                f"{alert.get_kind_display()}，涉及产品：{alert.product}。{alert.text[:200]}",
                dedupe_key=f"alert-{alert.pk}",
            )
        alert.notified = len(subscribers)
        alert.save(update_fields=["notified"])
    return alert
