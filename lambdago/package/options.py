"""What to build: the target platform and the options of ``lambdago package``."""

from __future__ import annotations

import dataclasses
import pathlib
import sys

__all__ = [
    "ARCHES",
    "PYTHONS",
    "TARGETS",
    "PackageError",
    "PackageOptions",
    "Platform",
    "default_python",
]

ARCHES = ("x86_64", "arm64")
PYTHONS = ("3.11", "3.12", "3.13")
TARGETS = ("provided", "image", "managed")

# glibc of the Amazon Linux releases Lambda runs: Amazon Linux 2023 (provided.al2023,
# python3.12 and later) has 2.34; Amazon Linux 2 (provided.al2, python3.11) has 2.26.
GLIBC = {"al2023": 34, "al2": 26}


class PackageError(Exception):
    """A packaging failure with a message for the user (printed as it is, exit 1)."""


@dataclasses.dataclass(frozen=True)
class Platform:
    """The Lambda platform a package is built for."""

    arch: str = "x86_64"  # Lambda's name: x86_64 or arm64
    python: str = "3.12"  # X.Y
    os: str = "al2023"  # al2023 or al2

    @property
    def machine(self) -> str:
        """The machine name of wheels and ELF files: x86_64 or aarch64."""
        return "aarch64" if self.arch == "arm64" else "x86_64"

    @property
    def nodot(self) -> str:
        """``312`` for Python 3.12."""
        return self.python.replace(".", "")

    @property
    def glibc_minor(self) -> int:
        return GLIBC[self.os]

    def manylinux_tags(self) -> list[str]:
        """Every manylinux platform tag the target's glibc can load, newest first.

        pip does not widen ``--platform manylinux_2_28_x86_64`` to the older tags, so the
        whole list is given: ``manylinux_2_34`` down to ``manylinux_2_17`` (``_2_5`` on
        x86_64), and the legacy aliases ``manylinux2014``, ``2010`` and ``1``.
        """
        machine = self.machine
        lowest = 17 if machine == "aarch64" else 5
        tags = [
            f"manylinux_2_{minor}_{machine}" for minor in range(self.glibc_minor, lowest - 1, -1)
        ]
        tags.append(f"manylinux2014_{machine}")
        if machine == "x86_64":
            tags += ["manylinux2010_x86_64", "manylinux1_x86_64"]
        return tags

    @property
    def runtime(self) -> str:
        """The OS-only runtime identifier: ``provided.al2023`` or ``provided.al2``."""
        return f"provided.{self.os}"

    def describe(self) -> str:
        """``CPython 3.12, manylinux (glibc 2.34) x86_64``."""
        return f"CPython {self.python}, manylinux (glibc 2.{self.glibc_minor}) {self.machine}"


def default_python() -> str:
    """The running interpreter's X.Y when Lambda can run it, else the newest supported."""
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return here if here in PYTHONS else PYTHONS[-1]


@dataclasses.dataclass
class PackageOptions:
    """Everything ``lambdago package`` takes (see ``lambdago package --help``)."""

    handler: str
    project: pathlib.Path = dataclasses.field(default_factory=lambda: pathlib.Path("."))
    output: pathlib.Path | None = None  # a zip (or the image's build context)
    output_dir: pathlib.Path | None = None  # the package's files, unzipped, instead of a zip
    platform: Platform = dataclasses.field(default_factory=Platform)
    target: str = "provided"
    layer: bool = False  # a layer of the dependencies (and lambdago) instead of a function
    dependencies: bool = True  # False: code only (the dependencies come from a layer)
    requirements: pathlib.Path | None = None  # else requirements.txt, else pyproject.toml
    includes: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    bytecode: bool = True
    build_python: str | None = None  # the interpreter compiling bytecode (else searched)
    sam: bool = False
    force: bool = False  # overwrite SAM files not written by lambdago
    function_name: str | None = None
    memory: int = 128
    timeout: int = 3
    quiet: bool = False

    def validate(self) -> None:
        """Check what can be checked before any work; raises :class:`PackageError`."""
        from ..runtime.bootstrap import InitError, parse_handler

        if any(ord(c) < 32 or c == "\x7f" for c in self.handler):
            raise PackageError(f"the handler {self.handler!r} holds control characters")
        if not self.layer or self.handler:
            try:
                parse_handler(self.handler)
            except InitError as exc:
                raise PackageError(
                    f"{exc.message} (handler forms: module.func, module:func, path/to/file.py:func)"
                ) from None
        if self.platform.arch not in ARCHES:
            raise PackageError(f"--arch must be one of {', '.join(ARCHES)}")
        if self.platform.python not in PYTHONS:
            raise PackageError(f"--python must be one of {', '.join(PYTHONS)}")
        if self.target not in TARGETS:
            raise PackageError(f"--target must be one of {', '.join(TARGETS)}")
        if self.layer and not self.dependencies:
            raise PackageError("--layer holds the dependencies: not with --no-dependencies")
        if self.layer and self.sam:
            raise PackageError("--sam describes a function: build the layer without it")
        if not self.dependencies and self.target == "image":
            raise PackageError("--no-dependencies needs a layer: a container image has none")
        if self.layer and self.target == "image":
            raise PackageError("--layer makes a zip layer: a container image has none")
        if self.output is not None and self.output_dir is not None:
            raise PackageError("give --output or --output-dir, not both")
        if not 128 <= self.memory <= 10240:
            raise PackageError("--memory must be between 128 and 10240 MB")
        if not 1 <= self.timeout <= 900:
            raise PackageError("--timeout must be between 1 and 900 seconds")
        if not self.project.is_dir():
            raise PackageError(f"the project folder {self.project} does not exist")
        if self.target == "image" and self.output is not None and self.output.suffix == ".zip":
            raise PackageError("--target image writes a build context folder, not a zip")

    @property
    def function_name_or_default(self) -> str:
        if self.function_name:
            return self.function_name
        if not self.handler:
            return self.project.resolve().name or "function"
        return function_name_for(self.handler)

    def default_output(self) -> pathlib.Path:
        """``dist/function.zip``, ``dist/layer.zip`` or ``dist/image`` in the project."""
        name = "layer.zip" if self.layer else "function.zip"
        if self.target == "image":
            name = "image"
        return self.project / "dist" / name


def function_name_for(handler: str) -> str:
    """A function name from a handler: ``app.handler`` → ``app``, ``src/hello.py:main`` →
    ``hello`` (as the emulator names functions)."""
    import re

    module = handler.strip()
    if ":" in module:
        module = module.rpartition(":")[0]
    elif "." in module:
        module = module.rpartition(".")[0]
    module = module.removesuffix(".py").replace("\\", "/")
    base = module.rstrip("/").rpartition("/")[2].rpartition(".")[2]
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", base).strip("-")[:64]
    return name or "function"
