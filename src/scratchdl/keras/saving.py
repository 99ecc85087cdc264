"""Saving Keras models safely: ``model.save("model.keras")`` and ``load_model``.

A ".keras" file here is a zip holding

    metadata.json           the format's name and version
    config.json             the architecture (each layer's class and constructor
                            arguments; a functional model's graph, see graph_config)
                            and the compile settings
    weights/<i>/<name>.npy  layer i's weights, in NumPy's format
    optimizer/<key>.npy     the optimizer's step count and state (to go on training)

(Keras's own files hold the weights as HDF5; scratchdl needs no HDF5 library). A path
ending in ".h5", Keras's legacy name, gets the same zip. Loading
unpickles and evaluates nothing: classes are looked up by name in the registries of
keras.layers, losses, metrics and optimizers only. A file that is not such a zip, or that
is damaged, raises ``CorruptFileError`` naming it, and no model is returned.
"""

from __future__ import annotations

import json
import warnings
import zipfile
from pathlib import Path
from typing import IO, Any

import numpy as np

from scratchdl.io import CorruptFileError, atomic_write
from scratchdl.io.npz import parse_npy
from scratchdl.io.tree import parse_json
from scratchdl.keras import losses, metrics, optimizers
from scratchdl.keras.layers import LAYERS
from scratchdl.keras.layers.base import set_weight_arrays

FORMAT, FORMAT_VERSION = "scratchdl.keras", 1
MODEL_SUFFIXES = (".keras", ".h5")


def save_model(model: Any, filepath: str | Path, overwrite: bool = True) -> None:
    """Write ``model`` (architecture, weights, compile settings, optimizer state) to a
    ".keras" file, atomically."""
    path = Path(filepath)
    if path.suffix not in MODEL_SUFFIXES:
        raise ValueError(
            "Invalid filepath extension for saving. Please add either a `.keras` extension "
            "for the native Keras format (recommended) or a `.h5` extension. Received: "
            f"filepath={filepath}"
        )
    _check_overwrite(path, overwrite)
    config = {
        "class_name": "Functional" if getattr(model, "graph", None) else type(model).__name__,
        "config": model.get_config(),
        "compile_config": _compile_config(model),
    }
    arrays = _weight_arrays(model)
    if config["compile_config"] is not None and model.optimizer.built:
        arrays.update(
            {f"optimizer/{key}": value for key, value in model.optimizer.state_arrays().items()}
        )
    atomic_write(path, lambda file: _write_archive(file, config, arrays))


def load_model(
    filepath: str | Path, custom_objects: Any = None, compile: bool = True, safe_mode: bool = True
) -> Any:
    """The model saved in ``filepath`` by ``save``, compiled as it was (unless ``compile``
    is False), its optimizer state restored."""
    from scratchdl.keras.graph_config import functional_from_config
    from scratchdl.keras.model import Sequential

    path = Path(filepath)
    config, arrays = _read_archive(path)
    try:
        if config.get("class_name") == "Sequential":
            model = _sequential_from_config(Sequential, config["config"])
        elif config.get("class_name") == "Functional":
            model = functional_from_config(config["config"])
        else:
            raise ValueError(
                f"expected a Sequential or Functional model, found {config.get('class_name')!r}"
            )
        _load_weight_arrays(model, arrays)
        compile_config = config.get("compile_config")
        if compile and compile_config is not None:
            model.compile(
                optimizer=optimizers.get(compile_config["optimizer"]),
                loss=losses.get(compile_config["loss"]),
                metrics=[_metric_from_config(m) for m in compile_config["metrics"]],
            )
            _restore_optimizer(model, arrays)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise CorruptFileError(path, f"load_model found no valid model in it: {error}") from None
    return model


def save_weights(model: Any, filepath: str | Path, overwrite: bool = True) -> None:
    """Write the weights alone (Keras names such files ".weights.h5"; they hold the same
    zip of arrays as a ".keras" file, without the architecture)."""
    path = Path(filepath)
    _check_overwrite(path, overwrite)
    atomic_write(path, lambda file: _write_archive(file, None, _weight_arrays(model)))


def load_weights(model: Any, filepath: str | Path) -> None:
    """Copy the weights saved in ``filepath`` (by save_weights or save) into ``model``."""
    path = Path(filepath)
    _, arrays = _read_archive(path, need_config=False)
    try:
        _load_weight_arrays(model, arrays)
    except ValueError as error:
        raise CorruptFileError(path, f"load_weights cannot use its weights: {error}") from None


# ---------------------------------------------------------------------- writing
def _compile_config(model: Any) -> dict[str, Any] | None:
    """The compile settings as JSON, or None (with a warning) when there are none or one
    of them is a function of the user's own, which a file cannot name."""
    if model.optimizer is None or model.loss is None:
        return None
    try:
        return {
            "optimizer": optimizers.serialize(model.optimizer),
            "loss": losses.serialize(model.loss),
            "metrics": [
                m if isinstance(m, str) else metrics.serialize(metrics.get(m))
                for m in model.metric_identifiers
            ],
        }
    except ValueError as error:
        warnings.warn(f"save: the model is saved uncompiled: {error}", stacklevel=3)
        return None


def _weight_arrays(model: Any) -> dict[str, np.ndarray]:
    return {
        f"weights/{index}/{name}": weight.numpy()
        for index, layer in enumerate(model.layers)
        for name, weight in layer.named_weights()
    }


def _write_archive(file: IO[bytes], config: dict | None, arrays: dict[str, np.ndarray]) -> None:
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as archive:
        metadata = {"format": FORMAT, "format_version": FORMAT_VERSION}
        archive.writestr("metadata.json", json.dumps(metadata))
        if config is not None:
            archive.writestr("config.json", json.dumps(config, indent=1))
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)


def _check_overwrite(path: Path, overwrite: bool) -> None:
    if path.exists() and not overwrite:
        raise FileExistsError(f"save: {path} exists and overwrite=False")


# ---------------------------------------------------------------------- reading
def _read_archive(path: Path, need_config: bool = True) -> tuple[dict, dict[str, np.ndarray]]:
    """(config, {name: array}) from a file written by ``_write_archive``."""
    if not path.is_file():
        raise FileNotFoundError(f"load_model: no file at {path}")
    try:
        with zipfile.ZipFile(path) as archive:
            metadata = parse_json(archive.read("metadata.json"))
            if metadata.get("format") != FORMAT or metadata.get("format_version") != FORMAT_VERSION:
                raise ValueError(f"unknown format {metadata}")
            config = parse_json(archive.read("config.json")) if need_config else {}
            arrays = {
                name.removesuffix(".npy"): parse_npy(archive.read(name))
                for name in archive.namelist()
                if name.endswith(".npy")
            }
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as error:
        raise CorruptFileError(
            path,
            "it is not a model saved by scratchdl.keras, or it is damaged "
            f"({type(error).__name__}: {error})",
        ) from None
    return config, arrays


def _sequential_from_config(sequential: type, config: dict[str, Any]) -> Any:
    """A Sequential model rebuilt from its config: each layer's class looked up by name."""
    model = sequential(name=config["name"], trainable=config.get("trainable", True))
    for entry in config["layers"]:
        class_name = entry["class_name"]
        if class_name not in LAYERS:
            raise ValueError(f"unknown layer class {class_name!r}")
        model.add(LAYERS[class_name](**entry["config"]))
    first_shape = config["layers"][0].get("build_input_shape") if config["layers"] else None
    if not model.built and first_shape is not None:
        model.build(tuple(first_shape))
    return model


def _load_weight_arrays(model: Any, arrays: dict[str, np.ndarray]) -> None:
    """Copy every layer's saved weights into ``model`` after checking them all."""
    targets, values = [], []
    for index, layer in enumerate(model.layers):
        for name, weight in layer.named_weights():
            key = f"weights/{index}/{name}"
            if key not in arrays:
                raise ValueError(f"the file has no weight {key}")
            targets.append(weight)
            values.append(arrays[key])
    set_weight_arrays(targets, values, f'model "{model.name}"')


def _restore_optimizer(model: Any, arrays: dict[str, np.ndarray]) -> None:
    state = {
        key.removeprefix("optimizer/"): value
        for key, value in arrays.items()
        if key.startswith("optimizer/")
    }
    if state:
        model.optimizer.build(model.trainable_weights)
        model.optimizer.load_state_arrays(state)


def _metric_from_config(entry: Any) -> Any:
    return entry if isinstance(entry, str) else metrics.get(entry)
