import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from inspection.account_services import password_change
from inspection.context_processors import navigation_remember
from inspection.forms import InspectionCreateForm, OwnPasswordForm, SignInForm, StageMoveForm
from inspection.kept_posts import kept_posts_for
from inspection.middleware import (
    PASSWORD_CHANGE_REQUIRED,
    SIGNED_OUT_MESSAGE,
    session_refresh,
    session_seconds_left,
)
from inspection.models import Inspection
from inspection.permissions import (
    check_can_create_inspection,
    get_inspection_for_user,
    inspections_for_user,
    user_can_create_inspection,
)
from inspection.services import (
    STATUS_MOVES,
    StaleWrite,
    inspection_create,
    inspection_status_change,
    status_moves_for,
)
from inspection.stages import PAGE_STAGES, is_forward, move_effects, movers_text, status_label


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
        kept_posts_for(self.request.session, form.get_user())
        return response


class OwnPasswordChangeView(PasswordChangeView):
    """Django's change-password page (it checks the current password), writing through the
    account service, which records the change and clears a temporary password's flag."""

    form_class = OwnPasswordForm

    def get_context_data(self, **kwargs):
        temporary = self.request.session.get(PASSWORD_CHANGE_REQUIRED, False)
        return super().get_context_data(**kwargs, temporary=temporary)

    def form_valid(self, form):
        try:
            password_change(user=form.user, password=form.cleaned_data["new_password1"])
        except ValidationError as refused:
            for field, problems in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            return self.form_invalid(form)
        # Keeps this session signed in; the person's other sessions end with the old password.
        update_session_auth_hash(self.request, form.user)
        self.request.session[PASSWORD_CHANGE_REQUIRED] = False
        return HttpResponseRedirect(self.get_success_url())


def _stage_panel_url(inspection: Inspection) -> str:
    return reverse("inspection-overview", kwargs={"slug": inspection.slug}) + "#stage"


@require_http_methods(["GET", "HEAD", "POST"])
def inspection_stage_move(request: HttpRequest, slug: str, stage: str) -> HttpResponse:
    """Move an inspection to the next stage or back: a page that says what the move changes,
    and its Confirm button. The overview's stage panel links here for each move the person
    may make (inspection.stages.stage_panel)."""
    inspection = get_inspection_for_user(request.user, slug)
    if stage not in PAGE_STAGES:
        raise Http404("No such stage")
    current = inspection.status
    if stage not in status_moves_for(request.user, inspection):
        if (current, stage) in STATUS_MOVES:
            who = movers_text(current, stage)
            raise PermissionDenied(f"Only {who} moves this inspection to {status_label(stage)}.")
        # A link or a confirmation from before someone else's move.
        messages.error(
            request,
            f"{inspection.title} is in {status_label(current)} now, so it cannot move to "
            f"{status_label(stage)} from there. Nothing was moved.",
        )
        return redirect(_stage_panel_url(inspection))
    if request.method == "POST":
        return _stage_move_confirmed(request, inspection, stage)
    context = {
        "inspection": inspection,
        "effects": move_effects(current, stage),
        "forward": is_forward(current, stage),
        "form": StageMoveForm(initial={"version": inspection.version}),
    }
    return render(request, "inspection/stage_move.html", context)


def _stage_move_confirmed(request: HttpRequest, inspection: Inspection, stage: str):
    form = StageMoveForm(request.POST)
    source = inspection.status
    if not form.is_valid():
        messages.error(
            request,
            "That confirmation did not say which version of the inspection it confirms, so "
            "nothing was moved. Choose the move again here.",
        )
        return redirect(_stage_panel_url(inspection))
    try:
        inspection_status_change(
            inspection=inspection,
            to_status=stage,
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except StaleWrite:
        now = Inspection.objects.values_list("status", flat=True).get(pk=inspection.pk)
        messages.error(
            request,
            f"{inspection.title} changed since the confirmation page was opened (it is in "
            f"{status_label(now)} now), so it was not moved. Check its stage here and move it "
            "again if it still needs to move.",
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            f"{inspection.title} moved from {status_label(source)} to {status_label(stage)}.",
        )
    return redirect(_stage_panel_url(inspection))


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def session_status(request: HttpRequest) -> JsonResponse:
    """For the pages' scripts: whether the person is still signed in, as whom, for how long,
    and a CSRF token that holds now (signing in again elsewhere replaces it). A GET leaves the
    session's end where it is, or a tab left open would keep it alive; a POST ("Stay signed
    in") pushes it back a working day."""
    if not request.user.is_authenticated:
        return JsonResponse({"state": "signed-out", "message": SIGNED_OUT_MESSAGE}, status=401)
    now = int(time.time())
    if request.method == "POST":
        session_refresh(request.session, now)
    request.leaves_session_expiry = True
    return JsonResponse(
        {
            "state": "signed-in",
            "user": request.user.get_username(),
            "seconds_left": session_seconds_left(request.session, now),
            "warning_seconds": settings.SESSION_WARNING_SECONDS,
            "csrf_token": get_token(request),
        }
    )
