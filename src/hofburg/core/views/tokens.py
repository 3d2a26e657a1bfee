"""The API tokens page: a signed-in user issues and revokes their own tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from hofburg.core.models import ApiToken, User
from hofburg.core.services.users import TokenError, issue_api_token, revoke_api_token


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("Where the token is used, e.g. “capital briefing script”."))


class RevokeForm(forms.Form):
    token = forms.IntegerField(widget=forms.HiddenInput)


@never_cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """GET lists the user's tokens; POST issues one (showing its key once) or revokes one."""
    user = request.user
    if not isinstance(user, User):  # login_required lets only real accounts through
        raise Http404
    form = TokenForm(request.POST if "issue" in request.POST else None)
    new_key = ""
    if "revoke" in request.POST:
        revoke = RevokeForm(request.POST)
        if not revoke.is_valid():
            raise Http404
        try:
            token = revoke_api_token(user, revoke.cleaned_data["token"])
        except ApiToken.DoesNotExist as exc:
            raise Http404("No such token.") from exc
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("core:tokens")
    if form.is_bound and form.is_valid():
        try:
            _token, new_key = issue_api_token(user, form.cleaned_data["name"])
        except TokenError as error:
            form.add_error("name", str(error))
        else:
            # Rendered, not redirected: the key must not travel through the session or a cookie.
            form = TokenForm()
    return render(request, "core/tokens.html", {
        "form": form,
        "new_key": new_key,
        "tokens": ApiToken.objects.filter(user=user),
    })
