"""readout_diff: find what two governments' readouts of one call or meeting say differently.

>>> from readout_diff import compare
>>> c = compare("Xi stressed mutual respect. The two sides discussed trade.",
...             "The leaders discussed trade and fentanyl.", label_a="cn", label_b="us")
>>> c.gaps.only_b
('fentanyl',)

Importing the package is cheap: spaCy and the pipelines load on first use.
"""

from .batch import compare_many
from .codebook import Codebook
from .errors import CodebookError, InputError, ParameterError, ReadoutDiffError
from .model import SCHEMA, Analysis, Comparison, Readout
from .pipeline import analyze, compare
from .readers import load_readout
from .report import render
from .triangulate import compare_three
from .versions import diff_versions

__all__ = [
    "Analysis",
    "Codebook",
    "CodebookError",
    "Comparison",
    "InputError",
    "ParameterError",
    "Readout",
    "ReadoutDiffError",
    "SCHEMA",
    "analyze",
    "compare",
    "compare_many",
    "compare_three",
    "diff_versions",
    "load_readout",
    "render",
]

__version__ = "0.1.0"
