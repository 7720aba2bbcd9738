"""Prints the mutation score per module from `mutmut results --all true` (run by `make mutation`).

The score is the share of the tested mutants that the tests caught: killed and timed-out
mutants count as caught; skipped ones (and any not yet checked) are left out of the total.
"""

import subprocess
import sys
from collections import Counter, defaultdict

COLUMNS = ["killed", "survived", "no tests", "timeout", "suspicious", "not checked"]


def main() -> int:
    mutmut = sys.argv[1] if len(sys.argv) > 1 else "mutmut"
    output = subprocess.run(
        [mutmut, "results", "--all", "true"], check=True, capture_output=True, text=True
    ).stdout
    by_module: dict[str, Counter] = defaultdict(Counter)
    for line in output.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            by_module[name.rsplit(".", 1)[0]][status] += 1
    if not by_module:
        print("No mutation results: run `mutmut run` first.")
        return 1
    print(f"{'module':<24}" + "".join(f"{c:>12}" for c in [*COLUMNS, "total"]) + "      score")
    for module, counts in [*sorted(by_module.items()), ("all", sum(by_module.values(), Counter()))]:
        total = sum(counts.values())
        tested = total - counts["skipped"] - counts["not checked"]
        caught = counts["killed"] + counts["timeout"]
        score = f"{100 * caught / tested:.1f}%" if tested else "-"
        cells = "".join(f"{counts[c]:>12}" for c in COLUMNS) + f"{total:>12}"
        print(f"{module:<24}{cells}{score:>11}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
