"""URLs of the desk's comments screens."""

from django.urls import path

from . import blocks, listing, mentions, moderate

urlpatterns = [
    path("", listing.comment_list, name="comments"),
    path("<int:pk>/", moderate.act, name="comment_act"),
    path("<int:pk>/reply/", moderate.reply, name="comment_reply"),
    path("bulk/", moderate.bulk, name="comments_bulk"),
    path("blocks/", blocks.block_list, name="comment_blocks"),
    path("blocks/add/", blocks.block, name="comment_block"),
    path("blocks/<int:pk>/lift/", blocks.unblock, name="comment_unblock"),
    path("mentions/", mentions.mention_list, name="mentions"),
    path("mentions/<int:pk>/", mentions.mention_act, name="mention_act"),
]
