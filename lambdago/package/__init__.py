"""``lambdago package``: deployment packages for Lambda, built on any machine.

From a project folder and a handler, :func:`build` makes a zip whose root holds a
``bootstrap`` (a ``#!/bin/sh`` script that finds a Python and runs lambdago's runtime),
the code, and the dependencies with lambdago itself, installed as wheels for Lambda's
platform (``--arch``, ``--python``) and compiled to bytecode ahead of time. Or a layer
of the dependencies (``--layer``), a container image's build context
(``--target image``), a zip for a managed Python runtime with an exec wrapper
(``--target managed``), and SAM files (``--sam``).

>>> from lambdago.package import PackageOptions, Platform, build
>>> result = build(PackageOptions("app.handler", platform=Platform("arm64", "3.12")))
>>> result.output, result.size.zipped

See docs/deploying.md. The modules, one concern each: ``options`` (what to build),
``requirements`` and ``dependencies`` (what to install, with pip), ``prune``,
``selfsource``, ``project`` (the user's files and what never ships), ``scripts`` (the
bootstrap), ``interpreter`` and ``bytecode``, ``zipwriter`` (deterministic zips),
``limits`` (Lambda's size limits), ``outputs`` (Dockerfile, SAM, CLI commands),
``display`` (progress and summary), ``build`` (the steps in order).
"""

from __future__ import annotations

from .build import Result, build
from .display import Display
from .options import PackageError, PackageOptions, Platform

__all__ = ["Display", "PackageError", "PackageOptions", "Platform", "Result", "build"]
