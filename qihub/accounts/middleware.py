"""Sessions (ACC-9, B6): staff-side roles are two-factor verified and ended after 15 idle
minutes; everyone else after 30."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

LAST_SEEN = "last_seen"
TOUCH_SECONDS = 60
EXEMPT = {"/accounts/login/", "/accounts/logout/"}


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path in EXEMPT:
            response = self.get_response(request)
            if getattr(request, "token_device", None) is not None:
                # An app's answer (bearer token, no session) carries someone's records as well.
                patch_cache_control(response, no_store=True, private=True)
            return response
        if user.needs_second_factor and not user.is_verified():
            # A staff session without the second factor (e.g. from the admin's own form).
            logout(request)
            messages.info(request, "工作人员须使用动态口令登录")
            return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
        limit = (
            settings.QIHUB_STAFF_IDLE_SECONDS
            if user.needs_second_factor
            else settings.QIHUB_IDLE_SECONDS
        )
        now = time.time()
        last_seen = request.session.get(LAST_SEEN, now)
        if now - last_seen > limit:
            logout(request)
            messages.info(
                request,
                f"您已超过 {limit // 60} 分钟未操作，为保护数据安全已自动退出，请重新登录",
            )
            return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
        if now - last_seen >= TOUCH_SECONDS or LAST_SEEN not in request.session:
            # Written at most once a minute: a session save on every request only makes
            # concurrent requests of one user contend for the session row.
            request.session[LAST_SEEN] = now
        response = self.get_response(request)
        # A signed-in page carries someone's records: no browser or proxy may keep a copy.
        patch_cache_control(response, no_store=True, private=True)
        return response


class StorageErrorMiddleware:
    """The store's two failures, on a page without its own handling, answered in Chinese
    instead of a 500 (B9); the upload's transaction was already rolled back and its file
    removed by `upload_batch`:
    - full (StorageFull): 507, with the field named;
    - unreachable (a bucket refusing, timing out or answering 5xx): 503 with Retry-After,
      JSON under /api/ (`core.views.storage_unavailable`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from qihub.accounts.uploads import StorageFull, is_store_outage
        from qihub.core.views import storage_unavailable

        if is_store_outage(exception):
            return storage_unavailable(request)
        if not isinstance(exception, StorageFull):
            return None
        context = {"message": str(exception), "back": request.path}
        return render(request, "storage_full.html", context, status=507)
