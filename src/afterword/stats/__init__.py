"""Reading figures without tracking: how often pages are read, from where.

Nothing about a reader is kept. A page view is counted by a tiny script
(``static/stats/beacon.js``) that each page of the theme loads, so pages
served from the page cache or from nginx's page files are counted too; it
posts the page's signed identity (``pages.py``) and the referring site's
domain, nothing else, to ``/stats/hit``. Feed fetches are counted by a
middleware in front of the page cache (``middleware.py``); follower growth
is read from the subscriptions app's own dates (``queries.py``).

Every figure is a daily counter (``models.py``), increased in place by the
actions in ``actions.py``. No table has a column for an address, a browser,
a cookie or a session, and the beacon's answer sets no cookie.
"""
