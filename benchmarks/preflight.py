"""How long a run takes before it starts solving (a benchmark, not a test).

Times, on an instance directory written by `peergroups generate` (companies.csv, relations.csv,
facilitators.csv): reading and validating the inputs (`read_inputs`), the conflict analysis
the CLI prints (`analyse`) and the pre-check findings (`diagnose`), each in a fresh process
so that nothing is cached between repeats.

    python benchmarks/preflight.py /tmp/g100k            # median of 3
    python benchmarks/preflight.py /tmp/g10k --repeats 5

Prints a Markdown table: each step's median and slowest wall time, and its median CPU time
(on a shared machine the CPU time is the steadier figure).
"""

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ONE_RUN = """
import json, sys, time
from pathlib import Path
from peergroups.conflicts import analyse
from peergroups.io import read_inputs
from solver import Scenario, diagnose

folder = Path(sys.argv[1])
inputs = {name: folder / f"{name}.csv" for name in ("companies", "relations", "facilitators")}
times = {}
steps = [
    ("read_inputs", lambda: read_inputs(**{k: v for k, v in inputs.items() if v.exists()})),
    ("analyse", lambda: analyse(problem)),
    ("diagnose", lambda: diagnose(problem, Scenario.default())),
]
for step, run in steps:
    wall, cpu = time.perf_counter(), time.process_time()
    answer = run()
    times[step] = (time.perf_counter() - wall, time.process_time() - cpu)
    if step == "read_inputs":
        problem = answer.problem
times["total"] = tuple(sum(wall_cpu) for wall_cpu in zip(*times.values()))
print(json.dumps(times))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", ONE_RUN, str(args.folder)],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(args.repeats)
    ]
    print(f"{args.folder}, {args.repeats} runs (seconds; CPU: this process's time)\n")
    print("| step | wall median | wall slowest | CPU median |")
    print("|---|---:|---:|---:|")
    for step in runs[0]:
        wall = [run[step][0] for run in runs]
        cpu = [run[step][1] for run in runs]
        print(
            f"| {step} | {statistics.median(wall):.2f} | {max(wall):.2f} "
            f"| {statistics.median(cpu):.2f} |"
        )


if __name__ == "__main__":
    main()
