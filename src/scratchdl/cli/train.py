"""Train a network on MNIST or Fashion-MNIST and write the run into a folder.

    scratchdl train                                # MLP 784-512-10, Adam, 8 epochs
    scratchdl train --model twolayer --optimizer sgd --epochs 10
    scratchdl train --resume runs/mnist-mlp-20250101-120000 --epochs 8

The test set serves as the validation set, as in the book: the 'test' columns are measured
after every epoch, and early stopping (--patience) and the plateau scheduler watch the test
loss. After every epoch the run's folder receives a checkpoint, so a crash or Ctrl-C loses
at most the epoch in progress; --resume DIR continues it and ends with exactly the weights
of an uninterrupted run. The folder holds model.npz, checkpoint.npz, config.json,
history.csv, history.json, curves.png, confusion.png and misclassified.png.

On several processes, every batch of --batch-size is split across them (the same batches
as one process), rank 0 alone prints and writes the folder, and --resume works with any
number of processes:

    mpiexec -n 2 python -m mpi4py -m scratchdl train ...
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scratchdl import io
from scratchdl.cli import arguments, config, plots, run_dir
from scratchdl.cli.errors import INTERRUPTED, UserError, describe_os_error
from scratchdl.cli.job import Job
from scratchdl.cli.results import evaluate_on
from scratchdl.cli.run_dir import RunFolder
from scratchdl.cli.system import device_line
from scratchdl.cli.training import EpochTable, Printer, RunRecorder, Training, early_stopping
from scratchdl.datasets.files import TRAIN_FILES, dataset_files, find_file
from scratchdl.train import EarlyStopping, ProgressBar, TrainingDiverged

HELP = "train a network on MNIST or Fashion-MNIST (the test set is the validation set)"

RESUME_OPTIONS = ("epochs", "data_dir")
"""The settings --resume may change; the others come from the run's config.json."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``scratchdl train``. Settings default to None, meaning 'not given', so
    that --resume can tell which were given; ``config.resolve_settings`` fills them in."""
    default = config.DEFAULTS
    lrs = ", ".join(f"{name} {choice.lr:g}" for name, choice in config.OPTIMIZERS.items())
    add = parser.add_argument
    add("--dataset", choices=config.DATASETS, help=f"(default: {default['dataset']})")
    add("--model", choices=config.MODELS, help=_choices_help(config.MODELS, default["model"]))
    add(
        "--hidden",
        type=config.RULES["hidden"],
        metavar="N[,N...]",
        help="hidden layer sizes, a comma list for a deeper mlp (default: 512 for mlp, "
        "50 for twolayer)",
    )
    add(
        "--dropout",
        type=config.RULES["dropout"],
        metavar="P",
        help="dropout probability after each hidden layer (default: 0.2 for mlp)",
    )
    add(
        "--epochs",
        type=config.RULES["epochs"],
        metavar="N",
        help=f"epochs in all, counted from the start of the run (default: {default['epochs']})",
    )
    add(
        "--batch-size",
        type=config.RULES["batch_size"],
        metavar="N",
        help=f"(default: {default['batch_size']})",
    )
    add("--optimizer", choices=config.OPTIMIZERS, help=f"(default: {default['optimizer']})")
    add(
        "--lr",
        type=config.RULES["lr"],
        metavar="LR",
        help=f"learning rate (default per optimizer: {lrs})",
    )
    add(
        "--weight-decay",
        type=config.RULES["weight_decay"],
        metavar="WD",
        help="L2 penalty, decoupled for adamw (default: 0.01 for adamw, else 0)",
    )
    add(
        "--scheduler",
        choices=config.SCHEDULERS,
        help=_choices_help(config.SCHEDULERS, default["scheduler"]),
    )
    add(
        "--patience",
        type=config.RULES["patience"],
        metavar="N",
        help="stop after N epochs without a lower test loss; 0 = never (default: 0)",
    )
    add(
        "--seed",
        type=config.RULES["seed"],
        metavar="N",
        help=f"seeds initialisation, shuffling and dropout (default: {default['seed']})",
    )
    arguments.add_data_options(parser)
    arguments.add_device_option(parser)
    add(
        "--limit",
        type=config.RULES["limit"],
        metavar="N",
        help="train and test on the first N images only (for quick tests)",
    )
    add(
        "--out",
        type=arguments.path,
        metavar="DIR",
        help="folder for the run (default: runs/<dataset>-<model>-<YYYYmmdd-HHMMSS>)",
    )
    add(
        "--resume",
        type=arguments.path,
        metavar="DIR",
        help="continue the run in DIR with its saved settings, up to --epochs (default: "
        "the epochs it planned; the step and cosine schedules keep that plan)",
    )
    add(
        "--log-interval",
        type=arguments.POSITIVE_INT,
        metavar="N",
        help="also print the running loss every N batches",
    )
    add("-q", "--quiet", action="store_true", help="print only the final result")
    add("--no-plots", action="store_true", help="skip the three PNG figures")


def _choices_help(choices: Mapping[str, str], default: str) -> str:
    described = "; ".join(f"{name}: {text}" for name, text in choices.items())
    return f"{described} (default: {default})"


def run(args: argparse.Namespace) -> int:
    """Check everything (the options, the run folder, the data, that the network fits in
    memory, that the folder can be written) before training; return the exit status.
    Every rank of an MPI job checks and loads; rank 0 alone writes."""
    job = Job.start()
    started = job.rank_zero_value(time.strftime("%Y%m%d-%H%M%S"))  # one folder name for all
    training, folder, past_records = job.together(lambda: _set_up(args, started))
    settings = config.saved_settings(training.settings)
    job.on_rank_zero(lambda: run_dir.prepare(folder, settings))
    stopper = early_stopping(training.settings["patience"], past_records)
    return _train(args, job, training, folder, past_records, stopper)


def _set_up(
    args: argparse.Namespace, started: str
) -> tuple[Training, RunFolder, list[dict[str, Any]]]:
    """The training run the options describe (restored from its folder's checkpoint with
    --resume), its folder (by default named with the time ``started``) and the records of
    the epochs already done."""
    if args.resume is None:
        settings = config.resolve_settings({name: getattr(args, name) for name in config.DEFAULTS})
        folder = RunFolder(args.out or _default_out_dir(settings, started))
        run_dir.check_new_run_dir(folder.path)
    else:
        folder = RunFolder(args.resume)
        run_dir.require_folder(folder.path)
        changes = _resume_changes(args)
        run_dir.check_resumable(folder, args.epochs)
        settings = folder.settings | changes
    train_set, test_set = config.load_datasets(settings, download=not args.no_download)
    training = Training.build(settings, train_set, test_set)
    past_records = training.restore(folder) if args.resume else []
    return training, folder, past_records


def _resume_changes(args: argparse.Namespace) -> dict[str, Any]:
    """The settings a --resume changes (--epochs, --data-dir); UserError for any other
    option, since the run keeps its saved settings."""
    given = {name: getattr(args, name) for name in config.DEFAULTS}
    fixed = [name for name, value in given.items() if value is not None]
    fixed = [name for name in fixed if name not in RESUME_OPTIONS]
    if fixed:
        options = ", ".join("--" + name.replace("_", "-") for name in fixed)
        raise UserError(
            f"--resume continues a run with its saved settings; {options} cannot change "
            "(only --epochs and --data-dir can)"
        )
    return {name: given[name] for name in RESUME_OPTIONS if given[name] is not None}


def _train(
    args: argparse.Namespace,
    job: Job,
    training: Training,
    folder: RunFolder,
    past_records: list[dict[str, Any]],
    stopper: EarlyStopping | None,
) -> int:
    """Train the epochs left (none when a stopped run only lacks its model.npz), then
    write model.npz and the figures. Ctrl-C, a full disk or a diverging loss end the
    command with what the folder holds and how to go on. Ranks other than 0 stop after
    training."""
    settings, out_dir = training.settings, folder.path
    echo: Printer = print if job.is_rank_zero and not args.quiet else lambda text: None
    _print_header(echo, job, training, out_dir, past_records)
    recorder = RunRecorder(out_dir, training, past_records, stopper)
    callbacks = [ProgressBar(disable=True if args.quiet else None, leave=False), EpochTable(echo)]
    callbacks += [*([stopper] if stopper else []), recorder]  # the stopper decides first
    stopped_before = stopper is not None and stopper.stop_training
    try:
        if len(past_records) < settings["epochs"] and not stopped_before:
            training.fit(callbacks, len(past_records), args.log_interval)
        if not job.is_rank_zero:
            return 0
        io.save(training.model, out_dir / run_dir.MODEL)
        stopped = stopper.stopped_epoch if stopper else None
        records = recorder.records
        figures = [] if args.no_plots else _draw_figures(training, out_dir, records, stopped)
    except KeyboardInterrupt:
        if job.is_rank_zero:
            print(f"\ninterrupted: {RunFolder(out_dir).advice()}", file=sys.stderr)
        return INTERRUPTED
    except (OSError, TrainingDiverged) as error:
        problem = describe_os_error(error) if isinstance(error, OSError) else str(error)
        raise UserError(f"{problem}; {RunFolder(out_dir).advice()}") from None
    _print_result(settings, out_dir, records, stopped, figures)
    return 0


def _default_out_dir(settings: Mapping[str, Any], started: str) -> Path:
    return Path("runs") / f"{settings['dataset']}-{settings['model']}-{started}"


def _print_header(
    echo: Printer,
    job: Job,
    training: Training,
    out_dir: Path,
    past_records: Sequence[Mapping[str, Any]],
) -> None:
    """What is about to happen: device, data, network, optimizer, the ranks, and where
    files go."""
    settings = training.settings
    dataset = config.DATASETS[settings["dataset"]]
    folder = find_file(dataset_files(settings["dataset"]), TRAIN_FILES[0], settings["data_dir"])
    train_size, test_size = len(training.train_loader.dataset), len(training.test_loader.dataset)
    echo(device_line())
    echo(
        f"data: {dataset.files.name} in {folder.parent}: {train_size:,} training and "
        f"{test_size:,} test images (the test set is the validation set)"
    )
    echo(f"model: {config.describe_model(settings, training.model)}")
    split = f" split over {job.size} ranks" if job.size > 1 else ""
    echo(
        f"training: {type(training.optimizer).__name__} lr {settings['lr']:g}, batch "
        f"{settings['batch_size']}{split}, {settings['epochs']} epochs, scheduler "
        f"{settings['scheduler']}, seed {settings['seed']}"
    )
    if past_records:
        echo(f"resuming {out_dir} after epoch {len(past_records)} of {settings['epochs']}")
    else:
        echo(f"run folder: {out_dir}")


def _draw_figures(
    training: Training,
    out_dir: Path,
    records: Sequence[Mapping[str, Any]],
    stopped_epoch: int | None,
) -> list[str]:
    """Draw the three figures; return their file names (none, with a note, without
    matplotlib)."""
    settings = training.settings
    names = config.class_names(settings)
    dataset = config.DATASETS[settings["dataset"]].files.name
    title = f"{dataset}, {config.describe_model(settings, training.model)}"
    try:
        plots.plot_curves(records, out_dir / run_dir.CURVES, title, stopped_epoch)
        evaluation = evaluate_on(training.model, training.test_loader.dataset)
        plots.plot_confusion(evaluation, names, out_dir / run_dir.CONFUSION)
        plots.plot_misclassified(evaluation, names, out_dir / run_dir.MISCLASSIFIED)
    except ImportError as error:
        print(f"figures skipped: {error}", file=sys.stderr)
        return []
    return [run_dir.CURVES, run_dir.CONFUSION, run_dir.MISCLASSIFIED]


def _print_result(
    settings: Mapping[str, Any],
    out_dir: Path,
    records: Sequence[Mapping[str, Any]],
    stopped_epoch: int | None,
    figures: Sequence[str],
) -> None:
    """The final test accuracy and the files the run wrote (printed even with --quiet)."""
    last = records[-1]
    patience = settings["patience"]
    stop = f", stopped early: no lower test loss for {patience} epoch{'s' * (patience > 1)}"
    print(
        f"test accuracy {last['val_accuracy']:.2%}, test loss {last['val_loss']:.4f} after "
        f"epoch {last['epoch']}{stop if stopped_epoch else ''}"
    )
    files = [*run_dir.RECORDS, *figures]
    print(f"files in {out_dir}: {', '.join(files)}")
