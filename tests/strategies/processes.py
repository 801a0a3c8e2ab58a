"""Run a snippet of Python in fresh processes under several hash seeds (for determinism tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable

import salesmark

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


def child_env(**extra: str) -> dict[str, str]:
    """This process's environment for a child ``python``, which imports salesmark from here.

    A mutation run puts its mutated copy of the package on ``sys.path`` only, so the
    child is told where this process found salesmark; the mutant under test carries
    over (its name is in the environment), but not mutmut's call counting ("stats").
    """
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(salesmark.__file__))
    if env.get("MUTANT_UNDER_TEST") == "stats":
        del env["MUTANT_UNDER_TEST"]
    return env
