from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from qihub.notifications.models import Channel, Notification
from qihub.notifications.outbox import forget_unread


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    messages = Notification.objects.filter(recipient=request.user, channel=Channel.INBOX)[:200]
    return render(request, "notifications/inbox.html", {"inbox_messages": messages})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(
        recipient=request.user, channel=Channel.INBOX, read_at__isnull=True
    ).update(read_at=timezone.now())
    forget_unread([request.user.pk])
    return redirect("notifications:inbox")
