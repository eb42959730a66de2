"""What goes next to a package to deploy it: the container image's Dockerfile, the SAM
template and Makefile, and the equivalent AWS CLI commands.

Each target deploys the same package differently:

* ``provided``: a zip on ``provided.al2023`` (``Handler: bootstrap``) with a layer that
  brings a Python interpreter under ``/opt``;
* ``image``: a build context (``Dockerfile`` + ``task/``) on
  ``public.ecr.aws/lambda/provided:al2023``, which installs Python from Amazon Linux's
  packages and runs the package's ``bootstrap`` as its entry point;
* ``managed``: a zip on the managed ``pythonX.Y`` runtime, whose startup is handed to
  lambdago's bootstrap by ``AWS_LAMBDA_EXEC_WRAPPER=/var/task/lambdago-wrapper``.
"""

from __future__ import annotations

import re
import shlex

from .options import PackageOptions
from .scripts import WRAPPER_NAME

__all__ = [
    "MARKER",
    "aws_cli_commands",
    "dockerfile",
    "logical_id",
    "sam_makefile",
    "sam_template",
]

MARKER = "lambdago package"  # in every file written here: lambdago may overwrite it
BASE_IMAGE = "public.ecr.aws/lambda/provided:al2023"
WRAPPER_PATH = f"/var/task/{WRAPPER_NAME}"


def docker_platform(arch: str) -> str:
    return "linux/arm64" if arch == "arm64" else "linux/amd64"


def dockerfile(options: PackageOptions, lambdago_version: str) -> bytes:
    """The Dockerfile of the image's build context (the package is in ``task/``)."""
    version = options.platform.python
    platform = docker_platform(options.platform.arch)
    text = f"""\
# Written by `{MARKER} --target image` (lambdago {lambdago_version}): {options.handler}
# on Python {version}, {options.platform.arch}. Build and push it with
#   docker build --platform {platform} -t {options.function_name_or_default} .
FROM --platform={platform} {BASE_IMAGE}

# Python from Amazon Linux 2023's packages (the OS-only base image has none).
RUN dnf install -y python{version} && dnf clean all && rm -rf /var/cache/dnf

# The bootstrap finds the interpreter here (docs/deploy-image.md).
ENV LAMBDAGO_PYTHON=/usr/bin/python{version}

# The package: bootstrap, code, dependencies, lambdago, bytecode for Python {version}.
COPY task/ /var/task/

ENTRYPOINT ["/var/task/bootstrap"]
"""
    return text.encode()


def logical_id(function_name: str) -> str:
    """A CloudFormation logical id: ``my-func`` → ``MyFuncFunction``."""
    words = re.split(r"[^A-Za-z0-9]+", function_name)
    base = "".join(w[:1].upper() + w[1:] for w in words if w)
    if not base or not base[0].isalpha():
        base = "Lambda" + base
    return base if base.endswith("Function") else base + "Function"


def _package_arguments(options: PackageOptions) -> list[str]:
    """The ``lambdago package`` arguments that rebuild this package in ``sam build``."""
    args = [
        "--handler",
        options.handler,
        "--target",
        options.target,
        "--arch",
        options.platform.arch,
        "--python",
        options.platform.python,
    ]
    if options.platform.os != "al2023" and options.target == "provided":
        args += ["--os", options.platform.os]
    if options.requirements is not None:
        req = options.requirements
        try:
            rel = req.resolve().relative_to(options.project.resolve())
            args += ["--requirements", rel.as_posix()]
        except ValueError:
            args += ["--requirements", str(req.resolve())]
    if not options.dependencies:
        args.append("--no-dependencies")
    if not options.bytecode:
        args.append("--no-bytecode")
    for pattern in options.includes:
        args += ["--include", pattern]
    for pattern in options.excludes:
        args += ["--exclude", pattern]
    return args


def sam_makefile(options: PackageOptions, lambdago_version: str) -> bytes:
    """The Makefile whose ``build-<LogicalId>`` target ``sam build`` runs."""
    target = f"build-{logical_id(options.function_name_or_default)}"
    # make expands $: a literal one is $$.
    args = " ".join(shlex.quote(a) for a in _package_arguments(options)).replace("$", "$$")
    text = f"""\
# Written by `{MARKER} --sam` (lambdago {lambdago_version}). `sam build` runs the target
# below (the function's BuildMethod is makefile): it writes the package's files into
# $(ARTIFACTS_DIR), which SAM zips and deploys. LAMBDAGO names the command to use.
LAMBDAGO ?= lambdago

.PHONY: {target}
{target}:
\t$(LAMBDAGO) package . {args} --output-dir "$(ARTIFACTS_DIR)" --quiet
"""
    return text.encode()


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sam_template(options: PackageOptions, lambdago_version: str) -> bytes:
    """``template.yaml``: one function, as ``--target`` deploys it."""
    platform = options.platform
    name = options.function_name_or_default
    lid = logical_id(name)
    lines = [
        f"# Written by `{MARKER} --sam` (lambdago {lambdago_version}). Deploy with:",
        "#   sam build && sam deploy --guided",
        'AWSTemplateFormatVersion: "2010-09-09"',
        "Transform: AWS::Serverless-2016-10-31",
        f"Description: {_yaml_string(f'{options.handler}, packaged by lambdago')}",
    ]
    parameters: list[tuple[str, str]] = []
    if options.target == "provided":
        parameters.append(
            (
                "PythonLayerArn",
                f"ARN of a layer with a Python {platform.python} interpreter for "
                f"{platform.arch} (/opt/python/bin/python{platform.python}); "
                "see docs/deploy-provided.md",
            )
        )
    if not options.dependencies:
        parameters.append(
            ("DependenciesLayerArn", "ARN of the layer `lambdago package --layer` made")
        )
    if parameters:
        lines.append("Parameters:")
        for name_, description in parameters:
            lines += [
                f"  {name_}:",
                "    Type: String",
                f"    Description: {_yaml_string(description)}",
            ]
    lines += ["Resources:", f"  {lid}:", "    Type: AWS::Serverless::Function", "    Metadata:"]
    if options.target == "image":
        lines += [
            "      Dockerfile: Dockerfile",
            f"      DockerContext: {_yaml_string(_image_context(options))}",
            "      DockerTag: latest",
        ]
    else:
        lines += ["      BuildMethod: makefile"]
    lines += ["    Properties:"]
    if options.function_name:
        lines += [f"      FunctionName: {_yaml_string(name)}"]
    if options.target == "image":
        lines += ["      PackageType: Image"]
    else:
        lines += ["      CodeUri: ."]
        if options.target == "provided":
            lines += ["      Handler: bootstrap", f"      Runtime: {platform.runtime}"]
        else:
            lines += [
                f"      Handler: {_yaml_string(options.handler)}",
                f"      Runtime: python{platform.python}",
            ]
    lines += [
        "      Architectures:",
        f"        - {platform.arch}",
        f"      MemorySize: {options.memory}",
        f"      Timeout: {options.timeout}",
    ]
    if parameters:
        lines.append("      Layers:")
        lines += [f"        - Ref: {name_}" for name_, _ in parameters]
    if options.target == "managed":
        lines += [
            "      Environment:",
            "        Variables:",
            f"          AWS_LAMBDA_EXEC_WRAPPER: {WRAPPER_PATH}",
        ]
    lines += [
        "Outputs:",
        "  FunctionArn:",
        "    Value:",
        f"      Fn::GetAtt: [{lid}, Arn]",
    ]
    return ("\n".join(lines) + "\n").encode()


def _image_context(options: PackageOptions) -> str:
    output = options.output or options.default_output()
    try:
        return "./" + output.resolve().relative_to(options.project.resolve()).as_posix()
    except ValueError:
        return str(output.resolve())


def aws_cli_commands(options: PackageOptions, output: str, *, large: bool = False) -> list[str]:
    """The AWS CLI commands that deploy this package (placeholders in <ANGLE BRACKETS>)."""
    platform = options.platform
    name = options.function_name_or_default
    role = "--role arn:aws:iam::<ACCOUNT_ID>:role/<EXECUTION_ROLE>"
    sizing = f"--memory-size {options.memory} --timeout {options.timeout}"
    zip_name = output.rpartition("/")[2]
    upload: list[str] = []
    if large:
        upload = [f"aws s3 cp {shlex.quote(output)} s3://<BUCKET>/{shlex.quote(zip_name)}"]
        code = f"--code S3Bucket=<BUCKET>,S3Key={shlex.quote(zip_name)}"
    else:
        code = "--zip-file " + shlex.quote(f"fileb://{output}")
    if options.layer:
        runtimes = f"python{platform.python}" if options.target == "managed" else platform.runtime
        content = code.replace("--code ", "--content ", 1) if large else code
        return [
            *upload,
            f"aws lambda publish-layer-version --layer-name {name}-dependencies {content} "
            f"--compatible-runtimes {runtimes} --compatible-architectures {platform.arch}",
        ]
    if options.target == "image":
        repo = f"<ACCOUNT_ID>.dkr.ecr.<REGION>.amazonaws.com/{name}"
        return [
            f"docker build --platform {docker_platform(platform.arch)} -t {repo}:latest "
            + shlex.quote(output),
            f"docker push {repo}:latest",
            f"aws lambda create-function --function-name {name} --package-type Image "
            f"--code ImageUri={repo}:latest --architectures {platform.arch} {sizing} {role}",
        ]
    if options.target == "managed":
        return [
            *upload,
            f"aws lambda create-function --function-name {name} --runtime python{platform.python} "
            f"--handler {shlex.quote(options.handler)} --architectures {platform.arch} {sizing} "
            f"--environment Variables={{AWS_LAMBDA_EXEC_WRAPPER={WRAPPER_PATH}}} {code} {role}",
        ]
    layers = "--layers <PYTHON_LAYER_ARN>"
    if not options.dependencies:
        layers += " <DEPENDENCIES_LAYER_ARN>"
    return [
        *upload,
        f"aws lambda create-function --function-name {name} --runtime {platform.runtime} "
        f"--handler bootstrap --architectures {platform.arch} {sizing} {layers} {code} {role}",
    ]
