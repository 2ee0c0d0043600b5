"""Operator admin of reviews (with their pictures) and item questions, for moderation."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from emporium.community.models import Question, Review, ReviewPicture


def _thumbnail(picture: ReviewPicture) -> str:
    return format_html('<img src="{}" alt="" width="60" loading="lazy">', picture.thumb_url)


class ReviewPictureInline(admin.TabularInline):
    """Pictures arrive through the buyer's checked upload; here they can only be taken down."""

    model = ReviewPicture
    extra = 0
    fields = ("preview", "key")
    readonly_fields = ("preview", "key")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("picture"))
    def preview(self, picture: ReviewPicture) -> str:
        return _thumbnail(picture)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews come only from completed orders and already moved the seller's credit, so they are
    neither added nor deleted here; an operator may redact abusive words or take a picture down."""

    list_display = ("created_at", "stars", "item", "shop", "buyer", "has_reply")
    list_filter = ("stars", "created_at")
    search_fields = ("item__title", "shop__name", "buyer__username", "text", "=public_id")
    list_select_related = ("item", "shop", "buyer")
    date_hierarchy = "created_at"
    fields = (
        "public_id", "order_line", "item", "shop", "buyer", "stars", "created_at", "text",
        "reply", "replied_at",
    )  # fmt: skip
    readonly_fields = (
        "public_id", "order_line", "item", "shop", "buyer", "stars", "created_at", "replied_at",
    )  # fmt: skip
    inlines = (ReviewPictureInline,)
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("replied"), boolean=True)
    def has_reply(self, review: Review) -> bool:
        return bool(review.reply)


@admin.register(ReviewPicture)
class ReviewPictureAdmin(admin.ModelAdmin):
    list_display = ("preview", "review", "key")
    search_fields = ("review__item__title", "key")
    list_select_related = ("review",)
    readonly_fields = ("preview", "review", "key")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("picture"))
    def preview(self, picture: ReviewPicture) -> str:
        return _thumbnail(picture)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "text", "item", "asker", "is_answered")
    list_filter = (("answered_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("text", "answer", "item__title", "asker__username")
    list_select_related = ("item", "asker")
    readonly_fields = ("item", "asker", "created_at", "answered_at")
    fields = ("item", "asker", "created_at", "text", "answer", "answered_at")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("answered"), boolean=True)
    def is_answered(self, question: Question) -> bool:
        return bool(question.answer)
