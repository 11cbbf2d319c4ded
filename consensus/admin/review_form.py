"""The review workflow in the admin: three actions on a selection (with a confirmation page that
takes an optional note) and the review form on a run's detail page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import ConsensusRun, ReviewState
from .reviews import VERDICTS, runs_review

if TYPE_CHECKING:
    _Base = admin.ModelAdmin[ConsensusRun]
else:
    _Base = object

PREVIEW = 20


class NoteForm(forms.Form):
    """The admin actions' confirmation page: the action names the verdict, a note is optional."""

    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("optional: why")}),
    )


class ReviewForm(NoteForm):
    """The detail page: pick a verdict, add a note."""

    state = forms.ChoiceField(
        label=_("verdict"),
        choices=[(s.value, s.label) for s in VERDICTS],
        widget=forms.RadioSelect,
    )


class ReviewMixin(_Base):
    """Mixed into the run admin: the `review` permission, the actions and the detail form."""

    def has_review_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("consensus.review_consensusrun"))

    def _review_selection(
        self, request: HttpRequest, queryset: QuerySet[ConsensusRun], state: ReviewState
    ) -> TemplateResponse | None:
        if request.POST.get("apply"):
            form = NoteForm(request.POST)
            if form.is_valid():
                count = runs_review(
                    runs=queryset, user=request.user, state=state, note=form.cleaned_data["note"]
                )
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d run marked “%(state)s”.",
                        "%(count)d runs marked “%(state)s”.",
                        count,
                    )
                    % {"count": count, "state": state.label},
                    messages.SUCCESS,
                )
                return None
        else:
            form = NoteForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Mark runs as “%(state)s”") % {"state": state.label},
            "opts": self.model._meta,
            "state": state,
            "form": form,
            "count": queryset.count(),
            "preview": queryset[:PREVIEW],
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "back_url": request.get_full_path(),  # the list, with its filters
        }
        return TemplateResponse(
            request, "admin/consensus/consensusrun/review_confirmation.html", context
        )

    @admin.action(permissions=["review"], description=_("Mark as: correction confirmed"))
    def mark_correction_confirmed(
        self, request: HttpRequest, queryset: QuerySet[ConsensusRun]
    ) -> TemplateResponse | None:
        return self._review_selection(request, queryset, ReviewState.CORRECTION_CONFIRMED)

    @admin.action(permissions=["review"], description=_("Mark as: correction wrong"))
    def mark_correction_wrong(
        self, request: HttpRequest, queryset: QuerySet[ConsensusRun]
    ) -> TemplateResponse | None:
        return self._review_selection(request, queryset, ReviewState.CORRECTION_WRONG)

    @admin.action(permissions=["review"], description=_("Mark as: fast answer was fine"))
    def mark_fast_was_fine(
        self, request: HttpRequest, queryset: QuerySet[ConsensusRun]
    ) -> TemplateResponse | None:
        return self._review_selection(request, queryset, ReviewState.FAST_WAS_FINE)

    def review_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """POST target of the detail page's review form."""
        return _review_one(self, request, object_id)


def _review_one(model_admin: ReviewMixin, request: HttpRequest, object_id: str) -> HttpResponse:
    if not model_admin.has_review_permission(request):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    run = get_object_or_404(ConsensusRun.objects.only("pk"), pk=object_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        state = ReviewState(form.cleaned_data["state"])
        runs_review(
            runs=ConsensusRun.objects.filter(pk=run.pk),
            user=request.user,
            state=state,
            note=form.cleaned_data["note"],
        )
        model_admin.message_user(request, _("Run marked “%(state)s”.") % {"state": state.label})
    else:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        model_admin.message_user(request, _("Not reviewed: %s") % errors, messages.ERROR)
    return HttpResponseRedirect(reverse("admin:consensus_consensusrun_change", args=[run.pk]))


def review_context(model_admin: ReviewMixin, request: HttpRequest, run: Any) -> dict[str, Any]:
    """What the detail page needs to show the review form (or only the verdict)."""
    can_review = model_admin.has_review_permission(request)
    initial = {"state": run.review_state} if run.review_state in ReviewState.values else {}
    return {
        "can_review": can_review,
        "review_form": ReviewForm(initial={**initial, "note": run.review_note})
        if can_review
        else None,
    }
