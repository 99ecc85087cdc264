"""The benchmark suite behind ``python -m bench``: scratchdl against PyTorch, same process.

Modules:
    frameworks  one adapter per framework: build the model, its optimizer, train steps, predict
    measure     interleaved repeats, medians and min–max, index batches, the machine's setup
    sections    the measurements: epoch, inference, batch, width, accuracy, gemm, memory
    memory      peak RSS of one workload and framework, run in a child process
    report      the markdown tables and the PNG plots, from the JSON record
    runner      runs the chosen sections and writes bench/results/<date>.{json,md} and plots
"""

# The sections, in the order they run; named here, without importing NumPy, so that
# ``python -m bench`` can parse its options and set the BLAS threads before NumPy loads.
SECTION_NAMES = ("epoch", "inference", "batch", "width", "accuracy", "gemm", "memory")
