from django.template.response import TemplateResponse

from afterword.desk.access import desk_view


@desk_view()
def home(request):
    return TemplateResponse(request, "desk/home/home.html", {"nav_current": "home"})
