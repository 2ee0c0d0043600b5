from django.urls import path

from emporium.design import views

app_name = "design"
urlpatterns = [path("design/preview/<str:token>/", views.preview, name="preview")]
