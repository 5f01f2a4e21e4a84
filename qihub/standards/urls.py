from django.urls import path

from qihub.standards import views

app_name = "standards"

urlpatterns = [
    path("standards/", views.index, name="index"),
    path("standards/check/", views.check, name="check"),
    path("standards/<int:pk>/", views.detail, name="detail"),
    path("standards/watch/", views.watch, name="watch"),
    path("standards/watch-all/", views.watch_all, name="watch_all"),
    path("standards/watches/", views.watches, name="watches"),
    path("standards/watches/read/", views.mark_read, name="mark_read"),
    path("standards/watches/<int:pk>/remove/", views.unwatch, name="unwatch"),
    path("ops/standards/load/", views.load_page, name="load"),
    path("ops/standards/load/<int:pk>/", views.load_job, name="load_job"),
]
