"""Run the chosen sections, then write the JSON record, the markdown tables and the plots."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

from bench.suite import report
from bench.suite.frameworks import TORCH, available
from bench.suite.measure import Data, environment, load_average, peak_rss_mib
from bench.suite.sections import SECTIONS, Context, Settings


def run(args: argparse.Namespace, threads: int) -> None:
    """Measure ``args.only`` (every section by default) and write the results.

    Results go to ``<out>/<date>.json`` and ``.md`` (``<date>-quick`` for ``--quick``); a
    section run again the same day replaces its earlier figures, the others are kept.
    """
    frameworks = available(use_torch=not args.no_torch)
    if TORCH in frameworks:
        import torch

        torch.set_num_threads(threads)
    settings = Settings.make(args.repeats, args.quick, args.long, args.steps)
    context = Context(settings, frameworks, Data.load(args.data_dir))
    stem = date.today().isoformat() + ("-quick" if args.quick else "")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / f"{stem}.json"
    record = json.loads(json_path.read_text()) if json_path.exists() else {"sections": {}}
    record["environment"] = environment(TORCH in frameworks)

    for name in args.only or SECTIONS:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        result = SECTIONS[name](context)
        result.update(
            measured_at=datetime.now().isoformat(timespec="minutes"),
            wall_seconds=round(time.perf_counter() - started, 1),
            load_average_after=load_average(),
            settings=asdict(settings),
        )
        record["sections"][name] = result
        json_path.write_text(json.dumps(record, indent=1))  # keep what is done, if stopped

    record["environment"]["suite_peak_rss_mib"] = peak_rss_mib()
    json_path.write_text(json.dumps(record, indent=1))
    table = report.markdown(record)
    (out / f"{stem}.md").write_text(table)
    written = report.plots(record, out, "-quick" if args.quick else "")
    print(f"\n{table}")
    print("wrote", ", ".join(str(p) for p in [json_path, out / f"{stem}.md", *written]))
