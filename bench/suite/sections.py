"""The suite's measurements. Each section takes the Context and returns a JSON-ready dict.

Every timing trial builds a fresh model from the repeat's seed (the same initial weights in
both frameworks), then times only the work being measured.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from bench.epoch import WORKLOADS, Workload
from bench.suite import SECTION_NAMES
from bench.suite.frameworks import SCRATCHDL, TORCH, Framework
from bench.suite.measure import (
    REPO,
    SETTLE_SECONDS,
    Data,
    batch_stream,
    epoch_batches,
    interleave,
    summarise,
    timed,
)

import scratchdl.nn as nn
from scratchdl.models import MLP, TwoLayerNet

BATCH_SIZES = (1, 8, 32, 128, 512)
WIDTHS = (64, 256, 1024, 4096)
WIDTH_BATCH = 128
INFERENCE_WORKLOADS = {"mlp512": "MLP 784-512-512-10", "cnn": "SimpleConvNet"}
DEFAULT_STEP_CAPS = {"deepcnn": 100}  # of 600: an epoch of DeepConvNet takes minutes
WARMUP_STEPS = 3
GEMM_SHAPES = (  # (what, m, k, n, a transposed): (m, k) @ (k, n), a as a transposed view
    ("square", 2048, 2048, 2048, False),
    ("MLP-512 layer 1, x·W", 128, 784, 512, False),
    ("MLP-512 layer 1, weight gradient xᵀ·g", 784, 128, 512, True),
    ("MLP-512 layer 2, x·W", 128, 512, 512, False),
    ("MLP-1000 layer 1, x·W", 100, 784, 1000, False),
    ("MLP-1000 layer 1, weight gradient xᵀ·g", 784, 100, 1000, True),
    ("TwoLayerNet layer 1, x·W", 100, 784, 100, False),
)


@dataclass(frozen=True)
class Settings:
    """How much to measure: ``quick`` shrinks everything for development."""

    repeats: int = 5
    quick: bool = False
    long: bool = False
    steps: int | None = None  # cap on the steps of an epoch (None: DEFAULT_STEP_CAPS)
    step_seconds: float = 0.5  # timed seconds per repeat for a per-step point
    gemm_seconds: float = 0.3  # timed seconds per repeat for a GEMM shape
    memory_steps: int = 50
    accuracy_target: float | None = None  # instead of each recipe's own target
    settle_seconds: float = SETTLE_SECONDS  # pause before each trial (see measure.py)

    @classmethod
    def make(cls, repeats: int | None, quick: bool, long: bool, steps: int | None) -> Settings:
        if quick:
            return cls(
                repeats=repeats or 2,
                quick=True,
                long=long,
                steps=steps or 20,
                step_seconds=0.05,
                gemm_seconds=0.05,
                memory_steps=3,
                accuracy_target=0.95,
            )
        return cls(repeats=repeats or 5, long=long, steps=steps)


@dataclass
class Context:
    """What every section needs: the settings, the frameworks to compare, MNIST."""

    settings: Settings
    frameworks: list[Framework]
    data: Data

    def trials(
        self, trial: Callable[..., Any], *args: Any, repeats: int | None = None, **kwargs: Any
    ) -> dict[str, list]:
        """``trial(framework, *args, repeat, **kwargs)`` for every framework and repeat,
        interleaved; the repeat is the seed of the initial weights (and data order).
        ``repeats`` caps ``settings.repeats``."""
        return interleave(
            min(self.settings.repeats, repeats or self.settings.repeats),
            {fw.name: functools.partial(trial, fw, *args, **kwargs) for fw in self.frameworks},
            self.settings.settle_seconds,
        )


# ------------------------------------------------------------------ shared pieces
def train_seconds(
    fw: Framework, workload: Workload, data: Data, batches: list, seed: int, *, warmup: int = 0
) -> float:
    """Seconds to train a fresh model on ``batches[warmup:]``, after untimed warm-up steps."""
    images, labels = data.train(workload.flat_input)
    model = fw.model(workload, seed)
    optimizer = fw.optimizer(workload, model)
    fw.steps(model, optimizer, images, labels, batches[:warmup])
    return timed(fw.steps, model, optimizer, images, labels, batches[warmup:])


def step_seconds(fw: Framework, workload: Workload, data: Data, batches: list, seed: int) -> float:
    """Seconds per training step, timed after WARMUP_STEPS untimed steps."""
    timed_steps = len(batches) - WARMUP_STEPS
    return train_seconds(fw, workload, data, batches, seed, warmup=WARMUP_STEPS) / timed_steps


def predict_seconds(fw: Framework, workload: Workload, images: np.ndarray, seed: int) -> float:
    """Seconds to compute a fresh model's logits for ``images``."""
    return timed(fw.predict, fw.model(workload, seed), images)


def gemm_gflops(matmul: Callable, operands: tuple, number: int, repeat: int) -> float:
    """GFLOP/s of ``number`` calls of ``matmul(a, b, out)``."""
    a, b, _ = operands
    seconds = timed(_call_repeatedly, matmul, operands, number)
    return 2 * a.shape[0] * a.shape[1] * b.shape[1] * number / seconds / 1e9


def twin_difference(ctx: Context, workload: Workload) -> float | None:
    """Largest |logit difference| between scratchdl's model and its PyTorch twin (eval mode)
    on 100 test images: a check that both frameworks run the same network."""
    if TORCH not in ctx.frameworks:
        return None
    images, _ = ctx.data.test(workload.flat_input)
    logits = [fw.predict(fw.model(workload, 0), images[:100]) for fw in (SCRATCHDL, TORCH)]
    return float(np.abs(logits[0] - logits[1]).max())


def gemm_flops_per_sample(model: nn.Module) -> int | None:
    """Multiply-add FLOPs of one sample's forward and backward through the Linear layers
    (2·in·out each for x·W, the weight gradient, and the input gradient, which the first
    layer does not need); None for a network with other weighted layers (convolutions)."""
    if any(isinstance(m, nn.Conv2d) for m in model.modules()):
        return None
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    return sum((4 if i == 0 else 6) * m.in_features * m.out_features for i, m in enumerate(linears))


def row(describe: str, values: dict[str, list[float]], **extra: Any) -> dict[str, Any]:
    """A table row: what was measured, ``extra`` fields, and the summary of ``values``."""
    return {"describe": describe, **extra, **summarise(values)}


# ------------------------------------------------------------------------ sections
def epoch(ctx: Context) -> dict[str, Any]:
    """Seconds per training epoch. A capped epoch times its first steps after WARMUP_STEPS
    untimed ones; the report scales it to the whole epoch (``epoch_scale``)."""
    rows = []
    for name, workload in WORKLOADS.items():
        images, _ = ctx.data.train(workload.flat_input)
        batches = epoch_batches(len(images), workload.batch_size, seed=0)
        full_steps = len(batches)
        steps = min(ctx.settings.steps or DEFAULT_STEP_CAPS.get(name) or full_steps, full_steps)
        warmup = WARMUP_STEPS if steps < full_steps else 0
        batches = batches[: warmup + steps]
        seconds = ctx.trials(train_seconds, workload, ctx.data, batches, warmup=warmup)
        rows.append(
            row(
                workload.describe,
                seconds,
                name=name,
                steps=steps,
                warmup_steps=warmup,
                full_steps=full_steps,
                epoch_scale=full_steps / steps,
                images=sum(len(index) for index in batches[warmup:]),  # in the timed steps
                epoch_images=len(images),
                gemm_flops_per_sample=gemm_flops_per_sample(workload.build()),
                twin_max_abs_diff=twin_difference(ctx, workload),
            )
        )
        print(f"  epoch {name}: {_brief(rows[-1])} s for {steps} steps", flush=True)
    return {"rows": rows}


def inference(ctx: Context) -> dict[str, Any]:
    """Seconds to compute the logits of the 10,000 test images (batch 1000, eval, no grad)."""
    rows = []
    for name, describe in INFERENCE_WORKLOADS.items():
        workload = WORKLOADS[name]
        images, _ = ctx.data.test(workload.flat_input)
        seconds = ctx.trials(predict_seconds, workload, images)
        rows.append(row(describe, seconds, name=name))
        print(f"  inference {name}: {_brief(rows[-1])} s", flush=True)
    return {"images": len(ctx.data.test_labels), "batch_size": 1000, "rows": rows}


def per_step(ctx: Context, workloads: dict[int, Workload], key: str) -> dict[str, Any]:
    """Seconds per training step of each workload, after warm-up steps; the number of
    timed steps is set so that a repeat takes about ``settings.step_seconds``."""
    rows = []
    for value, workload in workloads.items():
        images, _ = ctx.data.train(workload.flat_input)
        steps = _steps_for(ctx, workload, ctx.settings.step_seconds)
        stream = batch_stream(len(images), workload.batch_size, seed=0, drop_last=True)
        batches = [next(stream) for _ in range(WARMUP_STEPS + steps)]
        seconds = ctx.trials(step_seconds, workload, ctx.data, batches)
        rows.append(row(workload.describe, seconds, **{key: value, "steps": steps}))
        print(f"  {key} {value}: {_brief(rows[-1], 1e3)} ms per step", flush=True)
    return {"rows": rows}


def batch(ctx: Context) -> dict[str, Any]:
    """Per-step time of TwoLayerNet 784-100-10 (SGD 0.1) against batch size."""
    base = WORKLOADS["twolayer"]
    workloads = {
        size: replace(base, batch_size=size, describe=f"TwoLayerNet 784-100-10, batch {size}")
        for size in BATCH_SIZES
    }
    return per_step(ctx, workloads, "batch_size")


def width(ctx: Context) -> dict[str, Any]:
    """Per-step time of TwoLayerNet 784-W-10 (SGD 0.1, batch 128) against hidden width W."""
    base = WORKLOADS["twolayer"]
    workloads = {
        w: replace(
            base,
            build=functools.partial(TwoLayerNet, 784, w, 10),
            batch_size=WIDTH_BATCH,
            describe=f"TwoLayerNet 784-{w}-10, batch {WIDTH_BATCH}",
        )
        for w in WIDTHS
    }
    return per_step(ctx, workloads, "width")


@dataclass(frozen=True)
class Recipe:
    """Train until the test accuracy reaches ``target``, evaluating every ``eval_every``
    steps (evaluation time included); give up after ``max_epochs``. ``max_repeats`` caps
    the runs per framework of a recipe that takes long."""

    name: str
    workload: Workload
    target: float
    eval_every: int
    max_epochs: int
    max_repeats: int | None = None


RECIPES = (
    Recipe(
        name="mlp",
        workload=Workload(
            name="mlp",
            describe="MLP 784-512-10, Adam 1e-3, batch 128",
            build=functools.partial(MLP, [784, 512, 10]),
            optimizer="adam",
            lr=1e-3,
            batch_size=128,
            flat_input=True,
        ),
        target=0.98,
        eval_every=100,
        max_epochs=15,
    ),
)
LONG_RECIPES = (
    Recipe(
        name="deepcnn",
        workload=replace(WORKLOADS["deepcnn"], describe="DeepConvNet, Adam 1e-3, batch 100"),
        target=0.993,
        eval_every=300,
        max_epochs=20,
        max_repeats=1,  # a run takes most of an hour in scratchdl
    ),
)


def time_to_accuracy(
    fw: Framework, recipe: Recipe, data: Data, target: float, seed: int
) -> dict[str, float]:
    """Seconds, steps and test accuracy when ``fw`` first reaches ``target`` (or gives up)."""
    workload = recipe.workload
    images, labels = data.train(workload.flat_input)
    test_images, test_labels = data.test(workload.flat_input)
    max_steps = recipe.max_epochs * -(-len(labels) // workload.batch_size)
    model = fw.model(workload, seed)
    optimizer = fw.optimizer(workload, model)
    stream = batch_stream(len(labels), workload.batch_size, seed)
    steps, accuracy = 0, 0.0
    started = time.perf_counter()
    while steps < max_steps and accuracy < target:
        chunk = [next(stream) for _ in range(min(recipe.eval_every, max_steps - steps))]
        fw.steps(model, optimizer, images, labels, chunk)
        steps += len(chunk)
        accuracy = fw.accuracy(model, test_images, test_labels)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "steps": steps, "accuracy": accuracy}


def accuracy(ctx: Context) -> dict[str, Any]:
    """Wall time to reach a test accuracy (training, plus the periodic evaluations)."""
    rows = []
    for recipe in RECIPES + (LONG_RECIPES if ctx.settings.long else ()):
        target = ctx.settings.accuracy_target or recipe.target
        runs = ctx.trials(time_to_accuracy, recipe, ctx.data, target, repeats=recipe.max_repeats)
        seconds = {fw: [run["seconds"] for run in fw_runs] for fw, fw_runs in runs.items()}
        rows.append(
            row(
                recipe.workload.describe,
                seconds,
                name=recipe.name,
                target=target,
                eval_every=recipe.eval_every,
                runs=runs,
                reached={fw: all(r["accuracy"] >= target for r in rs) for fw, rs in runs.items()},
            )
        )
        print(f"  {target:.1%} {recipe.name}: {_brief(rows[-1])} s", flush=True)
    return {"rows": rows}


def gemm(ctx: Context) -> dict[str, Any]:
    """float32 matmul GFLOP/s, NumPy (scratchdl's engine) and PyTorch, at several shapes;
    the machine's peak is the highest median among them."""
    backends: dict[str, Callable] = {"numpy": np.matmul}
    if TORCH in ctx.frameworks:
        import torch

        backends["torch"] = lambda a, b, out: torch.matmul(a, b, out=out)
    rows = []
    for what, m, k, n, transposed in GEMM_SHAPES:
        rng = np.random.default_rng(0)
        a = rng.standard_normal((k, m) if transposed else (m, k), dtype=np.float32)
        a = a.T if transposed else a
        b = rng.standard_normal((k, n), dtype=np.float32)
        operands = {"numpy": (a, b, np.empty((m, n), np.float32))}
        if "torch" in backends:
            operands["torch"] = (torch.from_numpy(a), torch.from_numpy(b), torch.empty(m, n))
        number = _calls_for(backends["numpy"], operands["numpy"], ctx.settings.gemm_seconds)
        trials = {
            name: functools.partial(gemm_gflops, matmul, operands[name], number)
            for name, matmul in backends.items()
        }
        gflops = interleave(ctx.settings.repeats, trials, ctx.settings.settle_seconds)
        rows.append(row(what, gflops, shape=[m, k, n], transposed_a=transposed, calls=number))
        print(f"  gemm {m}x{k}x{n}: {_brief(rows[-1])} GFLOP/s", flush=True)
    peak = max(max(r["median"].values()) for r in rows)
    return {"rows": rows, "peak_gflops": peak}


def memory(ctx: Context) -> dict[str, Any]:
    """Peak RSS of training each epoch workload for a few steps, one child process per
    workload and framework, so each figure holds one framework only."""
    rows = []
    for name, workload in WORKLOADS.items():
        figures = {
            fw.name: _child_memory(name, fw.name, ctx.settings.memory_steps, ctx.data.root)
            for fw in ctx.frameworks
        }
        rows.append({"name": name, "describe": workload.describe, "mib": figures})
        summary = ", ".join(f"{fw} {f['peak_mib']:.0f}" for fw, f in figures.items())
        print(f"  memory {name}: peak MiB {summary}", flush=True)
    return {"steps": ctx.settings.memory_steps, "rows": rows}


SECTIONS: dict[str, Callable[[Context], dict[str, Any]]] = dict(
    zip(SECTION_NAMES, (epoch, inference, batch, width, accuracy, gemm, memory), strict=True)
)


# ------------------------------------------------------------------------ helpers
def _brief(result: dict[str, Any], scale: float = 1.0) -> str:
    return ", ".join(f"{fw} {m * scale:.4g}" for fw, m in result["median"].items())


def _steps_for(ctx: Context, workload: Workload, seconds: float) -> int:
    """Steps that take about ``seconds`` in scratchdl, from a short untimed trial run."""
    images, _ = ctx.data.train(workload.flat_input)
    probe = epoch_batches(len(images), workload.batch_size, seed=0, drop_last=True)[:8]
    per_step = step_seconds(SCRATCHDL, workload, ctx.data, probe, 0)
    return int(np.clip(round(seconds / per_step), 5, 5000))


def _calls_for(function: Callable, operands: tuple, seconds: float) -> int:
    """Calls of ``function(*operands)`` that take about ``seconds``."""
    function(*operands)
    return max(1, round(seconds / timed(function, *operands)))


def _call_repeatedly(function: Callable, operands: tuple, number: int) -> None:
    for _ in range(number):
        function(*operands)


def _child_memory(workload: str, framework: str, steps: int, root: str | None) -> dict:
    """Run bench.suite.memory in a child process and read its JSON line."""
    command = [sys.executable, "-m", "bench.suite.memory", workload, framework, str(steps)]
    command += [root] if root else []
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command[1:])} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
