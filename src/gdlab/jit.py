"""numba, when it is installed: the one decorator every compiled kernel of gdlab goes through.

numba is optional at run time. :func:`numba_or_none` imports it on first use (it costs about
half a second, so only code that is about to compile pays for it) and gives None where it is
missing; callers then keep their NumPy paths, which compute the same numbers.

:func:`njit` asks numba to cache the machine code on disk, so a kernel compiles once per
machine rather than once per process. numba looks for a writable folder beside the package
source, under ``$HOME`` or in ``NUMBA_CACHE_DIR``; a read-only install run by a user without
a writable home has none, and numba then refuses to decorate the function at all ("cannot
cache function ..."), which would crash the import. There the kernel compiles without a disk
cache instead. No shared temporary folder is used as a fallback: numba's cache index is a
pickle, and loading one that another user could have written would run their code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def numba_or_none() -> Any:
    """The ``numba`` module, imported on first call, or None when it is not installed.

    Examples
    --------
    >>> numba = numba_or_none()
    >>> numba is None or hasattr(numba, "njit")
    True
    """
    try:
        import numba
    except ImportError:
        return None
    return numba


def njit(**options: Any) -> Callable[[F], F]:
    """``numba.njit(cache=True, **options)``, compiling without a disk cache where none is writable.

    Parameters
    ----------
    **options
        numba's ``njit`` options (``nogil``, ``fastmath``, ...), except ``cache``.

    Raises
    ------
    ImportError
        If numba is not installed (check :func:`numba_or_none` first).

    Examples
    --------
    >>> if numba_or_none() is not None:
    ...     add = njit(nogil=True)(lambda a, b: a + b)
    ...     assert add(1, 2) == 3
    """
    numba = numba_or_none()
    if numba is None:
        raise ImportError("numba is not installed; use the NumPy path instead.")

    def decorate(func: F) -> F:
        try:
            compiled: F = numba.njit(cache=True, **options)(func)
        except RuntimeError as exc:  # numba's "cannot cache function": no writable folder
            if "cannot cache" not in str(exc):
                raise
            compiled = numba.njit(cache=False, **options)(func)
        return compiled

    return decorate
