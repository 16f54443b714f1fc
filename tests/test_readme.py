"""The README's Python example runs as written: with the embedded model (slow), and with fake models (fast).

The example is the first ```` ```python ```` block under the ``## Python API`` heading. Both tests run it
in a child process whose working directory is the test's temporary directory, so the
``Store("results.sqlite")`` it opens is a fresh file there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
HEADING = "## Python API"
#: What the fast test swaps in the example: the embedded model and the default judge, for fake ones.
EXAMINEE = ('model="local/qwen2.5-1.5b"', 'model="fake/echo"')
JUDGE = ("make_judge()", 'make_judge("fake/echo")')
#: The example prints one line per dimension, then the alignment, each with its 95% interval.
SCORE_LINE = re.compile(r"^(\w+): (\d+) \(95% interval (\d+)-(\d+), (\d+) items\)$", re.MULTILINE)
ALIGN_LINE = re.compile(r"^alignment with ([\w-]+): (\d+\.\d) \(95% interval (\d+\.\d)-(\d+\.\d)\)$", re.MULTILINE)


def readme_example(text: str) -> str:
    """The first ``python`` code block after the ``## Python API`` heading (and before the next heading)."""
    _, found, rest = text.partition(f"\n{HEADING}\n")
    assert found, f"README.md has no {HEADING!r} section"
    section = re.split(r"^## ", rest, maxsplit=1, flags=re.MULTILINE)[0]
    block = re.search(r"^```python\n(.*?)^```$", section, re.DOTALL | re.MULTILINE)
    assert block, f"the {HEADING!r} section of README.md has no ```python block"
    return block.group(1)


def run_example(code: str, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child Python in ``cwd``; a default store, if the example used one, would be there too."""
    env = {**os.environ, "VALUECOMPASS_STORE": str(cwd / "default-store.sqlite")}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def check_output(code: str, done: subprocess.CompletedProcess[str], cwd: Path) -> None:
    """The example exited cleanly, stored its run in ``cwd`` and printed its scores and an alignment."""
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert (cwd / "results.sqlite").exists()
    dimensions = re.search(r"dimensions=\(([^)]*)\)", code)
    assert dimensions, "the example names its dimensions"
    scores = SCORE_LINE.findall(done.stdout)
    assert {s[0] for s in scores} == set(re.findall(r'"(\w+)"', dimensions.group(1))), done.stdout
    for _, score, low, high, n_items in scores:
        assert 0 <= int(low) <= int(score) <= int(high) <= 100 and int(n_items) >= 1
    (profile, value, low, high), = ALIGN_LINE.findall(done.stdout)
    assert f'get_profile("{profile}")' in code and 0 <= float(low) <= float(value) <= float(high) <= 100
    assert min(int(s[1]) for s in scores) - 1 <= float(value) <= max(int(s[1]) for s in scores) + 1  # a mean


def test_the_example_block_is_found() -> None:
    code = readme_example(README.read_text(encoding="utf-8"))
    assert "evaluate_fixed_form" in code and "weighted_alignment" in code
    compile(code, "README.md", "exec")
    assert readme_example("x\n## Python API\ntext\n```python\nprint(1)\n```\n## Next\n```python\nno\n```\n") \
        == "print(1)\n"
    with pytest.raises(AssertionError, match="no ```python block"):
        readme_example("x\n## Python API\ntext\n## Next\n```python\nprint(1)\n```\n")


def test_the_example_runs_with_fake_models(tmp_path: Path) -> None:
    code = readme_example(README.read_text(encoding="utf-8"))
    for real, fake in (EXAMINEE, JUDGE):
        assert code.count(real) == 1, f"the README example no longer has {real}: update {__name__}"
        code = code.replace(real, fake)
    check_output(code, run_example(code, tmp_path, timeout=120), tmp_path)


@pytest.mark.slow
def test_the_example_runs_as_written(tmp_path: Path) -> None:
    code = readme_example(README.read_text(encoding="utf-8"))
    check_output(code, run_example(code, tmp_path, timeout=600), tmp_path)
