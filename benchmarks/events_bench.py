"""Typed event decoding and encoding, side by side with orjson and pydantic v2.

For every conformance event (``../shared/conformance``, when present) and every sample
event of ``lambdago.events``, measured in one run, contenders alternating:

* decode: ``orjson.loads`` (bytes to dicts, the floor), lambdago (bytes to event object;
  by default every part decoded at once, and with ``lazy=True`` nested event objects
  decoded when first read, measured both untouched and with every field then read),
  pydantic (``model_validate_json`` on a model of the same shape, generated from the
  lambdago class: same fields, same JSON keys, same types);
* encode: ``orjson.dumps`` of the equivalent dict (the floor), lambdago (object to bytes)
  of the decoded event (written from its source when unchanged) and of the same event as
  if built in code (field by field), pydantic (``model_dump_json(by_alias=True,
  exclude_unset=True)``).

The targets (issues 5-7, 12): decode at most 2x ``orjson.loads`` and below pydantic;
encode at most 2x ``orjson.dumps``.

    python benchmarks/events_bench.py [--out results.json] [--quick]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import platform
import statistics
import sys
import time
import typing
from typing import Any

import attrs
import orjson

import lambdago.events as ev
from lambdago import _converters, codec

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFORMANCE = ROOT.parent / "shared" / "conformance" / "aws-lambda-go"


# -- pydantic models of the same shape ---------------------------------------------------------


def pydantic_model(cls: type, cache: dict[type, Any]) -> Any:
    """A pydantic v2 model with the fields, JSON keys and types of event class ``cls``."""
    import pydantic

    if cls in cache:
        return cache[cls]
    fields: dict[str, Any] = {}
    cache[cls] = None  # placeholder while recursing
    for f in _converters.class_fields(cls):
        tp = _pydantic_type(f, cache)
        fields[f.attr] = (tp | None, pydantic.Field(None, alias=f.key))
    model = pydantic.create_model(  # type: ignore[call-overload]
        f"P{cls.__name__}",
        __config__=pydantic.ConfigDict(populate_by_name=True, extra="ignore"),
        **fields,
    )
    cache[cls] = model
    return model


def _pydantic_type(f: Any, cache: dict[type, Any]) -> Any:
    import pydantic

    codec_ = f.codec
    if codec_ is not None and codec_.decode is not None:
        name = getattr(codec_.decode, "__name__", "")
        if "rfc3339" in name or "epoch" in name:
            return datetime.datetime
        if "base64" in name:
            return pydantic.Base64Bytes
        return Any
    return _convert(f.type, cache)


def _convert(tp: Any, cache: dict[type, Any]) -> Any:
    tp = _converters._unwrap(tp)
    if _converters.is_any(tp):
        return Any
    members = _converters.union_members(tp)
    if members is not None:
        rest = [m for m in members if m is not type(None)]
        converted = [_convert(m, cache) for m in rest]
        out: Any = converted[0]
        for c in converted[1:]:
            out = out | c
        return out
    origin = getattr(tp, "__origin__", None)
    args = getattr(tp, "__args__", ())
    if origin is list:
        return list[_convert(args[0], cache)]  # type: ignore[misc]
    if origin is dict:
        return dict[str, _convert(args[1], cache)]  # type: ignore[misc]
    if isinstance(tp, type):
        if _converters.is_event_class(tp):
            if "__lambdago_decode__" in tp.__dict__:
                return Any
            model = pydantic_model(tp, cache)
            return model if model is not None else Any
        if "__lambdago_decode__" in tp.__dict__:
            return Any
        return tp
    return Any


# -- measuring ----------------------------------------------------------------------------------


def best_of(fn: Any, seconds: float) -> float:
    """Microseconds per call: the best of 5 timed batches sized to ~seconds/5 each."""
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - start > 0.02:
            break
        n *= 4
    per_batch = max(1, int(n * (seconds / 5) / max(time.perf_counter() - start, 1e-9)))
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(per_batch):
            fn()
        best = min(best, (time.perf_counter() - start) / per_batch)
    return best * 1e6


def cases() -> list[tuple[str, type, bytes]]:
    out: list[tuple[str, type, bytes]] = []
    manifest = CONFORMANCE / "manifest.json"
    if manifest.exists():
        for entry in json.loads(manifest.read_text()):
            if entry["compare"] == "must-fail":
                continue
            cls = getattr(ev, entry["type"])
            out.append(
                (
                    f"conformance/{entry['file']}",
                    cls,
                    (CONFORMANCE / entry["dir"] / entry["file"]).read_bytes(),
                )
            )
    for name, type_name in ev.sample_names().items():
        cls = getattr(ev, type_name)
        if not isinstance(cls, type):
            continue
        out.append((f"sample/{name}", cls, ev.sample(name)))
    return out


def read_everything(value: Any) -> None:
    """Read every field of every event object in ``value`` (decoding a lazy event fully)."""
    if isinstance(value, list):
        for item in value:
            read_everything(item)
    elif isinstance(value, dict):
        for item in value.values():
            read_everything(item)
    elif hasattr(value, "_lg_src"):
        for f in attrs.fields(type(value)):
            read_everything(getattr(value, f.name))


def built_copy(value: Any) -> Any:
    """A copy of a decoded event as if built in code: no object in it keeps its source, so
    encoding it goes field by field (an event returned by a handler is usually built so)."""
    if isinstance(value, list):
        return [built_copy(x) for x in value]
    if isinstance(value, dict):
        return {k: built_copy(x) for k, x in value.items()}
    if not hasattr(value, "_lg_src"):
        return value
    copy = object.__new__(type(value))
    for f in attrs.fields(type(value)):
        setattr(copy, f.name, built_copy(getattr(value, f.name)))
    copy._lg_src = None
    copy._lg_snap = None
    return copy


def _measure_eager(
    name: str, cls: type, data: bytes, seconds: float, pyd_cache: dict[type, Any]
) -> dict[str, Any]:
    decode = codec.make_decoder(cls)
    encode = codec.make_encoder()
    obj = decode(data)
    built = built_copy(obj)
    plain = orjson.loads(data)
    model = pydantic_model(cls, pyd_cache) if not isinstance(plain, list) else None
    row: dict[str, Any] = {"case": name, "type": cls.__name__, "bytes": len(data)}
    # Alternate the contenders: each measured in turn, twice, keeping the best.
    for _ in range(2):
        row["loads"] = min(row.get("loads", 1e9), best_of(lambda: orjson.loads(data), seconds))
        row["decode"] = min(row.get("decode", 1e9), best_of(lambda: decode(data), seconds))
        row["decode_read"] = min(
            row.get("decode_read", 1e9), best_of(lambda: read_everything(decode(data)), seconds)
        )
        if model is not None:
            try:
                model.model_validate_json(data)
                row["pydantic_decode"] = min(
                    row.get("pydantic_decode", 1e9),
                    best_of(lambda: model.model_validate_json(data), seconds),
                )
            except Exception as exc:  # a shape pydantic cannot express: reported, not hidden
                row["pydantic_error"] = f"{type(exc).__name__}: {str(exc)[:120]}"
        row["dumps"] = min(row.get("dumps", 1e9), best_of(lambda: orjson.dumps(plain), seconds))
        row["encode"] = min(row.get("encode", 1e9), best_of(lambda: encode(obj), seconds))
        row["encode_built"] = min(
            row.get("encode_built", 1e9), best_of(lambda: encode(built), seconds)
        )
        if "pydantic_decode" in row:
            instance = model.model_validate_json(data)
            row["pydantic_encode"] = min(
                row.get("pydantic_encode", 1e9),
                best_of(
                    lambda: instance.model_dump_json(by_alias=True, exclude_unset=True), seconds
                ),
            )
    row["decode_ratio"] = row["decode"] / row["loads"]
    row["encode_ratio"] = row["encode"] / row["dumps"]
    row["encode_built_ratio"] = row["encode_built"] / row["dumps"]
    if "pydantic_decode" in row:
        row["vs_pydantic_decode"] = row["decode"] / row["pydantic_decode"]
        row["vs_pydantic_encode"] = row["encode"] / row["pydantic_encode"]
    return row


def _measure_lazy(row: dict[str, Any], cls: type, data: bytes, seconds: float) -> None:
    decode = codec.make_decoder(cls, codec.CodecOptions(lazy=True))
    encode = codec.make_encoder()
    obj = decode(data)  # never read: encoding writes its source
    for _ in range(2):
        loads = best_of(lambda: orjson.loads(data), seconds)
        row["loads_lazy_pass"] = min(row.get("loads_lazy_pass", 1e9), loads)
        row["decode_lazy"] = min(
            row.get("decode_lazy", 1e9), best_of(lambda: decode(data), seconds)
        )
        row["decode_lazy_read"] = min(
            row.get("decode_lazy_read", 1e9),
            best_of(lambda: read_everything(decode(data)), seconds),
        )
        row["encode_lazy"] = min(row.get("encode_lazy", 1e9), best_of(lambda: encode(obj), seconds))
    # Against the floor measured in this pass, beside it.
    row["decode_lazy_ratio"] = row["decode_lazy"] / row["loads_lazy_pass"]
    # Reading every field of a lazy event against reading every field of an eager one.
    row["lazy_read_vs_eager_read"] = row["decode_lazy_read"] / row["decode_read"]
    row["encode_lazy_ratio"] = row["encode_lazy"] / row["dumps"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path)
    parser.add_argument("--quick", action="store_true", help="shorter timings (noisier)")
    parser.add_argument("--filter", default="", help="only cases whose name contains this")
    args = parser.parse_args()
    seconds = 0.05 if args.quick else 0.25
    pyd_cache: dict[type, Any] = {}
    selected = [c for c in cases() if args.filter in c[0]]
    rows = []
    # Two passes: every eager figure first, then the lazy ones. The first lazy decoder of a
    # class puts a descriptor on its nested fields (lambdago._converters), which would slow
    # the eager figures of that class measured after it; a function uses one mode.
    for name, cls, data in selected:
        row = _measure_eager(name, cls, data, seconds, pyd_cache)
        rows.append(row)
        print(
            f"{name:70s} {len(data):6d} B  decode {row['decode']:7.2f} µs ({row['decode_ratio']:.2f}x loads"
            + (
                f", {row['vs_pydantic_decode']:.2f}x pydantic"
                if "vs_pydantic_decode" in row
                else ""
            )
            + f")  encode {row['encode']:7.2f} µs ({row['encode_ratio']:.2f}x dumps"
            + f"; built in code {row['encode_built_ratio']:.2f}x)",
            flush=True,
        )
    for (name, cls, data), row in zip(selected, rows, strict=True):
        _measure_lazy(row, cls, data, seconds)
        print(
            f"{name:70s} lazy: decode {row['decode_lazy_ratio']:.2f}x loads, read in full"
            f" {row['lazy_read_vs_eager_read']:.2f}x eager read in full,"
            f" encode unread {row['encode_lazy_ratio']:.2f}x dumps",
            flush=True,
        )
    summary = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} vCPUs, {platform.platform()}",
        "python": sys.version.split()[0],
        "cases": len(rows),
        "median_decode_ratio": statistics.median(r["decode_ratio"] for r in rows),
        "median_decode_lazy_ratio": statistics.median(r["decode_lazy_ratio"] for r in rows),
        "median_lazy_read_vs_eager_read": statistics.median(
            r["lazy_read_vs_eager_read"] for r in rows
        ),
        "median_encode_ratio": statistics.median(r["encode_ratio"] for r in rows),
        "median_encode_lazy_ratio": statistics.median(r["encode_lazy_ratio"] for r in rows),
        "median_encode_built_ratio": statistics.median(r["encode_built_ratio"] for r in rows),
        "decode_within_2x": sum(r["decode_ratio"] <= 2 for r in rows),
        "decode_lazy_within_2x": sum(r["decode_lazy_ratio"] <= 2 for r in rows),
        "encode_within_2x": sum(r["encode_ratio"] <= 2 for r in rows),
        "encode_lazy_within_2x": sum(r["encode_lazy_ratio"] <= 2 for r in rows),
        "faster_than_pydantic_decode": sum(r.get("vs_pydantic_decode", 9) < 1 for r in rows),
        "compared_with_pydantic": sum("vs_pydantic_decode" in r for r in rows),
    }
    print(json.dumps(summary, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"summary": summary, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    del typing
    main()
