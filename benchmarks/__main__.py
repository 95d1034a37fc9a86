"""Run the benchmarks and print their figures: `python -m benchmarks [--incidents N]`.

PostgreSQL is measured too when LAGESBILD_BENCH_POSTGRES_URL points at an empty database
(it is overwritten).
"""

from __future__ import annotations

import argparse
import os
import sys

from benchmarks import demo_generation, meeting, pages, render, reports, startup


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument(
        "--only",
        choices=["demo", "demo_generation", "pages", "reports", "meeting", "render", "startup"],
        help="run one benchmark (demo_generation is another name for demo)",
    )
    parser.add_argument(
        "--followers",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=meeting.FOLLOWERS,
        help="möte: antal följare, t.ex. 10,30",
    )
    parser.add_argument("--steps", type=int, default=meeting.STEPS, help="möte: byten av punkt")
    args = parser.parse_args()
    postgres = os.environ.get("LAGESBILD_BENCH_POSTGRES_URL")
    figures = []
    if args.only in (None, "startup"):
        figures += startup.run()
    if args.only in (None, "demo", "demo_generation"):
        figures += demo_generation.run(args.incidents, postgres)
    if args.only in (None, "pages"):
        figures += pages.run(args.incidents, postgres)
    if args.only in (None, "reports"):
        figures += reports.run(args.incidents, postgres)
    if args.only in (None, "render"):
        figures += render.run(args.incidents, postgres)
    if args.only in (None, "meeting"):
        figures += meeting.run(args.followers, args.steps)

    print()
    for figure in figures:
        print(figure.line())
    return 0 if all(f.ok is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
