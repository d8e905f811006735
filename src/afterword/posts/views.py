"""Reading views: listings, a post, a page. Each is one queryset and a template."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Category, Post, Tag


class PostListView(ListView):
    template_name = "posts/post_list.html"
    context_object_name = "posts"

    def get_paginate_by(self, queryset):
        return settings.AFTERWORD_PAGE_SIZE

    def base_queryset(self):
        return Post.objects.posts().live().for_listing()


class HomeView(PostListView):
    def get_queryset(self):
        return self.base_queryset()


class TagView(PostListView):
    def get_queryset(self):
        self.term = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return self.base_queryset().filter(tags=self.term).order_by("-published_at", "-id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(archive_title=f"Tag: {self.term.name}", term=self.term, **kwargs)


class CategoryView(PostListView):
    def get_queryset(self):
        self.term = get_object_or_404(Category, slug=self.kwargs["slug"])
        return self.base_queryset().filter(categories=self.term).order_by("-published_at", "-id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            archive_title=f"Category: {self.term.name}", term=self.term, **kwargs
        )


class AuthorView(PostListView):
    def get_queryset(self):
        self.author = get_object_or_404(get_user_model(), username=self.kwargs["username"])
        return self.base_queryset().filter(author=self.author).order_by("-published_at", "-id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            archive_title=f"Posts by {self.author.public_name}", author=self.author, **kwargs
        )


class MonthView(PostListView):
    def get_queryset(self):
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not month.isdigit() or not 1 <= int(month) <= 12:
            raise Http404("No such month.")
        self.year, self.month = year, int(month)
        return (
            self.base_queryset()
            .filter(published_at__year=year, published_at__month=self.month)
            .order_by("-published_at", "-id")
        )

    def get_context_data(self, **kwargs):
        import calendar

        title = f"{calendar.month_name[self.month]} {self.year}"
        return super().get_context_data(archive_title=title, **kwargs)


class PostView(DetailView):
    template_name = "posts/post_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        post = get_object_or_404(
            Post.objects.posts().live().select_related("author", "featured_image"),
            slug=self.kwargs["slug"],
        )
        if post.get_absolute_url() != self.request.path:
            raise Http404("No post at this address.")
        return post


class PageView(DetailView):
    template_name = "posts/page_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Post.objects.pages().live().select_related("author"), slug=self.kwargs["slug"]
        )
