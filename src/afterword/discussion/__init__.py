"""Discussion: the "Leave a Reply" section under posts and pages.

Reading path: ``threads.render_thread(post)`` builds the comment tree of a
post from one query and caches the rendered HTML fragment until a comment of
that post changes. Writing path: ``views.post_comment`` (thin) calls
``services.submit_comment``, which runs the spam defences in
``defences.py`` (form token, honeypot, origin, flood control) and the
moderation rules in ``moderation.py`` (block lists, link count, first comment
held), stores the comment, and queues notification emails through the outbox
(``notifications.py``). Moderators act through ``services.approve()``,
``mark_spam()``, ``trash()`` and ``reply()``, used by the admin queue and the
signed email links alike. Every change readers can see sends
``posts.signals.content_changed(sender=Comment, instance=comment)``.
"""
