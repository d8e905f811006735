"""Discussion: the "Leave a Reply" section under posts and pages.

Reading path: ``threads.render_thread(post)`` builds the comment tree of a
post from one query and caches the rendered HTML fragment until a comment of
that post changes. Writing path: ``views.post_comment`` (thin) screens the
request (``defences.py``: form token, honeypot, origin, flood control per
address) and runs the ``actions.PostComment`` action, which applies the
post's rules (``rules.py``) and the moderation rules (``moderation.py``:
block lists, link count, verified identities, first comment held), stores
the comment, and queues notification emails through the outbox
(``notifications.py``). Moderators act through the other actions (approve,
spam, trash, delete, reply), used by the admin queue and the signed email
links alike. Nothing calls the caches: threads and pages follow approved
comments through ``core.changes`` (``apps.py``).
"""
