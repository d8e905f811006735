"""Setting up login providers: their buttons show on every comment form."""

from afterword.core.actions import DeleteObject, SaveObject


class SaveLoginProvider(SaveObject):
    name = "social.save_login_provider"


class DeleteLoginProvider(DeleteObject):
    name = "social.delete_login_provider"
