"""Seller center reviews and questions: the shop's reviews with replies, item questions with answers."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from emporium.community import reviews
from emporium.community.models import Question, Review
from emporium.members.requests import MemberRequest
from emporium.sellercenter.forms import service_error
from emporium.sellercenter.tradeforms import AnswerForm, ReplyForm
from emporium.sellercenter.views import seller_required
from emporium.shops.models import Shop
from emporium.trade.states import TradeError

PER_PAGE = 50


def _waiting_only(request: HttpRequest) -> bool:
    return request.GET.get("show") == "waiting"


@seller_required
def review_list(request: MemberRequest, shop: Shop) -> HttpResponse:
    found = (
        Review.objects.filter(shop=shop)
        .select_related("item", "buyer", "order_line")
        .prefetch_related("pictures")
        .order_by("-created_at", "-id")
    )
    if _waiting_only(request):
        found = found.filter(reply="")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "shop": shop,
        "page": page,
        "waiting_only": _waiting_only(request),
        "rating": reviews.shop_rating(shop),
        "form": ReplyForm(),
    }
    return render(request, "sellercenter/reviews.html", context)


@seller_required
def review_reply(request: MemberRequest, shop: Shop, public_id) -> HttpResponse:
    """The list posts here; a refused reply (or a GET) shows the review alone with its form."""
    review = get_object_or_404(
        Review.objects.select_related("item", "buyer", "shop"), shop=shop, public_id=public_id
    )
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reviews.reply(review, request.user, form.cleaned_data["reply"])
        except TradeError as error:
            service_error(form, error)
        else:
            messages.success(request, _("Reply posted."))
            return redirect("sellercenter:reviews")
    context = {"shop": shop, "review": review, "form": form}
    return render(request, "sellercenter/review_reply.html", context)


@seller_required
def question_list(request: MemberRequest, shop: Shop) -> HttpResponse:
    found = (
        Question.objects.filter(item__shop=shop)
        .select_related("item", "asker")
        .order_by("-created_at", "-id")
    )
    if _waiting_only(request):
        found = found.filter(answer="")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "shop": shop,
        "page": page,
        "waiting_only": _waiting_only(request),
        "form": AnswerForm(),
    }
    return render(request, "sellercenter/questions.html", context)


@seller_required
def question_answer(request: MemberRequest, shop: Shop, question_id: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.select_related("item__shop", "asker"), item__shop=shop, pk=question_id
    )
    form = AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        try:
            reviews.answer(question, request.user, form.cleaned_data["answer"])
        except TradeError as error:
            service_error(form, error)
        else:
            messages.success(request, _("Answer posted."))
            return redirect("sellercenter:questions")
    context = {"shop": shop, "question": question, "form": form}
    return render(request, "sellercenter/question_answer.html", context)
