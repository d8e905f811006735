"""The blog on the fediverse: ActivityPub actors, inbox, outbox and delivery.

See ``docs/fediverse.md`` for what federates, and ``ARCHITECTURE.md`` for
where this app sits.
"""
