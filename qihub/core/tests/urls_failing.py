"""A URLconf with a view that fails, to see what a user gets from a server error."""

from django.urls import include, path


def explode(request):
    raise RuntimeError("boom: secret internal detail")


urlpatterns = [path("explode/", explode), path("", include("qihub.urls"))]

handler404 = "qihub.core.views.page_not_found"
handler500 = "qihub.core.views.server_error"
