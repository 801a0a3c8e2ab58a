#!/usr/bin/env bash
# Mutation testing of the modules whose tests must be sharpest: money, attribution/,
# compliance (with _sla_judging) and scoring/. Each module is mutated by mutmut (one
# small change at a time: an operator flipped, a constant changed, a call dropped) and
# a mutant counts as killed when a test fails or times out on it.
#
# Too slow for every CI run (it is not part of .ci/run): about an hour for all four on a
# shared 2-core machine. To make that feasible, each module runs only its own test
# files (the selection below, not the whole suite), and hypothesis uses the "mutation"
# profile of tests/conftest.py (no example database, fewer examples per property).
# mutmut also runs, for each mutant, only the selected tests that reach the function it
# changed.
#
# Usage: bash benchmarks/mutation.sh [money] [attribution] [compliance] [scoring]
#        (all four by default)
#        MUTATION_ONLY="src/salesmark/scoring/fit.py src/salesmark/scoring/engagement.py" \
#            bash benchmarks/mutation.sh scoring
#        mutates only those files of the module (still judged by all of its tests): a
#        quicker look at part of a large module; its score is of those files only.
#        MUTATION_MUTANTS="$(cat survivors.txt)" bash benchmarks/mutation.sh attribution
#        runs only the mutants named (mutmut's names, globs allowed), e.g. the survivors
#        of an earlier run after tests were added; its score is of those mutants only
#        (tests only added cannot revive a mutant an earlier run killed, so the earlier
#        run's killed plus this run's give the score of the whole).
# Output: the score per module (killed or timed out / all mutants), then one JSON line:
#        {"money": 0.92, "attribution": ..., "compliance": ..., "scoring": ...}
#
# mutmut is pinned and installed in a venv of its own (MUTATION_VENV, by default
# .venv-mutation in the checkout) with the package's dependencies and test extra, but
# not salesmark itself: mutmut puts its mutated copy of src/ first on the path.
# Each module is mutated in a fresh scratch copy of the working tree (src, tests,
# pyproject.toml), removed afterwards; mutmut's verdict on every surviving mutant is
# kept in MUTATION_REPORTS (by default .mutation/ in the checkout, ignored by git): the
# list in <module>.txt, the diff of each surviving mutant in <module>.diff.
set -euo pipefail
# The whole script is one block, read before it runs: editing the file during a run (it
# takes a while) cannot change what the run does.
{
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="${MUTATION_VENV:-$here/.venv-mutation}"
mutmut_version="3.8.1"

if [ ! -x "$venv/bin/mutmut" ] || ! "$venv/bin/mutmut" --version 2>/dev/null | grep -q "$mutmut_version"; then
    python3 -m venv "$venv"
    requirements="$(
        cd "$here" && "$venv/bin/python" -c '
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["test"]))'
    )"
    # pip notes about extra local indexes that a machine lacks are noise; errors still show.
    # shellcheck disable=SC2086
    "$venv/bin/python" -m pip install --quiet "mutmut==$mutmut_version" $requirements \
        2> >(grep -v "is ignored: it is neither" >&2)
fi

# module name -> files mutated (globs as mutmut reads them) and the tests that judge them
declare -A mutate tests
mutate[money]="src/salesmark/money.py"
tests[money]="$(cd "$here" && echo tests/test_money*.py)"
mutate[attribution]="src/salesmark/attribution/*"
tests[attribution]="$(cd "$here" && echo tests/test_attribution_*.py)"
mutate[compliance]="src/salesmark/compliance.py src/salesmark/_sla_judging.py"
tests[compliance]="$(cd "$here" && echo tests/test_compliance*.py tests/test_sla*.py)"
mutate[scoring]="src/salesmark/scoring/*"
tests[scoring]="$(cd "$here" && echo tests/test_scoring_*.py)"

lines() { printf '%s\n' $1; }  # one word a line, as setup.cfg lists values

modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(money attribution compliance scoring)
reports="${MUTATION_REPORTS:-$here/.mutation}"
mkdir -p "$reports"
json=""
for module in "${modules[@]}"; do
    [ -n "${mutate[$module]:-}" ] || { echo "unknown module: $module" >&2; exit 2; }
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    tar -C "$here" -cf - src tests pyproject.toml | tar -C "$scratch" -xf -
    {
        echo "[mutmut]"
        echo "source_paths=src"
        echo "only_mutate="
        lines "${MUTATION_ONLY:-${mutate[$module]}}" | sed 's/^/    /'
        echo "pytest_add_cli_args="
        printf '    %s\n' -p no:cacheprovider -o addopts= -q
        echo "pytest_add_cli_args_test_selection="
        lines "${tests[$module]}" | sed 's/^/    /'
    } > "$scratch/setup.cfg"
    (
        cd "$scratch"
        export SALESMARK_HYPOTHESIS_PROFILE=mutation
        # shellcheck disable=SC2086  # the names are words, as mutmut reads them
        "$venv/bin/mutmut" run ${MUTATION_MUTANTS:-} > mutmut.log 2>&1 || { tail -40 mutmut.log >&2; exit 1; }
        "$venv/bin/mutmut" export-cicd-stats > /dev/null
        "$venv/bin/mutmut" results > "$reports/$module.txt" 2>&1 || true
        # the diff of every mutant not caught, to read after the scratch copy is gone
        sed -n 's/^ *\([^ :]*\): \(survived\|no tests\)$/\1/p' "$reports/$module.txt" | while read -r name; do
            "$venv/bin/mutmut" show "$name" 2>&1 || true
        done > "$reports/$module.diff"
    )
    score="$("$venv/bin/python" - "$scratch/mutants/mutmut-cicd-stats.json" <<'PY'
import json
import sys

stats = json.load(open(sys.argv[1]))
caught = stats["killed"] + stats["timeout"]
missed = stats["survived"] + stats["no_tests"] + stats["suspicious"] + stats["segfault"]
# with MUTATION_MUTANTS only the mutants named ran: the others are not checked, not missed
checked = caught + missed
print(f"{caught / checked:.4f}", stats["killed"], stats["timeout"], missed, stats["no_tests"], checked)
PY
    )"
    read -r ratio killed timeouts survived untested total <<< "$score"
    echo "$module: $ratio ($killed killed, $timeouts timed out, $survived not caught ($untested of them reached by no test) of $total mutants; listed in $reports/$module.txt)"
    json="$json${json:+, }\"$module\": $ratio"
    rm -rf "$scratch"
    trap - EXIT
done
echo "{$json}"
exit
}
