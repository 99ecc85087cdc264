"""The README's data-parallel example runs as written, on 2 ranks."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_example_trains_on_two_ranks_and_only_rank_0_prints(mpiexec, tmp_path):
    text = README.read_text(encoding="utf-8")
    (code,) = re.findall(r"```python train_ddp\.py\n(.*?)```", text, flags=re.S)
    script = tmp_path / "train_ddp.py"
    script.write_text(code, encoding="utf-8")
    lines = mpiexec(script).stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["epoch 0", "epoch 1", "epoch 2"]
    assert float(lines[-1].split()[-1]) < float(lines[0].split()[-1])  # it learned
