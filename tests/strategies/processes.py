"""Run a snippet of Python in fresh processes under several hash seeds (for determinism tests)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable

HASH_SEEDS = ("0", "1", "12345")
"""The PYTHONHASHSEED values the determinism tests compare."""


def outputs_under_hash_seeds(code: str, seeds: Iterable[str] = HASH_SEEDS) -> set[str]:
    """The distinct standard outputs of ``python -c code`` under each of ``seeds``.

    One output means the result does not depend on the hash seed.
    """
    return {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in seeds
    }
