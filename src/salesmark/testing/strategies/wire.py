"""Strategies for what arrives at the data boundary: arbitrary JSON and field errors.

:func:`json_values` draws any JSON document, to feed to
:func:`~salesmark.serialization.structure` (which must refuse it with a salesmark
error or read it); :func:`~salesmark.testing.strategies.unstructured` draws the JSON
form of valid objects instead.

Example:
    >>> from hypothesis import given, settings
    >>> from salesmark import SalesmarkError, structure, Touchpoint
    >>> @settings(max_examples=20, database=None, deadline=None)
    ... @given(json_values())
    ... def test_garbage_is_refused_plainly(data):
    ...     try:
    ...         structure(data, Touchpoint)
    ...     except SalesmarkError as error:
    ...         assert error.errors
    >>> test_garbage_is_refused_plainly()
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from salesmark.errors import FieldError

__all__ = ["JsonValue", "field_errors", "json_scalars", "json_values"]

JsonValue = Any
"""A JSON document as Python holds it: None, bool, int, float, str, lists and dicts of them."""


def json_scalars() -> st.SearchStrategy[JsonValue]:
    """JSON's scalars: null, booleans, numbers (integers beyond 64 bits too) and short strings.

    Returns:
        A strategy of None, bool, int, float (finite) and str values.

    Example:
        >>> import json
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(json_scalars())
        ... def test_scalars_are_json(value):
        ...     assert value == json.loads(json.dumps(value))
        >>> test_scalars_are_json()
    """
    return (
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=12)
    )


def json_values() -> st.SearchStrategy[JsonValue]:
    """Arbitrary JSON: null, booleans, numbers, strings, lists and objects, a few levels deep.

    Returns:
        A strategy of JSON documents of up to 20 scalars.

    Example:
        >>> import json
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(json_values())
        ... def test_values_survive_json(value):
        ...     assert value == json.loads(json.dumps(value))
        >>> test_values_survive_json()
    """
    return st.recursive(
        json_scalars(),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=20,
    )


def field_errors() -> st.SearchStrategy[FieldError]:
    """Field errors, as a :class:`~salesmark.errors.StructureError` lists them (a 422 body's items).

    Returns:
        A strategy of :class:`~salesmark.errors.FieldError`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(field_errors())
        ... def test_paths_are_pointers(error):
        ...     assert error.path == "" or error.path.startswith("/")
        >>> test_paths_are_pointers()
    """
    return st.builds(
        FieldError,
        path=st.lists(st.text(max_size=5), max_size=3).map(
            lambda parts: "".join(f"/{p}" for p in parts)
        ),
        message=st.text(min_size=1, max_size=20),
        value=st.none() | st.text(max_size=10),
        expected=st.none() | st.text(max_size=10),
    )
