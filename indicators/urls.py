from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("metode/", views.methodology, name="methodology"),
]
