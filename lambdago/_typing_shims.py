"""``typing``'s decorators for type checkers only, without importing ``typing`` at run time.

``import typing`` costs a cold start a few milliseconds (it loads ``re`` and more); the
event modules use these decorators only so that type checkers see precise signatures.
Type checkers read the real ones; at run time they return what they decorate.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import dataclass_transform, overload
else:

    def overload(function):
        """``typing.overload`` for type checkers; the function unchanged at run time."""
        return function

    def dataclass_transform(**_options):
        """``typing.dataclass_transform`` for type checkers; a no-op decorator at run time."""
        return lambda decorated: decorated


__all__ = ["dataclass_transform", "overload"]
