from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "afterword.posts"
    label = "posts"

    def ready(self) -> None:
        from afterword.core import actions, changes

        from . import actions as post_actions
        from .models import Category, Post, Revision, Tag

        HIDDEN_STATUSES = (Post.Status.DRAFT, Post.Status.TRASH)

        changes.public(
            Post,
            shown_on="post and page addresses, listings, feeds, search, sitemap",
            # A draft shows nowhere; saving one (autosave!) changes no page.
            # Nor does a post in the trash.
            # A private post is announced like any other: its editors read
            # it through the same per-version fragments, and turning a post
            # private (or protected) must renew every page that showed it.
            visible=lambda post: post.status not in HIDDEN_STATUSES,
            visible_fields=["status"],
        )
        changes.public(Tag, shown_on="tag pages and every post carrying the tag")
        changes.public(
            Category, shown_on="category pages, the header, posts in the category"
        )
        changes.internal(Revision, reason="earlier versions, seen only in the admin")
        actions.for_model(
            Post, save=post_actions.SavePost, delete=post_actions.DeletePost
        )
        for term in (Tag, Category):
            actions.for_model(
                term, save=post_actions.SaveTerm, delete=post_actions.DeleteTerm
            )
