"""The Lambda Runtime API loop, split by concern as aws-lambda-go's ``lambda`` package is:

* :mod:`.protocol`: requests and answers as bytes (sans-IO);
* :mod:`.client`: the keep-alive connection;
* :mod:`.invoke_loop`: next, call, answer;
* :mod:`.failure`: error payloads and the X-Ray cause;
* :mod:`.entry`: :func:`start`;
* :mod:`.bootstrap`: ``python -m lambdago HANDLER``;
* :mod:`.logsetup`: the ``logging`` integration.
"""

from __future__ import annotations

from .entry import start

__all__ = ["start"]
