"""DataFrames in and out: plain rows from pandas, polars and pyarrow, and tables built back."""

from __future__ import annotations

import enum
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import DEMAND_WATERFALL, Lead, Money, Period, ValidationError, WrongType
from salesmark._frames import BACKENDS, frame, plain, rows_of
from salesmark.errors import MissingExtra
from salesmark.funnel import funnel_counts

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
BERLIN = timezone(timedelta(hours=1))
COLUMNS = {
    "id": ["a", "b"],
    "n": [1, None],
    "x": [1.5, None],
    "at": [T0, None],
}


def _native(backend: str, data: dict[str, list[Any]]) -> Any:
    return nw.from_dict(data, backend=backend).to_native()


def _types(table: Any) -> dict[str, str]:
    """Column name -> narwhals dtype name, whatever the backend."""
    schema = nw.from_native(table, eager_only=True).schema
    return {name: str(dtype) for name, dtype in schema.items()}


class Colour(enum.Enum):
    RED = "red"


class TestPlain:
    def test_missing_markers_become_none(self) -> None:
        """NaN, NaT and pd.NA, from Python, numpy and pandas, all read as None."""
        values = [None, float("nan"), np.float64("nan"), np.datetime64("NaT"), pd.NaT, pd.NA]
        assert [None] * len(values) == [plain(x) for x in values]

    def test_numpy_scalars_become_python_values(self) -> None:
        """numpy ints, floats, bools and strings become their plain Python types."""
        values = [np.int64(3), np.float32(1.5), np.bool_(True), np.str_("x")]
        expected = [(3, int), (1.5, float), (True, bool), ("x", str)]
        assert expected == [(plain(x), type(plain(x))) for x in values]

    def test_numpy_times_become_datetimes_and_timedeltas(self) -> None:
        """datetime64 and timedelta64 of any unit become datetime and timedelta, to the microsecond."""
        assert datetime(2026, 1, 1) == plain(np.datetime64("2026-01-01T00:00:00.000000001"))
        assert timedelta(hours=2) == plain(np.timedelta64(2, "h"))

    def test_pandas_timestamps_keep_their_zone(self) -> None:
        """A pandas Timestamp becomes a datetime with the same zone; a Timedelta a timedelta."""
        stamp = plain(pd.Timestamp("2026-03-02T10:00:00+01:00"))
        assert (datetime, T0) == (type(stamp), stamp)
        assert (timedelta, timedelta(minutes=5)) == (
            type(plain(pd.Timedelta(minutes=5))),
            plain(pd.Timedelta(minutes=5)),
        )

    def test_plain_values_stay(self) -> None:
        """Strings, ints, Decimals, dates, aware datetimes and their subclasses pass unchanged."""

        class Moment(datetime):
            pass

        moment = Moment(2026, 3, 2, tzinfo=timezone.utc)
        values = ["a", 2, Decimal("1.10"), date(2026, 1, 1), T0, Colour.RED, moment]
        assert values == [plain(x) for x in values]
        assert Moment is type(plain(moment))


class TestRowsOf:
    @pytest.mark.parametrize("backend", BACKENDS)
    def test_tables_become_plain_rows(self, backend: str) -> None:
        """Every backend's table reads as the same plain rows, gaps as None, times aware."""
        rows = list(rows_of(_native(backend, COLUMNS), what="leads"))
        assert [
            {"id": "a", "n": 1, "x": 1.5, "at": T0},
            {"id": "b", "n": None, "x": None, "at": None},
        ] == rows
        assert [type(T0), type(None)] == [type(r["at"]) for r in rows]

    def test_pandas_dataframe_with_numpy_and_naive_times(self) -> None:
        """A pandas frame's numpy values are plain; a naive time column stays naive for the caller."""
        df = pd.DataFrame({"n": np.array([1, 2]), "at": pd.to_datetime(["2026-01-01", None])})
        rows = list(rows_of(df, what="leads"))
        assert [{"n": 1, "at": datetime(2026, 1, 1)}, {"n": 2, "at": None}] == rows

    def test_dict_rows_are_normalised(self) -> None:
        """Dict rows (a list, a tuple or a generator) are read with their values made plain."""
        given_rows: Iterator[dict[str, Any]] = iter([{"n": np.int64(2), "x": float("nan")}])
        assert [{"n": 2, "x": None}] == list(rows_of(given_rows, what="leads"))
        assert [{"n": 1}] == list(rows_of(({"n": 1},), what="leads"))

    def test_other_iterables_of_rows(self) -> None:
        """Any other iterable of mappings is read too (a dict's values, say)."""
        assert [{"n": 1}] == list(rows_of({"a": {"n": 1}}.values(), what="leads"))

    @pytest.mark.parametrize("bad", ["id,n", {"id": "a"}, 42])
    def test_refuses_what_is_not_a_table(self, bad: object) -> None:
        """A string, a single mapping or a number is no table; the message names the argument."""
        with pytest.raises(WrongType, match="leads must be a table or an iterable of dict rows"):
            rows_of(bad, what="leads")

    def test_refuses_a_row_that_is_not_a_mapping(self) -> None:
        """A row that is not a mapping is named by its position."""
        with pytest.raises(WrongType, match=r"leads\[1\] must be a mapping"):
            list(rows_of([{"a": 1}, ("a", 1)], what="leads"))

    def test_refuses_lazy_frames(self) -> None:
        """A lazy polars frame must be collected first; the message says so."""
        with pytest.raises(WrongType, match="collect a lazy frame first"):
            rows_of(pl.DataFrame({"a": [1]}).lazy(), what="leads")

    def test_dataframe_without_narwhals(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without narwhals a DataFrame is refused with how to install the extra."""
        monkeypatch.setitem(sys.modules, "narwhals", None)
        with pytest.raises(MissingExtra, match=r"install salesmark\[dataframe\]"):
            rows_of(pd.DataFrame({"a": [1]}), what="leads")

    def test_dict_rows_without_narwhals(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Plain rows need no narwhals."""
        monkeypatch.setitem(sys.modules, "narwhals", None)
        assert [{"a": 1}] == list(rows_of([{"a": 1}], what="leads"))


def _funnel_records() -> list[dict[str, Any]]:
    lead = Lead.create(id="A", created_at=T0).advance("mql", at=T0 + timedelta(hours=5))
    return funnel_counts([lead], Period.quarter(2026, 1), lifecycle=DEMAND_WATERFALL).to_records()


class TestFrame:
    @pytest.mark.parametrize("backend", BACKENDS)
    def test_result_records_come_out_numeric(self, backend: str) -> None:
        """A funnel's records (Decimal rates, hours, None) give numeric columns but the stage name (and a flag)."""
        types = _types(frame(_funnel_records(), backend=backend))
        assert {"stage": "String", "on_progression": "Boolean"} == {
            k: t for k, t in types.items() if t not in ("Float64", "Int64")
        }

    @pytest.mark.parametrize("backend", BACKENDS)
    def test_values_are_converted(self, backend: str) -> None:
        """Decimals, fractions, durations, money, enums and bools become floats, hours, values, bools."""
        rows = [
            {"d": Decimal("0.25"), "q": Fraction(1, 4), "h": timedelta(minutes=90)},
            {"m": Money.of("2.50", "EUR"), "e": Colour.RED, "b": True},
            {"at": datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)},
        ]
        back = list(rows_of(frame(rows, backend=backend), what="t"))
        assert {"d": 0.25, "q": 0.25, "h": 1.5} == {k: back[0][k] for k in ("d", "q", "h")}
        assert {"m": 2.5, "e": "red", "b": True, "currency": "EUR"} == {
            k: back[1][k] for k in ("m", "e", "b", "currency")
        }
        assert {"at": T0, "b": None} == {k: back[2][k] for k in ("at", "b")}
        assert {"b": "Boolean", "at": "Datetime(time_unit='us', time_zone='UTC')"} == {
            k: _types(frame(rows, backend=backend))[k] for k in ("b", "at")
        }

    @pytest.mark.parametrize("backend", BACKENDS)
    def test_exact_keeps_decimals_and_durations(self, backend: str) -> None:
        """With exact=True the cent survives: decimals stay Decimal, durations timedelta."""
        rows = [{"d": Decimal("0.10"), "q": Fraction(3, 40), "h": timedelta(minutes=90)}]
        back = next(rows_of(frame(rows, backend=backend, exact=True), what="t"))
        assert {"d": Decimal("0.10"), "q": Decimal("0.075"), "h": timedelta(minutes=90)} == back

    def test_a_currency_column_is_kept(self) -> None:
        """A row that names its currency keeps it; money adds none."""
        rows = [{"m": Money.of(1, "EUR"), "currency": "USD"}]
        assert [{"m": 1.0, "currency": "USD"}] == list(
            rows_of(frame(rows, backend="pandas"), what="t")
        )

    @pytest.mark.parametrize("backend", ["polars", "pyarrow"])
    def test_exact_refuses_a_fraction_without_decimal_form(self, backend: str) -> None:
        """One third has no exact decimal: exact=True says so and names the column (polars, pyarrow)."""
        with pytest.raises(ValidationError, match="column 'q' holds Fraction"):
            frame([{"q": Fraction(1, 3)}], backend=backend, exact=True)  # type: ignore[arg-type]

    def test_exact_pandas_keeps_fractions(self) -> None:
        """pandas holds any Python object, so exact=True keeps a fraction as it is."""
        table = frame([{"q": Fraction(1, 3)}], backend="pandas", exact=True)
        assert [Fraction(1, 3)] == table["q"].tolist()

    def test_a_column_without_values_is_numeric_in_pandas(self) -> None:
        """A column of nothing but None is a float column of NaN in pandas, a null column elsewhere."""
        rows = [{"id": "a", "x": None}, {"id": "b", "x": None}]
        assert "float64" == str(frame(rows, backend="pandas")["x"].dtype)
        assert "Null" == str(frame(rows, backend="polars").schema["x"])

    def test_columns_give_order_and_empty_tables(self) -> None:
        """columns= orders the columns, fills gaps with nulls and shapes an empty table."""
        table = frame([{"b": 1}], backend="polars", columns=["a", "b"])
        assert (["a", "b"], [None]) == (table.columns, table["a"].to_list())
        assert [] == frame([], backend="pyarrow", columns=["a"]).to_pylist()

    def test_unknown_backend(self) -> None:
        """An unknown backend is named with the ones accepted."""
        with pytest.raises(
            ValidationError,
            match=r"backend must be one of \['pandas', 'polars', 'pyarrow'\], got 'spark'",
        ):
            frame([], backend="spark")

    def test_missing_narwhals(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without narwhals the message says to install the dataframe extra."""
        monkeypatch.setitem(sys.modules, "narwhals", None)
        with pytest.raises(MissingExtra, match=r"install salesmark\[dataframe\]"):
            frame([], backend="pandas")

    def test_missing_backend(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the backend's library the message names it."""
        monkeypatch.setitem(sys.modules, "polars", None)
        with pytest.raises(MissingExtra, match="needs polars installed"):
            frame([], backend="polars")

    def test_rows_must_be_mappings(self) -> None:
        """A row that is not a mapping is refused with its position."""
        with pytest.raises(WrongType, match=r"frame rows\[0\] must be a mapping"):
            frame([1], backend="pandas")  # type: ignore[list-item]

    @given(
        rows=st.lists(
            st.fixed_dictionaries(
                {
                    "id": st.text(alphabet="abc", min_size=1, max_size=3),
                    "n": st.none() | st.integers(-1000, 1000),
                    "x": st.none() | st.floats(-1e6, 1e6, allow_nan=False),
                    "b": st.none() | st.booleans(),
                }
            ),
            max_size=5,
        ),
        backend=st.sampled_from(BACKENDS),
    )
    def test_rows_survive_a_round_trip(self, rows: list[dict[str, Any]], backend: str) -> None:
        """Reading back a table built from plain rows gives the same values, in every backend."""
        table = frame(rows, backend=backend, columns=["id", "n", "x", "b"])
        assert rows == list(rows_of(table, what="t"))

    def test_pyarrow_table_reads_back(self) -> None:
        """A pyarrow table made elsewhere reads like any other."""
        table = pa.table({"a": [1, None]})
        assert [{"a": 1}, {"a": None}] == list(rows_of(table, what="t"))


WITHOUT_EXTRAS = """
import sys
from importlib.abc import MetaPathFinder

BLOCKED = ("pandas", "polars", "pyarrow", "matplotlib", "narwhals", "numpy", "tqdm")


class Refuse(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked in this test")
        return None


sys.meta_path.insert(0, Refuse())

import salesmark
from salesmark import DEMAND_WATERFALL, Period, Team, ValidationError, funnel_counts, metrics, scoring
from salesmark import plotting, sla_compliance, tables
from salesmark._frames import frame, rows_of
from salesmark.errors import MissingExtra
from salesmark.attribution import PathCounts, compare, linear, markov
from salesmark.synthetic import organisation

mapping = tables.TableMapping(name="m", leads=tables.LeadColumns(id="id", created_at="at", stage="stage"))
rows = [{"id": "L1", "at": "2026-01-05T09:00:00+00:00", "stage": "mql"}]
leads = tables.read_leads(rows, lifecycle=DEMAND_WATERFALL, mapping=mapping)
q1 = Period.quarter(2026, 1)
assert funnel_counts(leads, q1, lifecycle=DEMAND_WATERFALL).counts()["mql"] == 1
org = organisation(seed=2, leads=120)
sla_compliance(org, q1)
metrics.scorecard_report(org, Team.MARKETING, q1)
scoring.lead_quality(org.leads, org.feedback, lifecycle=org.lifecycle, by="channel")
paths = PathCounts.from_tuples([(("a", "b"), 1, 1, None)])
table = compare(linear(paths), markov(paths, progress=lambda done, total: None))
assert table.to_records()[0]["channel"] == "a" and "<table" in table._repr_html_()
assert "<table" in org.leads[0]._repr_html_() and "<table" in org._repr_html_()
assert PathCounts.from_records([{"path": "a > b", "total_conversions": 1}]).total_conversions == 1
assert list(rows_of(rows, what="rows")) == rows
for call, extra in [
    (lambda: frame(rows, backend="pandas"), "salesmark[dataframe]"),
    (lambda: table.to_frame(), "salesmark[dataframe]"),
    (lambda: table.to_frame("polars", of="value"), "salesmark[dataframe]"),
    (lambda: funnel_counts(leads, q1, lifecycle=DEMAND_WATERFALL).to_frame("pyarrow"), "salesmark[dataframe]"),
    (lambda: markov(paths, progress=True), "salesmark[progress]"),
    (lambda: plotting.funnel_chart(funnel_counts(leads, q1, lifecycle=DEMAND_WATERFALL)), "salesmark[plot]"),
]:
    try:
        call()
    except MissingExtra as exc:
        assert extra in str(exc), exc
    else:
        raise AssertionError(f"no error asking for {extra}")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
assert loaded == [], loaded
print("core works without extras")
"""


IMPORT_ONLY = """
import sys
import salesmark
lazy = ("pandas", "polars", "pyarrow", "matplotlib", "narwhals", "numpy", "tqdm", "html")
print(sorted(m for m in sys.modules if m.split(".")[0] in lazy))
"""


class TestWithoutExtras:
    def test_import_loads_no_extra(self) -> None:
        """import salesmark loads no table library, matplotlib, tqdm, or even html: all wait for first use."""
        done = subprocess.run(
            [sys.executable, "-c", IMPORT_ONLY], capture_output=True, text=True, check=True
        )
        assert "[]\n" == done.stdout

    def test_core_works_with_the_extras_blocked(self) -> None:
        """With pandas, polars, pyarrow, matplotlib, narwhals, numpy and tqdm refused, salesmark still works.

        Importing it, reading dict rows with salesmark.tables, the core analytics, plain
        records, HTML and progress callbacks run; DataFrames, charts and progress bars
        ask for their extra by name.
        """
        done = subprocess.run(
            [sys.executable, "-c", WITHOUT_EXTRAS], capture_output=True, text=True, check=False
        )
        assert (0, "core works without extras\n", "") == (done.returncode, done.stdout, done.stderr)
