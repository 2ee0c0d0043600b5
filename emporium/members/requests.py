"""The request a view behind a log-in check receives, typed as such."""

from django.http import HttpRequest

from emporium.members.models import Member


class MemberRequest(HttpRequest):
    """A request whose `user` is a signed-in member, never AnonymousUser: the annotation for
    views behind `login_required` (or a decorator built on it). Django passes its own request
    object; this class only tells the type checker what the log-in check already proved."""

    user: Member
