"""The demo loader adds threaded comments once."""

from django.core.management import call_command

from afterword.discussion.models import Comment


def test_demo_comments_are_threaded_and_not_duplicated(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)
    first = Comment.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--force", verbosity=0)

    assert first == 7
    assert Comment.objects.count() == first
    deepest = Comment.objects.get(author_name="Tadashi")
    assert deepest.depth == 2
    assert deepest.parent.is_post_author is True
    assert Comment.objects.filter(status=Comment.Status.APPROVED).count() == first
