"""The public surface: a small curated __all__, importable without loading spaCy."""

import subprocess
import sys

import readout_diff


def test_all_is_sorted_and_small():
    assert readout_diff.__all__ == sorted(readout_diff.__all__)
    assert 8 <= len(readout_diff.__all__) <= 20
    for name in readout_diff.__all__:
        assert hasattr(readout_diff, name), name


def test_import_does_not_load_spacy():
    code = "import sys, readout_diff; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
