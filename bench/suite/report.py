"""The suite's record as markdown tables (for bench/README.md) and PNG plots."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

LABELS = {"scratchdl": "scratchdl", "torch": "PyTorch", "numpy": "NumPy"}
SIDES = ("scratchdl", "torch")


def markdown(record: dict[str, Any]) -> str:
    """Every measured section of ``record`` as a markdown table with a one-line header."""
    lines = [_preamble(record["environment"])]
    sections = record["sections"]
    for name, write in WRITERS.items():
        if name in sections:
            lines += ["", *write(sections[name], sections)]
    return "\n".join(lines) + "\n"


def _preamble(env: dict[str, Any]) -> str:
    torch = "no PyTorch"
    if "torch" in env:
        torch = f"PyTorch {env['torch']} ({env['torch_threads']} threads)"
    load = ", ".join(f"{x:.2f}" for x in env["load_average"])
    return (
        f"Measured {env['time']} at commit {env['commit']}: {env['cpu']}, {env['cpus']} CPUs; "
        f"NumPy {env['numpy']} ({env['blas']}), {torch}; load average {load} at the start. "
        "Medians, min–max in brackets; ratio = scratchdl / PyTorch."
    )


def _cell(result: dict[str, Any], side: str, scale: float = 1.0, digits: int = 3) -> str:
    """'median (min–max)' of one side, times ``scale``; '—' when that side was not run."""
    if side not in result["median"]:
        return "—"
    low, mid, high = (result[k][side] * scale for k in ("min", "median", "max"))
    return f"{mid:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


def _ratio(result: dict[str, Any]) -> str:
    return "—" if result["ratio"] is None else f"{result['ratio']:.2f}"


def _header(section: dict[str, Any], title: str, how: str | None = None) -> list[str]:
    """A title, then how it was measured (by default: the repeats) and when."""
    settings = section["settings"]
    how = how or f"{settings['repeats']} repeat{'s' * (settings['repeats'] > 1)}"
    quick = ", quick (noisy, for development only)" if settings["quick"] else ""
    return [f"### {title}", "", f"{how}, measured {section['measured_at']}{quick}.", ""]


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    align = ["---"] + ["---:"] * (len(head) - 1)
    return [" | ".join(["", *cells, ""]).strip() for cells in [head, align, *rows]]


def _epoch(section: dict[str, Any], sections: dict[str, Any]) -> list[str]:
    rows, notes = [], []
    for r in section["rows"]:
        scale = r["epoch_scale"]
        steps = str(r["steps"])
        if r["steps"] < r["full_steps"]:
            steps = f"{r['steps']} of {r['full_steps']}*"
            notes = ["*timed on the first steps, scaled to the whole epoch."]
        rows.append([r["describe"], steps, *(_cell(r, s, scale) for s in SIDES), _ratio(r)])
    out = _header(section, "Training epochs (MNIST, 60,000 images)")
    out += _table(["workload", "steps", "scratchdl s", "PyTorch s", "ratio"], rows)
    differences = [r["twin_max_abs_diff"] for r in section["rows"]]
    if None not in differences:
        notes.append(
            "The PyTorch twins compute the same functions: their logits differ from "
            f"scratchdl's by at most {max(differences):.1e} (100 test images, eval mode)."
        )
    if notes:
        out += ["", *notes]
    if "gemm" in sections:
        out += ["", *_gemm_share(section, sections["gemm"]["peak_gflops"])]
    return out


def _gemm_share(section: dict[str, Any], peak: float) -> list[str]:
    """GFLOP/s each MLP epoch reaches, as a share of the machine's measured GEMM peak."""
    rows = []
    for r in section["rows"]:
        if r["gemm_flops_per_sample"] is None:
            continue
        timed_gflop = r["gemm_flops_per_sample"] * r["images"] / 1e9
        cells = []
        for side in SIDES:
            if side in r["median"]:
                rate = timed_gflop / r["median"][side]
                cells.append(f"{rate:.1f} ({rate / peak:.0%})")
            else:
                cells.append("—")
        epoch_gflop = r["gemm_flops_per_sample"] * r["epoch_images"] / 1e9
        rows.append([r["describe"], f"{epoch_gflop:.1f}", *cells])
    return [
        f"GEMM throughput of the MLP epochs (GEMM FLOPs of forward and backward / median epoch "
        f"time), as a share of the measured GEMM peak, {peak:.1f} GFLOP/s:",
        "",
        *_table(["workload", "GFLOP per epoch", "scratchdl GFLOP/s", "PyTorch GFLOP/s"], rows),
    ]


def _inference(section: dict[str, Any], sections: dict[str, Any]) -> list[str]:
    rows = [
        [r["describe"], *(_cell(r, s, 1e3, 1) for s in SIDES), _ratio(r)] for r in section["rows"]
    ]
    out = _header(
        section,
        f"Inference ({section['images']:,} test images, batch "
        f"{section['batch_size']}, eval mode, no grad)",
    )
    return out + _table(["network", "scratchdl ms", "PyTorch ms", "ratio"], rows)


def _per_step(key: str, title: str) -> Callable[[dict[str, Any], dict[str, Any]], list[str]]:
    def write(section: dict[str, Any], sections: dict[str, Any]) -> list[str]:
        rows = [
            [str(r[key]), str(r["steps"]), *(_cell(r, s, 1e3, 3) for s in SIDES), _ratio(r)]
            for r in section["rows"]
        ]
        head = [key.replace("_", " "), "steps timed", "scratchdl ms", "PyTorch ms", "ratio"]
        return _header(section, title) + _table(head, rows)

    return write


def _accuracy(section: dict[str, Any], sections: dict[str, Any]) -> list[str]:
    rows = []
    for r in section["rows"]:
        cells = []
        for side in SIDES:
            if side not in r["runs"]:
                cells.append("—")
                continue
            runs = r["runs"][side]
            steps = sorted(run["steps"] for run in runs)[len(runs) // 2]
            reached = "" if r["reached"][side] else f", missed in {_missed(runs, r['target'])}"
            runs_note = f" ({len(runs)} run{'s' * (len(runs) > 1)})" if len(runs) < 3 else ""
            cells.append(f"{_cell(r, side, 1, 1)}, {steps} steps{runs_note}{reached}")
        rows.append([r["describe"], f"{r['target']:.1%}", f"{r['eval_every']}", *cells, _ratio(r)])
    head = ["recipe", "target", "test every", "scratchdl s", "PyTorch s", "ratio"]
    out = _header(section, "Time to a test accuracy (training + evaluations, same data order)")
    return out + _table(head, rows)


def _missed(runs: list[dict[str, Any]], target: float) -> str:
    return f"{sum(run['accuracy'] < target for run in runs)} of {len(runs)} runs"


def _gemm(section: dict[str, Any], sections: dict[str, Any]) -> list[str]:
    rows = [
        [r["describe"], _shape(r), *(_cell(r, s, 1, 1) for s in ("numpy", "torch"))]
        for r in section["rows"]
    ]
    out = _header(section, "Matrix multiply throughput (float32 GFLOP/s)")
    return out + _table(["GEMM", "shape", "NumPy GFLOP/s", "PyTorch GFLOP/s"], rows)


def _shape(r: dict[str, Any]) -> str:
    m, k, n = r["shape"]
    a = f"({k}×{m})ᵀ" if r["transposed_a"] else f"{m}×{k}"
    return f"{a} @ {k}×{n}"


def _memory(section: dict[str, Any], sections: dict[str, Any]) -> list[str]:
    def cell(mib: dict[str, dict[str, float]], side: str) -> str:
        if side not in mib:
            return "—"
        return f"{mib[side]['peak_mib']:.0f} (+{mib[side]['training_mib']:.0f})"

    rows = [[r["describe"], *(cell(r["mib"], s) for s in SIDES)] for r in section["rows"]]
    title = f"Peak memory (RSS MiB; in brackets, the growth over {section['steps']} training steps)"
    how = "One child process per workload and framework, after importing it and loading MNIST"
    return _header(section, title, how) + _table(["workload", "scratchdl MiB", "PyTorch MiB"], rows)


WRITERS: dict[str, Callable[[dict[str, Any], dict[str, Any]], list[str]]] = {
    "epoch": _epoch,
    "inference": _inference,
    "batch": _per_step(
        "batch_size", "Step time against batch size (TwoLayerNet 784-100-10, SGD 0.1)"
    ),
    "width": _per_step(
        "width", "Step time against hidden width (TwoLayerNet 784-W-10, SGD 0.1, batch 128)"
    ),
    "accuracy": _accuracy,
    "gemm": _gemm,
    "memory": _memory,
}

PLOTS = {  # section -> (file stem, x key, x label, title)
    "batch": (
        "step_vs_batch",
        "batch_size",
        "batch size",
        "Training step, TwoLayerNet 784-100-10, SGD",
    ),
    "width": (
        "step_vs_width",
        "width",
        "hidden width W",
        "Training step, TwoLayerNet 784-W-10, SGD, batch 128",
    ),
}


def plots(record: dict[str, Any], folder: Path, suffix: str = "") -> list[Path]:
    """Step time against batch size and against width, both frameworks on one log-log axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    written = []
    for name, (stem, key, xlabel, title) in PLOTS.items():
        if name not in record["sections"]:
            continue
        section = record["sections"][name]
        rows = section["rows"]
        x = [r[key] for r in rows]
        fig, ax = plt.subplots(figsize=(6, 4.2))
        for side in SIDES:
            if side not in rows[0]["median"]:
                continue
            mid = [r["median"][side] * 1e3 for r in rows]
            err = [
                [m - r["min"][side] * 1e3 for m, r in zip(mid, rows, strict=True)],
                [r["max"][side] * 1e3 - m for m, r in zip(mid, rows, strict=True)],
            ]
            ax.errorbar(x, mid, yerr=err, marker="o", capsize=3, label=LABELS[side])
        ax.set(xscale="log", yscale="log", xlabel=xlabel, ylabel="ms per step (median, min–max)")
        ax.set_xticks(x, [str(v) for v in x], minor=False)
        ax.xaxis.set_minor_locator(ticker.NullLocator())
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(_tick_label))
        ax.yaxis.set_minor_formatter(ticker.FuncFormatter(_minor_tick_label))
        quick = " — quick run, noisy" if section["settings"]["quick"] else ""
        ax.set_title(f"{title}\n{section['measured_at']}{quick}", fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        fig.tight_layout()
        path = folder / f"{stem}{suffix}.png"
        fig.savefig(path, dpi=120)
        plt.close(fig)
        written.append(path)
    return written


def _tick_label(value: float, _position: int) -> str:
    """0.2 rather than matplotlib's 2×10⁻¹."""
    return f"{value:g}"


def _minor_tick_label(value: float, _position: int) -> str:
    """Label the minor ticks at 2 and 5 times a power of ten only."""
    leading = round(value / 10 ** math.floor(math.log10(value)))
    return f"{value:g}" if leading in (2, 5) else ""
