"""Django's lookup of a feed's attributes, with each method's arguments read
once per class.

``Feed._get_dynamic_attr`` is asked some fifteen times per entry (its title,
link, dates, author...) and each time unwraps the method and reads its code
to learn whether it takes the item. The answer depends on the class alone;
a feed of ten comments asked it 160 times, about a tenth of the feed's
time.
"""

from __future__ import annotations

from inspect import unwrap

# Whether the method a feed class has under a name takes the item (or the
# feed's subject), by (class, name).
_TAKES_ARGUMENT: dict[tuple[type, str], bool] = {}


def _takes_argument(method) -> bool:
    # Django's own test: a callable object's ``__call__`` when it has no code.
    function = unwrap(method)
    code = getattr(function, "__code__", None)
    if code is None:
        code = unwrap(method.__call__).__code__
    return code.co_argcount == 2


class KnownArguments:
    """A ``Feed`` (listed before it) that remembers how each of its methods
    is called. The first call of each goes through Django's lookup, with its
    checks; an attribute set on one feed object is never remembered."""

    def _get_dynamic_attr(self, attname, obj, default=None):
        takes = _TAKES_ARGUMENT.get((type(self), attname))
        if takes is None or attname in vars(self):
            value = super()._get_dynamic_attr(attname, obj, default)
            attr = getattr(type(self), attname, None)
            if callable(attr) and attname not in vars(self):
                _TAKES_ARGUMENT[type(self), attname] = _takes_argument(
                    getattr(self, attname)
                )
            return value
        method = getattr(self, attname)
        return method(obj) if takes else method()
