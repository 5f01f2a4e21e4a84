from django.urls import path

from qihub.history import views

app_name = "history"

urlpatterns = [
    path("ops/versions/<slug:kind>/<int:pk>/", views.versions, name="versions"),
]
