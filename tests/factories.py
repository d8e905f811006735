"""factory_boy factories for model data; posts are saved through the service."""

import factory
from django.utils import timezone

from afterword.accounts.models import User
from afterword.posts import actions
from afterword.posts.models import Category, Post, Tag


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    display_name = factory.LazyAttribute(lambda u: u.username.title())
    password = factory.django.Password("correct horse battery staple")


def writer(role: str, username: str | None = None) -> User:
    """A fresh account holding a writer role, given the way an administrator does."""
    from afterword.accounts.actions import SetRole

    account = UserFactory(username=username or f"{role}-account")
    SetRole(account, role).run()
    account.refresh_from_db()
    return account


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda n: f"A review, number {n}")
    slug = factory.Sequence(lambda n: f"review-{n}")
    author = factory.SubFactory(UserFactory)
    body = "Some *thoughts* on a film.\n\n## A heading\n\nMore thoughts."
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(
        lambda: timezone.now() - timezone.timedelta(hours=1)
    )


def save(post: Post, **kwargs) -> Post:
    if post.author_id is None or not post.author.pk:
        post.author.save()
        post.author = post.author
    return actions.save_post(post, **kwargs)
