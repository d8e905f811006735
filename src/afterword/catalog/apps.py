"""The catalog app: works, people, credits, releases and the posts about them."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "afterword.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from afterword.core import actions, changes

        from . import actions as catalog_actions
        from .models import (
            Credit,
            Organisation,
            Person,
            PostMention,
            PostWork,
            Release,
            Role,
            Work,
            WorkRelation,
        )

        shown_on = {
            Work: "work pages, lists, the panels of posts about them",
            Person: "person pages, credits on work pages, post panels",
            Organisation: "organisation pages, credits and releases",
            Role: "the role names of credits on work and person pages",
            Credit: "work, person and organisation pages",
            Release: "the releases section of work pages",
            WorkRelation: "related works on work pages",
            PostWork: "ratings and panels on posts, work pages' post lists",
            PostMention: "'discussed in' lists on work and person pages",
        }
        for model, where in shown_on.items():
            changes.public(model, shown_on=where)
            actions.for_model(
                model,
                save=catalog_actions.SaveCatalogObject,
                delete=catalog_actions.DeleteCatalogObject,
            )
        # A saved post's inline references may name other works and people.
        changes.subscribe(catalog_actions.on_public_changes, uid="catalog-mentions")
