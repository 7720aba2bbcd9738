from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from inspection.context_processors import navigation_remember
from inspection.forms import InspectionCreateForm, SignInForm
from inspection.models import Inspection
from inspection.permissions import (
    check_can_create_inspection,
    inspections_for_user,
    user_can_create_inspection,
)
from inspection.services import inspection_create


@require_safe
def my_inspections(request: HttpRequest) -> HttpResponse:
    inspections = list(
        inspections_for_user(request.user).annotate(case_count=Count("cases", distinct=True))
    )
    roles = dict(request.user.memberships.values_list("inspection_id", "role"))
    for inspection in inspections:
        inspection.my_role = roles.get(inspection.id)
    context = {
        "inspections": inspections,
        "can_create": user_can_create_inspection(request.user),
    }
    return render(request, "inspection/my_inspections.html", context)


def inspection_new(request: HttpRequest) -> HttpResponse:
    check_can_create_inspection(request.user)
    form = InspectionCreateForm(
        request.POST or None, frameworks=Inspection.framework_model().objects.all()
    )
    if form.is_valid():
        details = dict(form.cleaned_data)
        framework_code = details.pop("framework")
        try:
            inspection = inspection_create(
                framework_code=framework_code, by=request.user, **details
            )
        except ValidationError as refused:
            form.add_service_errors(refused)
        else:
            messages.success(request, f"{inspection.title} is set up. Add its team in the admin.")
            return redirect(inspection)
    return render(request, "inspection/inspection_new.html", {"form": form})


class SignInView(LoginView):
    """Django's sign-in, which also remembers in the new session which links the header offers
    the person (inspection.context_processors), so their pages ask nothing for it."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        navigation_remember(self.request.session, form.get_user())
        return response
