"""The JSON form of a fitted scaler: encoding, checksum and strict validation on the way in.

A fitted scaler becomes a plain dict of JSON types::

    {"format": "gdlab.scaling", "version": 1, "class": "StandardScaler",
     "params": {...}, "n_features_in": 2, "feature_names_in": null,
     "attributes": {"n_samples_seen_": 6, "mean_": [...], ...}, "sha256": "..."}

NaN statistics (columns never observed) are written as ``null``. ``sha256`` is the digest of
the canonical JSON of everything else, so an edited or truncated file is refused with a
clear error instead of silently scaling data with the wrong numbers. Nothing is unpickled.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

FORMAT = "gdlab.scaling"
VERSION = 1


def canonical(payload: dict[str, Any]) -> str:
    """Canonical JSON text of ``payload`` (sorted keys, no spaces, no NaN)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)


def digest(payload: dict[str, Any]) -> str:
    """SHA-256 hex digest of the canonical JSON of ``payload`` without its ``sha256`` key.

    Examples
    --------
    >>> digest({"a": 1}) == digest({"a": 1, "sha256": "ignored"})
    True
    """
    body = {k: v for k, v in payload.items() if k != "sha256"}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def encode(value: Any) -> Any:
    """A fitted attribute as JSON types: arrays become lists, NaN becomes None.

    Examples
    --------
    >>> import numpy as np
    >>> encode(np.array([1.5, np.nan])), encode({"range": (0, 1)})
    ([1.5, None], {'range': [0, 1]})
    """
    if isinstance(value, np.ndarray):
        return [encode(v) for v in value.tolist()]
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def _fail(what: str, expected: str, got: Any) -> ValueError:
    shown = repr(got)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return ValueError(
        f"Invalid scaler state: {what} should be {expected}, got {shown}. The file is "
        "malformed or was edited; fit the scaler again and save it with gdlab.scaling.save."
    )


def float_vector(name: str, value: Any, n: int) -> NDArray[np.float64]:
    """Decode a list of ``n`` numbers (``None`` = NaN) into a float64 array, or raise.

    Examples
    --------
    >>> float_vector("mean_", [1, None], 2)
    array([ 1., nan])
    >>> float_vector("mean_", [1], 2)
    Traceback (most recent call last):
    ...
    ValueError: Invalid scaler state: mean_ should be a list of 2 numbers or nulls, got [1]. ...
    """
    ok = isinstance(value, list) and len(value) == n
    ok = ok and all(v is None or _is_number(v) for v in value)
    if not ok:
        raise _fail(name, f"a list of {n} numbers or nulls", value)
    out = np.array([np.nan if v is None else float(v) for v in value], dtype=np.float64)
    if np.isinf(out).any():
        raise _fail(name, "finite", value)
    return out


def count(name: str, value: Any, n: int) -> Any:
    """Decode a sample count: a non-negative number, or a list of ``n`` of them.

    Counts are integers; a fit with sample weights stores their (float) sums.

    Examples
    --------
    >>> count("n_samples_seen_", 4, 2), count("n_samples_seen_", [4, 3], 2)
    (4, array([4, 3]))
    >>> count("n_samples_seen_", 2.5, 2)
    2.5
    """
    if _is_count(value):
        return value
    if isinstance(value, list) and len(value) == n and all(_is_count(v) for v in value):
        return np.array(value, dtype=np.int64 if all(_is_int(v) for v in value) else np.float64)
    raise _fail(name, f"a non-negative number or a list of {n} of them", value)


def absent(name: str, value: Any) -> None:
    """Check that an attribute these parameters leave unset (None) is stored as null.

    Examples
    --------
    >>> absent("var_", None)
    >>> absent("var_", [1.0])
    Traceback (most recent call last):
    ...
    ValueError: Invalid scaler state: var_ should be null under these parameters, got [1.0]. ...
    """
    if value is not None:
        raise _fail(name, "null under these parameters", value)


def header(d: Any, expected_class: str | None) -> str:
    """Check format, version, class name and checksum of a state dict; return its class name."""
    if not isinstance(d, dict):
        raise _fail("the state", "a dict (a JSON object)", type(d).__name__)
    if d.get("format") != FORMAT:
        raise _fail("'format'", repr(FORMAT), d.get("format"))
    if d.get("version") != VERSION:
        raise _fail("'version'", str(VERSION), d.get("version"))
    name = d.get("class")
    if not isinstance(name, str) or (expected_class is not None and name != expected_class):
        raise _fail("'class'", repr(expected_class or "a scaler class name"), name)
    if d.get("sha256") != digest(d):
        raise ValueError(
            "Invalid scaler state: its sha256 checksum does not match its content, so it was "
            "edited or corrupted after it was written. Fit the scaler again and save it with "
            "gdlab.scaling.save."
        )
    for key in ("params", "attributes"):
        if not isinstance(d.get(key), dict):
            raise _fail(f"'{key}'", "a JSON object", d.get(key))
    return name


def n_features(d: dict[str, Any]) -> tuple[int, NDArray[np.object_] | None]:
    """Decode ``n_features_in`` and the optional ``feature_names_in`` of a state dict."""
    n = d.get("n_features_in")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise _fail("'n_features_in'", "a positive integer", n)
    names = d.get("feature_names_in")
    if names is None:
        return n, None
    if not (isinstance(names, list) and len(names) == n and all(isinstance(s, str) for s in names)):
        raise _fail("'feature_names_in'", f"null or a list of {n} strings", names)
    return n, np.array(names, dtype=object)


def param(name: str, value: Any, default: Any) -> Any:
    """Decode a constructor parameter, checking it has the JSON type of its default.

    Examples
    --------
    >>> param("feature_range", [0, 1], (0, 1)), param("eps", 0, 0.0)
    ((0, 1), 0)
    >>> param("copy", "yes", True)
    Traceback (most recent call last):
    ...
    ValueError: Invalid scaler state: parameter copy should be true or false, got 'yes'. ...
    """
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise _fail(f"parameter {name}", "true or false", value)
        return value
    if isinstance(default, tuple):
        if not (isinstance(value, list) and all(_is_number(v) for v in value)):
            raise _fail(f"parameter {name}", "a list of numbers", value)
        return tuple(value)
    if _is_number(default) and not _is_number(value):
        raise _fail(f"parameter {name}", "a number", value)
    return value


def agree(name: str, stored: NDArray[np.float64], derived: NDArray[np.float64]) -> None:
    """Raise unless a stored derived attribute matches its value recomputed from the statistics."""
    if not np.allclose(stored, derived, rtol=1e-12, atol=0.0, equal_nan=True):
        raise ValueError(
            f"Invalid scaler state: {name} does not match the value recomputed from the stored "
            "statistics; the file was edited or corrupted. Fit the scaler again and save it."
        )


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_count(v: Any) -> bool:
    return _is_number(v) and math.isfinite(v) and v >= 0


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def payload(est: Any) -> dict[str, Any]:
    """The JSON state of a fitted scaler ``est`` (see the module docstring), with its checksum."""
    for name in (*est._statistics, *est._derived):
        value = getattr(est, name)
        if value is not None and np.isinf(value).any():
            raise ValueError(
                f"Cannot save this {type(est).__name__}: {name} is infinite in column(s) "
                f"{np.flatnonzero(np.isinf(value)).tolist()}, beyond what float64 (and JSON) "
                "can hold. Divide those columns by a large constant (e.g. 1e10), fit again "
                "and save."
            )
    names = getattr(est, "feature_names_in_", None)
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "class": type(est).__name__,
        "params": encode(est.get_params(deep=False)),
        "n_features_in": int(est.n_features_in_),
        "feature_names_in": None if names is None else [str(s) for s in names],
        "attributes": {
            name: encode(getattr(est, name))
            for name in ("n_samples_seen_", *est._statistics, *est._derived)
        },
    }
    out["sha256"] = digest(out)
    return out


def rebuild(d: Any, expected_class: str | None, registry: Mapping[str, Any]) -> Any:
    """The fitted scaler a state dict describes, every field checked (ValueError if not)."""
    d = dict(d) if isinstance(d, Mapping) else d
    try:
        name = header(d, expected_class)
    except RecursionError:  # the checksum walks the structure: refuse absurd nesting
        raise ValueError(
            "Invalid scaler state: it is nested far too deeply to be a saved scaler. Fit "
            "the scaler again and save it with gdlab.scaling.save."
        ) from None
    target = registry.get(name)
    if target is None:
        raise ValueError(f"Unknown scaler class {name!r}; expected one of {sorted(registry)}.")
    params, attrs = d["params"], d["attributes"]
    expected = set(target._get_param_names())
    if set(params) != expected:
        raise ValueError(
            f"Invalid scaler state: params of {name} should be {sorted(expected)}, got "
            f"{sorted(params)}. Fit the scaler again and save it."
        )
    defaults = target().get_params(deep=False)
    est = target(**{k: param(k, v, defaults[k]) for k, v in params.items()})
    est._validate_params()  # scikit-learn's constraints, then the value checks
    est._check_params()
    n, feature_names = n_features(d)
    wanted = {"n_samples_seen_", *target._statistics, *target._derived}
    if set(attrs) != wanted:
        raise ValueError(
            f"Invalid scaler state: attributes of {name} should be {sorted(wanted)}, got "
            f"{sorted(attrs)}. Fit the scaler again and save it."
        )
    est.n_features_in_ = n
    if feature_names is not None:
        est.feature_names_in_ = feature_names
    est.n_samples_seen_ = count("n_samples_seen_", attrs["n_samples_seen_"], n)
    unset = est._absent()  # attributes these parameters leave None, stored as null
    for stat in target._statistics:
        if stat in unset:
            absent(stat, attrs[stat])
        setattr(est, stat, None if stat in unset else float_vector(stat, attrs[stat], n))
    est._check_loaded_state()  # every class's own checks, base class first
    est._finish()
    for derived in target._derived:
        if derived in unset:
            absent(derived, attrs[derived])
        else:
            agree(derived, float_vector(derived, attrs[derived], n), getattr(est, derived))
    return est
