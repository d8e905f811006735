"""Records what load_demo hands to an app's ``load(context)``."""

calls: list = []


def load(context) -> None:
    calls.append(
        {
            "author": context.author.username,
            "posts": sorted(context.posts),
            "images": sorted(context.images),
            "categories": sorted(context.categories),
        }
    )
    context.log("demo_app saw the core demo")
