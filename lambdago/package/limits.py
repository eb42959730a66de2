"""Lambda's size limits for zip packages, and what takes the room.

* 50 MB zipped: the most ``aws lambda create-function --zip-file`` (a direct upload)
  accepts; a bigger zip must go through S3. A warning.
* 250 MB unzipped: the most a function's code and all its layers may take once
  unpacked, however uploaded. An error.

Container images (up to 10 GB) have neither limit.
"""

from __future__ import annotations

import dataclasses

from .zipwriter import Tree

__all__ = ["MAX_UNZIPPED", "MAX_ZIPPED_DIRECT", "SizeReport", "group_sizes", "human"]

MAX_ZIPPED_DIRECT = 50 * 1024 * 1024
MAX_UNZIPPED = 250 * 1024 * 1024


def human(size: float) -> str:
    """``1.4 MB``, ``312 KB``, ``80 B`` (powers of 1024, as Lambda counts)."""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit in ("B", "KB") else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError  # pragma: no cover


def _group(name: str, prefix: str) -> str:
    """The top-level package a file belongs to: ``orjson/…``, ``orjson-3.10.dist-info/…``
    and ``orjson.libs/…`` are all ``orjson``."""
    rest = name[len(prefix) :] if prefix and name.startswith(prefix) else name
    top = rest.split("/", 1)[0]
    if top == "__pycache__" and "/" in rest:  # the bytecode of a top-level module
        top = rest.split("/", 1)[1].split(".", 1)[0]
    elif top.endswith(".dist-info"):
        top = top[: -len(".dist-info")].rsplit("-", 1)[0]
    elif top.endswith(".libs"):
        top = top[: -len(".libs")]
    elif top.endswith((".py", ".so")) and "/" not in rest:
        top = top.split(".", 1)[0]  # a top-level module: six.py, _cffi_backend.cpython-….so
    elif "/" not in rest:
        return top  # any other file at the root is its own entry: data.bin
    return top.lower().replace("-", "_")


def group_sizes(tree: Tree, prefix: str = "") -> list[tuple[str, int]]:
    """Unzipped bytes per top-level package, largest first."""
    sizes: dict[str, int] = {}
    for name, entry in tree.items():
        key = _group(name, prefix)
        sizes[key] = sizes.get(key, 0) + entry.size
    return sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclasses.dataclass
class SizeReport:
    zipped: int | None  # None for an unzipped output
    unzipped: int
    files: int
    largest: list[tuple[str, int]]

    def largest_text(self, count: int = 5) -> str:
        return ", ".join(f"{name} {human(size)}" for name, size in self.largest[:count])

    def problems(self, zip_package: bool) -> tuple[list[str], list[str]]:
        """``(warnings, errors)`` for Lambda's limits."""
        warnings: list[str] = []
        errors: list[str] = []
        if not zip_package:
            return warnings, errors
        if self.unzipped > MAX_UNZIPPED:
            errors.append(
                f"the package is {human(self.unzipped)} unzipped: Lambda's limit is "
                f"{human(MAX_UNZIPPED)} for a function and its layers together. Largest: "
                f"{self.largest_text(8)}. Leave out what the function does not need "
                "(--exclude PATTERN), move dependencies to a layer (--layer), or deploy a "
                "container image (--target image, up to 10 GB)."
            )
        if self.zipped is not None and self.zipped > MAX_ZIPPED_DIRECT:
            warnings.append(
                f"the zip is {human(self.zipped)}: a direct upload (--zip-file) fails above "
                f"{human(MAX_ZIPPED_DIRECT)}; upload it to S3 and create the function from "
                f"there (--code S3Bucket=...,S3Key=...). Largest: {self.largest_text(8)}."
            )
        return warnings, errors
