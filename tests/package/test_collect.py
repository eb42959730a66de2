"""What goes into a package and what never does: the project's files, the installed
dependencies, the requirements read, lambdago's own source, the target's wheel tags."""

from __future__ import annotations

import os
import pathlib

import pytest

from lambdago.package.options import PackageError, PackageOptions, Platform
from lambdago.package.project import collect_project
from lambdago.package.prune import dependency_tree
from lambdago.package.requirements import project_requirements
from lambdago.package.selfsource import lambdago_tree

from .conftest import make_project


def names_of(project: pathlib.Path, **options: object) -> set[str]:
    return set(collect_project(project, **options).tree)  # type: ignore[arg-type]


def test_secrets_are_left_out_and_reported(tmp_path: pathlib.Path) -> None:
    secrets = [
        ".env",
        ".env.local",
        "prod.env",
        ".envrc",
        "deploy/key.pem",
        "tls.key",
        "cert.p12",
        "cert.pfx",
        "id_rsa",
        "id_rsa.pub",
        "sub/id_ed25519",
        "id_ecdsa",
        ".netrc",
        ".pypirc",
        ".npmrc",
        ".git-credentials",
        ".dockercfg",
        ".aws/credentials",
        ".ssh/config",
        ".gnupg/pubring.kbx",
    ]
    project = make_project(tmp_path, {"app.py": "", **dict.fromkeys(secrets, "s")})
    collected = collect_project(project)
    assert set(collected.tree) == {"app.py"}
    reported = {s.path for s in collected.reported()}
    for secret in secrets:
        top = secret.split("/")[0]
        assert secret in reported or f"{top}/" in reported, secret


def test_vcs_venvs_caches_tests_and_deployment_files(tmp_path: pathlib.Path) -> None:
    project = make_project(
        tmp_path,
        {
            "app.py": "",
            "pkg/mod.py": "",
            ".git/HEAD": "",
            "sub/.git": "gitdir: ../.git/modules/sub",
            ".hg/x": "",
            ".svn/x": "",
            ".bzr/x": "",
            ".venv/lib/x.py": "",
            "venv/x.py": "",
            "myenv/pyvenv.cfg": "",
            "myenv/lib/site.py": "",
            "condaenv/conda-meta/history": "",
            "node_modules/x.js": "",
            ".tox/x": "",
            "dist/function.zip": "",
            "pkg/dist/data.txt": "kept: only the root's dist is build output",
            "pkg/__pycache__/mod.cpython-312.pyc": "",
            "stale.pyc": "",
            "x.egg-info/PKG-INFO": "",
            ".pytest_cache/x": "",
            ".mypy_cache/x": "",
            ".aws-sam/build/x": "",
            "tests/test_x.py": "",
            "pkg/tests/test_y.py": "",
            "test/x.py": "",
            "conftest.py": "",
            "template.yaml": "",
            "Makefile": "",
            "samconfig.toml": "",
            "bootstrap": "#!/bin/sh",
            "pkg/Makefile": "kept: only the root's",
            ".DS_Store": "",
        },
    )
    assert names_of(project) == {"app.py", "pkg/mod.py", "pkg/dist/data.txt", "pkg/Makefile"}


def test_include_and_exclude(tmp_path: pathlib.Path) -> None:
    project = make_project(
        tmp_path,
        {
            "app.py": "",
            ".env": "",
            "tests/fixture.json": "",
            "tests/test_x.py": "",
            ".git/config": "",
            "docs/big.pdf": "",
            "docs/readme.txt": "",
        },
    )
    got = names_of(project, includes=(".env", "tests/*.json", ".git/config"), excludes=("docs/*",))
    assert got == {"app.py", ".env", "tests/fixture.json", ".git/config"}
    # A folder matched by --include comes whole.
    assert "tests/test_x.py" in names_of(project, includes=("tests",))
    # --exclude on a base name, anywhere.
    assert names_of(project, excludes=("*.pdf", "readme.txt")) == {"app.py"}


def test_symlinks(tmp_path: pathlib.Path) -> None:
    outside = make_project(tmp_path / "outside", {"secret.txt": "s", "dir/x.py": ""})
    project = make_project(tmp_path / "project", {"app.py": "", "lib/util.py": "u"})
    os.symlink(outside / "secret.txt", project / "leak.txt")
    os.symlink(outside / "dir", project / "leakdir")
    os.symlink("../outside/secret.txt", project / "relative-leak.txt")
    os.symlink(project / "nowhere", project / "dangling")
    os.symlink(project / "lib" / "util.py", project / "util_alias.py")
    os.symlink(project / "lib", project / "lib2")
    os.symlink(project, project / "lib" / "up")
    collected = collect_project(project)
    assert set(collected.tree) == {"app.py", "lib/util.py", "util_alias.py", "lib2/util.py"}
    assert collected.tree["util_alias.py"].read() == b"u"
    reasons = {s.path: s.reason for s in collected.skipped}
    assert reasons["leak.txt"] == "symlink out of the project"
    assert reasons["leakdir"] == "symlink out of the project"
    assert reasons["relative-leak.txt"] == "symlink out of the project"
    assert reasons["dangling"] == "dangling symlink"
    assert reasons["lib/up"] == "symlink loop"
    # Even --include does not follow a link out of the project.
    assert "leak.txt" not in names_of(project, includes=("leak.txt", "*"))


def test_project_itself_through_a_symlink(tmp_path: pathlib.Path) -> None:
    real = make_project(tmp_path / "real", {"app.py": "", "lib/x.py": ""})
    os.symlink(real, tmp_path / "alias")
    assert names_of(tmp_path / "alias") == {"app.py", "lib/x.py"}


def test_output_inside_the_project_is_skipped(tmp_path: pathlib.Path) -> None:
    project = make_project(tmp_path, {"app.py": "", "out/function.zip": "old", "build/x.txt": ""})
    got = names_of(project, skip_paths=(project / "out" / "function.zip", project / "build"))
    assert got == {"app.py"}


def test_not_utf8_names(tmp_path: pathlib.Path) -> None:
    project = make_project(tmp_path, {"app.py": ""})
    try:
        (project / os.fsdecode(b"caf\xe9.txt")).write_text("x")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    collected = collect_project(project)
    assert set(collected.tree) == {"app.py"}
    assert [s.reason for s in collected.skipped] == ["not UTF-8"]


def test_dependency_pruning(tmp_path: pathlib.Path) -> None:
    installed = make_project(
        tmp_path,
        {
            "bin/normalizer": "#!/usr/bin/python3.11\n",
            "pkg/__init__.py": "",
            "pkg/__pycache__/__init__.cpython-311.pyc": "",
            "pkg/old.pyc": "",
            "pkg/tests/test_pkg.py": "",
            "pkg/test/x.py": "",
            "pkg/_speedups.pyx": "",
            "pkg/_speedups.pxd": "",
            "pkg/__init__.pyi": "",
            "pkg/py.typed": "",
            "pkg/bin/helper": "#!/bin/sh\n",
            "pkg/data/table.csv": "",
            "tests/__init__.py": "",
            "pkg-1.0.dist-info/METADATA": "",
            "pkg-1.0.dist-info/RECORD": "",
            "pkg-1.0.dist-info/INSTALLER": "",
            "pkg-1.0.dist-info/REQUESTED": "",
            "pkg-1.0.dist-info/direct_url.json": "",
            "pkg-1.0.dist-info/entry_points.txt": "",
            "pkg-1.0.dist-info/licenses/LICENSE": "",
            "single.py": "",
        },
    )
    tree, dropped = dependency_tree(installed)
    assert set(tree) == {
        "pkg/__init__.py",
        "pkg/py.typed",
        "pkg/bin/helper",
        "pkg/data/table.csv",
        "pkg-1.0.dist-info/METADATA",
        "pkg-1.0.dist-info/entry_points.txt",
        "pkg-1.0.dist-info/licenses/LICENSE",
        "single.py",
    }
    assert dropped == 13
    assert tree["pkg/bin/helper"].mode == 0o755
    assert tree["pkg/__init__.py"].mode == 0o644
    layer, _ = dependency_tree(installed, prefix="python/lib/python3.12/site-packages/")
    assert "python/lib/python3.12/site-packages/single.py" in layer
    kept, _ = dependency_tree(installed, includes=("pkg/tests",), excludes=("pkg/data/*",))
    assert "pkg/tests/test_pkg.py" in kept and "pkg/data/table.csv" not in kept


def test_lambdago_own_source() -> None:
    tree = lambdago_tree()
    names = set(tree)
    assert "lambdago/__init__.py" in names and "lambdago/runtime/bootstrap.py" in names
    assert "lambdago/__main__.py" in names and "lambdago/py.typed" in names
    assert "lambdago/events/__init__.py" in names and "lambdago/events/sqs.py" in names
    assert not any(n.startswith("lambdago/events/samples/") for n in names)
    assert "lambdago/events/_catalog.py" not in names
    assert not any(n.startswith(("lambdago/emulator/", "lambdago/package/")) for n in names)
    assert "lambdago/cli.py" not in names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = tree[metadata].read().decode()
    assert "Name: lambdago" in text
    for dep in ("attrs", "cattrs", "orjson", "typing-extensions"):
        assert f"Requires-Dist: {dep}" in text
    assert "extra ==" not in text


def test_requirements_sources(tmp_path: pathlib.Path) -> None:
    scratch = tmp_path / "scratch"
    none = make_project(tmp_path / "none", {"app.py": ""})
    assert project_requirements(none, None, scratch).args == []
    toml = make_project(
        tmp_path / "toml",
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'
            'dependencies = ["Six>=1.16", "LambdaGo[extra]>=0.1; python_version>\'3\'",'
            ' "lambdago-tools"]\n'
        },
    )
    req = project_requirements(toml, None, scratch)
    assert req.args == ["Six>=1.16", "lambdago-tools"] and req.dropped_self
    assert req.source == "pyproject.toml"
    # requirements.txt wins over pyproject.toml; untouched when it does not name lambdago.
    (toml / "requirements.txt").write_text("six==1.17.0\n")
    req = project_requirements(toml, None, scratch)
    assert req.args == ["-r", str(toml / "requirements.txt")]
    assert req.source == "requirements.txt" and not req.dropped_self


def test_requirements_file_without_lambdago(tmp_path: pathlib.Path) -> None:
    project = make_project(
        tmp_path / "p",
        {
            "requirements.txt": "# deps\n-r base.txt\n--find-links wheels\nmsgpack \\\n  >=1.0\n",
            "base.txt": "six\nlambdago==0.1.0  # the runtime\n",
            "wheels/.keep": "",
        },
    )
    req = project_requirements(project, None, tmp_path / "scratch")
    assert req.dropped_self and req.args[0] == "-r"
    top = pathlib.Path(req.args[1]).read_text()
    assert "msgpack   >=1.0" in top.replace("\\", "")
    assert f"--find-links {project / 'wheels'}" in top
    nested_line = next(line for line in top.splitlines() if line.startswith("-r "))
    nested = pathlib.Path(nested_line[3:]).read_text()
    assert "six" in nested and "lambdago" not in nested
    # An explicit file.
    other = project / "prod.txt"
    other.write_text("six\n")
    assert project_requirements(project, other, tmp_path / "s")


def test_requirements_errors(tmp_path: pathlib.Path) -> None:
    dynamic = make_project(
        tmp_path / "d",
        {"pyproject.toml": '[project]\nname = "x"\ndynamic = ["dependencies", "version"]\n'},
    )
    with pytest.raises(PackageError, match="dynamic"):
        project_requirements(dynamic, None, tmp_path)
    poetry = make_project(
        tmp_path / "p", {"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.12"\n'}
    )
    with pytest.raises(PackageError, match="poetry export"):
        project_requirements(poetry, None, tmp_path)
    with pytest.raises(PackageError, match="does not exist"):
        project_requirements(poetry, tmp_path / "missing.txt", tmp_path)


def test_wheel_platform_tags() -> None:
    x86 = Platform("x86_64", "3.12").manylinux_tags()
    assert x86[0] == "manylinux_2_34_x86_64" and "manylinux_2_17_x86_64" in x86
    assert {"manylinux2014_x86_64", "manylinux1_x86_64", "manylinux_2_28_x86_64"} <= set(x86)
    arm = Platform("arm64", "3.13").manylinux_tags()
    assert arm[0] == "manylinux_2_34_aarch64" and arm[-1] == "manylinux2014_aarch64"
    assert all("aarch64" in t for t in arm) and "manylinux_2_17_aarch64" in arm
    al2 = Platform("x86_64", "3.11", "al2").manylinux_tags()
    assert al2[0] == "manylinux_2_26_x86_64" and "manylinux_2_28_x86_64" not in al2


def test_pip_command() -> None:
    from lambdago.package.dependencies import pip_command

    command = pip_command(pathlib.Path("/t"), Platform("arm64", "3.13"), ["six"], "/py")
    assert command[:4] == ["/py", "-m", "pip", "install"]
    for flags in (
        ["--target", "/t"],
        ["--implementation", "cp"],
        ["--python-version", "3.13"],
        ["--platform", "manylinux_2_28_aarch64"],
        ["--platform", "manylinux2014_aarch64"],
    ):
        at = command.index(flags[0])
        assert flags[1] in command[at:] and command[command.index(flags[1]) - 1] == flags[0]
    assert "--only-binary=:all:" in command and "--no-compile" in command
    assert command[-1] == "six"


def test_managed_python311_is_amazon_linux_2() -> None:
    from lambdago.package.build import effective_platform

    options = PackageOptions("app.handler", platform=Platform("x86_64", "3.11"), target="managed")
    assert effective_platform(options).glibc_minor == 26
    options.target = "provided"
    assert effective_platform(options).glibc_minor == 34


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"handler": "app"}, "Bad handler"),
        ({"handler": "a b.c"}, "Bad handler"),
        ({"platform": Platform("mips", "3.12")}, "--arch"),
        ({"platform": Platform("x86_64", "3.10")}, "--python"),
        ({"target": "k8s"}, "--target"),
        ({"layer": True, "dependencies": False}, "--layer"),
        ({"layer": True, "target": "image"}, "container image"),
        ({"memory": 64}, "--memory"),
        ({"timeout": 901}, "--timeout"),
        ({"project": pathlib.Path("/no/such/dir")}, "does not exist"),
    ],
)
def test_options_validated_up_front(change: dict[str, object], message: str) -> None:
    options = PackageOptions("app.handler", project=pathlib.Path("."))
    for key, value in change.items():
        setattr(options, key, value)
    with pytest.raises(PackageError, match=message):
        options.validate()
