"""Scale-out adapters: path counts, each model's statistics and the funnel on Dask and Spark.

:mod:`salesmark.integrations.dask` (``pip install "salesmark[dask]"``) reads Dask
DataFrames; :mod:`salesmark.integrations.spark` (``pip install "salesmark[spark]"``)
reads Spark DataFrames. Each imports its engine inside its functions, so importing
them needs neither engine. Both give the single-process answer exactly: integer
counts, money summed as DECIMAL or integer minor units (never floats), and each
model's mergeable statistic (:mod:`salesmark.attribution.statistics`) merged on the
cluster, so the driver receives no per-path data for the Markov and rule-based models.
See ``docs/scale-out.md`` for running them on a real cluster.

Example:
    >>> import salesmark.integrations.dask, salesmark.integrations.spark
    >>> salesmark.integrations.spark.__all__[:2]
    ['funnel_counts', 'markov_statistics']
"""

from __future__ import annotations

__all__: list[str] = []
