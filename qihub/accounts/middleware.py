"""Staff sessions (ACC-9): two-factor verified, and ended after 30 minutes idle."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

LAST_SEEN = "staff_last_seen"
EXEMPT = {"/accounts/login/", "/accounts/logout/"}


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            if not user.is_verified() and request.path not in EXEMPT:
                # A staff session without the second factor (e.g. from the admin's own form).
                logout(request)
                messages.info(request, "工作人员须使用动态口令登录")
                return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
            now = time.time()
            last_seen = request.session.get(LAST_SEEN, now)
            if now - last_seen > settings.QIHUB_STAFF_IDLE_SECONDS:
                logout(request)
                messages.info(
                    request, "您已超过 30 分钟未操作，为保护数据安全已自动退出，请重新登录"
                )
                return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
            request.session[LAST_SEEN] = now
        return self.get_response(request)
