from django.urls import path

from . import api, views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("api/v1/search", api.search, name="api-search"),
    path("tinh/<slug:slug>/", views.province_detail, name="province"),
    path("tinh/<slug:province_slug>/<path:path>/", views.agency_detail, name="agency"),
]
