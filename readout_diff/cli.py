"""The ``readout-diff`` command: a thin layer over the public functions.

Library errors become one line on stderr and exit status 1; bad usage exits 2 (typer/click);
nothing prints a traceback. Each command reads its inputs with :func:`load_readout`, calls one
library function and renders with :func:`readout_diff.report.render`.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from enum import Enum
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from .errors import ReadoutDiffError
from .readers import DEFAULT_MAX_BYTES

app = typer.Typer(
    name="readout-diff",
    help="Compare two governments' readouts of the same call or meeting.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class Format(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    html = "html"


class Lang(str, Enum):
    auto = "auto"
    en = "en"
    zh = "zh"


def _fail(message: str, code: int = 1) -> "typer.Exit":
    typer.echo(f"readout-diff: error: {message}", err=True)
    return typer.Exit(code)


@contextlib.contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    """Warnings raised inside the block go to stderr, one line each, once it has finished (none
    when it fails: the error is the one line then)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        typer.echo(f"readout-diff: warning: {w.message}", err=True)


def _codebook(path: Optional[Path]):
    from .codebook import Codebook

    return Codebook.load(path) if path else None


def _emit(text: str, output: Optional[Path], inputs: list[Path]) -> None:
    from .output import write_atomic

    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text, inputs=inputs)


CodebookOpt = typer.Option(None, "--codebook", help="A codebook TOML file (default: the shipped US–China one).")
FormulasOpt = typer.Option(None, "--formulas", help="A formulas lexicon TOML file (default: the shipped one; docs/signals.md).")
BackgroundOpt = typer.Option(None, "--background", help="A folder of earlier readouts: the prior of the emphasis statistics.")
OutputOpt = typer.Option(None, "--output", "-o", help="Write here (atomically) instead of stdout.")
LangOpt = typer.Option(Lang.auto, "--lang", help="Language of the readouts: auto-detect, en or zh.")
LinkerOpt = typer.Option(None, "--linker", help="A linker file made by train-linker (default: the shipped one).")
RuleAlignerOpt = typer.Option(False, "--rule-aligner", help="Link sentences by the plain score rule, without a learned linker.")
MaxBytesOpt = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Largest readout read, in bytes (and characters); a larger one is an error (docs/limits.md).")


def _linker_choice(linker: Optional[Path], rule_aligner: bool) -> "Path | str | None":
    """--rule-aligner → None (the rule); --linker FILE → that file; neither → the shipped one."""
    if rule_aligner and linker is not None:
        raise typer.BadParameter("give --linker or --rule-aligner, not both")
    return None if rule_aligner else (linker if linker is not None else "default")


@app.command()
def analyze(
    file: Path = typer.Argument(..., help="A readout file (.txt, .md, .html, .json)."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    codebook: Optional[Path] = CodebookOpt,
    lang: Lang = LangOpt,
    output: Optional[Path] = OutputOpt,
    formulas: Optional[Path] = FormulasOpt,
    max_bytes: int = MaxBytesOpt,
) -> None:
    """Analyse one readout: topics, negated topics, frames, speakers, commitments, signals."""
    from .pipeline import analyze as run
    from .readers import load_readout
    from .report import render

    with _warnings_to_stderr():
        result = run(load_readout(file, max_bytes=max_bytes), codebook=_codebook(codebook),
                     lang=lang.value, lexicon=_lexicon(formulas), max_chars=max_bytes)
    _emit(render(result, format.value), output, [file])


@app.command()
def compare(
    a: Path = typer.Argument(..., help="Readout of side a (e.g. the Chinese readout)."),
    b: Path = typer.Argument(..., help="Readout of side b (e.g. the US readout)."),
    c: Optional[Path] = typer.Argument(None, help="Three witnesses: a is the original, b its translation, c the other side's readout."),
    label_a: Optional[str] = typer.Option(None, "--label-a", help="Label of side a (default: file stem)."),
    label_b: Optional[str] = typer.Option(None, "--label-b", help="Label of side b (default: file stem)."),
    label_c: Optional[str] = typer.Option(None, "--label-c", help="Label of readout c (default: file stem)."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    codebook: Optional[Path] = CodebookOpt,
    lang: Lang = LangOpt,
    output: Optional[Path] = OutputOpt,
    formulas: Optional[Path] = FormulasOpt,
    background: Optional[Path] = BackgroundOpt,
    max_bytes: int = MaxBytesOpt,
    linker: Optional[Path] = LinkerOpt,
    rule_aligner: bool = RuleAlignerOpt,
) -> None:
    """Compare two readouts of one event: gaps, aligned sentences, scores, signals.

    With three readouts (A B C), separate translation drift (A↔B) from disagreement (B↔C).
    """
    from .pipeline import compare as run
    from .readers import load_readout
    from .report import render

    inputs = [a, b] + ([c] if c is not None else [])
    with _warnings_to_stderr():
        cb, lex = _codebook(codebook), _lexicon(formulas)
        bg = _background(background, cb, lang.value, inputs)
        chosen = _linker_choice(linker, rule_aligner)
        if c is None:
            result = run(load_readout(a, max_bytes=max_bytes), load_readout(b, max_bytes=max_bytes),
                         label_a=label_a, label_b=label_b, codebook=cb, lang=lang.value,
                         lexicon=lex, background=bg, max_chars=max_bytes, linker=chosen)
        else:
            from .triangulate import compare_three

            ra, rb, rc = (load_readout(p, label=x, max_bytes=max_bytes)
                          for p, x in zip(inputs, (label_a, label_b, label_c)))
            result = compare_three(ra, rb, rc, codebook=cb, lang=lang.value, lexicon=lex,
                                   background=bg, linker=chosen, max_chars=max_bytes)
    _emit(render(result, format.value), output, inputs)


@app.command("train-linker")
def train_linker_cmd(
    corpora: List[Path] = typer.Argument(..., metavar="CORPUS...", help="Folders of annotated pairs (corpora/README.md) with gold alignments."),
    output: Path = typer.Option(..., "--output", "-o", help="The linker file to write (JSON)."),
    exclude: List[str] = typer.Option(["heldout"], "--exclude", help="Leave out pair folders below a folder of this name (repeatable)."),
    candidate_threshold: float = typer.Option(0.20, "--candidate-threshold", min=0.01, max=1.0, help="Least rule score of a candidate pair."),
    candidate_top_k: int = typer.Option(2, "--candidate-top-k", min=1, help="Candidates per sentence, by rule score."),
    codebook: Optional[Path] = CodebookOpt,
) -> None:
    """Train the sentence linker on gold alignments; print its cross-validated link P/R/F1."""
    from .linker_training import examples_from_corpus, train_linker
    from .output import refuse_inputs

    refuse_inputs(output, corpora)
    with _warnings_to_stderr():
        examples = examples_from_corpus(corpora, exclude=tuple(exclude), codebook=_codebook(codebook))
    linker, report = train_linker(examples, candidate_threshold=candidate_threshold,
                                  candidate_top_k=candidate_top_k,
                                  provenance={"corpus": [str(p) for p in corpora],
                                              "exclude": list(exclude)})
    linker.save(output)
    cv = report.cross_validated
    typer.echo(f"{report.pairs} pairs, {report.gold_links} gold links, {report.candidates} "
               f"candidates ({report.gold_in_candidates} of them gold)")
    typer.echo(f"leave-one-pair-out at cut-off {report.cutoff:g}: precision {cv.precision:.3f} "
               f"recall {cv.recall:.3f} F1 {cv.f1:.3f}")
    for kind, r in report.by_kind.items():
        typer.echo(f"  pairs in {kind}: precision {r.precision:.3f} recall {r.recall:.3f} "
                   f"F1 {r.f1:.3f} ({r.support} gold links)")
    typer.echo(f"wrote {output}")


@app.command("codebook")
def codebook_cmd(
    codebook: Optional[Path] = CodebookOpt,
) -> None:
    """List the codebook's topic and frame ids, labels and pattern counts."""
    from .codebook import Codebook

    with _warnings_to_stderr():
        cb = Codebook.load(codebook) if codebook else Codebook.default()
    langs = cb.languages()
    typer.echo(f"{cb.name} {cb.version} ({cb.source})")
    header = f"{'kind':<6} {'id':<22} {'label':<40} " + " ".join(f"{l:>4}" for l in langs)
    typer.echo(header)
    for e in cb.entries:
        counts = []
        for lang in langs:
            r = e.rules.get(lang)
            counts.append(len(r.phrases) + len(r.contextual) + len(r.patterns) if r else 0)
        flag = " (future)" if e.future else ""
        typer.echo(f"{e.kind:<6} {e.id:<22} {(e.label + flag)[:40]:<40} "
                   + " ".join(f"{n:>4}" for n in counts))
    typer.echo(f"{len(cb.topics)} topics, {len(cb.frames)} frames, {len(cb.actors)} actors")


def _lexicon(path: Optional[Path]):
    from .formulas import Lexicon

    return Lexicon.load(path) if path else None


def _background(folder: Optional[Path], codebook, lang: str, inputs: list[Path]):
    if folder is None:
        return None
    from .emphasis import load_background

    return load_background(folder, codebook=codebook, lang=lang, exclude=tuple(inputs))


@app.command()
def versions(
    old: Path = typer.Argument(..., help="The earlier version of a readout."),
    new: Path = typer.Argument(..., help="The later version of the same readout."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="Output format (text, markdown or json)."),
    codebook: Optional[Path] = CodebookOpt,
    lang: Lang = LangOpt,
    output: Optional[Path] = OutputOpt,
    formulas: Optional[Path] = FormulasOpt,
    similarity: float = typer.Option(0.6, "--similarity", help="Least similarity (0–1) for an edited sentence to count as changed."),
    max_bytes: int = MaxBytesOpt,
) -> None:
    """Compare two versions of one readout: sentences added, removed, changed, moved."""
    from .readers import load_readout
    from .report import render
    from .versions import diff_versions

    with _warnings_to_stderr():
        result = diff_versions(load_readout(old, max_bytes=max_bytes),
                               load_readout(new, max_bytes=max_bytes), codebook=_codebook(codebook),
                               lang=lang.value, lexicon=_lexicon(formulas), similarity=similarity,
                               max_chars=max_bytes)
    _emit(render(result, format.value), output, [old, new])


@app.command()
def report(
    results: Path = typer.Argument(..., help="A batch output file (JSONL: one comparison or error record per line)."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder to write the site into (created if missing)."),
    title: str = typer.Option("readout-diff: batch report", "--title", help="Title of the index page."),
    chart: bool = typer.Option(True, "--chart/--no-chart", help="Draw the timeline (needs matplotlib)."),
) -> None:
    """Build an HTML site over a batch: a sortable index of pairs, one page per pair, a timeline."""
    from .site import build_site

    result = build_site(results, output, chart=chart, title=title)
    for note in result.notes:
        typer.echo(f"readout-diff: note: {note}", err=True)
    typer.echo(f"wrote {result.index} ({result.n_pairs} pair page(s), {result.n_failed} failed"
               f"{', timeline ' + str(result.chart) if result.chart else ''})", err=True)


@app.command()
def batch(
    inputs: List[Path] = typer.Argument(..., metavar="INPUT...",
                                        help="Folders of event folders, event folders, or "
                                             "manifests (.csv/.jsonl with id, a, b)."),
    output: Path = typer.Option(..., "--output", "-o", help="The JSONL file of records."),
    resume: bool = typer.Option(False, "--resume", help="Keep the records already in the output "
                                                        "and compare only the missing pairs."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                          help="Worker processes (default: the cores)."),
    engine: str = typer.Option("local", "--engine", help="Where to run: local or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                            help="A Dask scheduler (default: a LocalCluster)."),
    chunk_size: Optional[int] = typer.Option(None, "--chunk-size", min=1,
                                             help="Pairs per task (default: automatic)."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Progress bar on stderr (default: when a terminal)."),
    codebook: Optional[Path] = CodebookOpt,
    lang: Lang = LangOpt,
    linker: Optional[Path] = LinkerOpt,
    rule_aligner: bool = RuleAlignerOpt,
) -> None:
    """Compare every pair of many inputs into a JSONL file, in parallel; resumable.

    Exit status 0 when every pair succeeded, 1 when any failed, 128+signal when interrupted.
    """
    import signal
    import threading

    from .batch import run_batch

    stop = threading.Event()
    received: list[int] = []

    def on_signal(signum: int, frame: object) -> None:  # only a flag: records stay whole
        received.append(signum)
        stop.set()

    handled = (signal.SIGINT, signal.SIGTERM)
    previous = {s: signal.signal(s, on_signal) for s in handled}
    try:
        report = run_batch(inputs, output, resume=resume, workers=workers, engine=engine,
                           scheduler=scheduler, codebook=codebook, lang=lang.value,
                           chunk_size=chunk_size, progress=progress, stop=stop,
                           linker=_linker_choice(linker, rule_aligner))
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
    typer.echo(f"readout-diff: {report.summary()}", err=True)
    if report.interrupted:
        raise typer.Exit(128 + (received[0] if received else signal.SIGINT))
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def summarize(
    results: Path = typer.Argument(..., help="A batch output (JSONL)."),
    csv: Optional[Path] = typer.Option(None, "--csv", help="Also write the table of pairs here."),
    top: int = typer.Option(5, "--top", min=1, help="Topics listed per side in the totals."),
) -> None:
    """A table of a batch's pairs and which topics each side leaves out most often."""
    from .summary import render_summary, summarize_results, write_csv

    summary = summarize_results(results)
    if csv is not None:
        write_csv(summary, csv, inputs=[results])
    sys.stdout.write(render_summary(summary, top=top))


def main(argv: Optional[List[str]] = None) -> None:
    """Entry point of the console script: every error is one line on stderr, never a traceback;
    exit 1 for bad input (library errors), 2 for bad usage (click's), 130 when interrupted."""
    clicks = _clicks()
    try:
        code = app(args=argv, standalone_mode=False)
    except _errors(clicks, "NoArgsIsHelpError") as exc:  # no arguments at all: the help
        if exc.format_message().strip():  # (typer has printed it already)
            typer.echo(exc.format_message(), err=True)
        raise SystemExit(2) from None
    except _errors(clicks, "UsageError") as exc:
        where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else " (see --help)"
        raise SystemExit(_fail(_one_line(exc.format_message()) + where, 2).exit_code) from None
    except _errors(clicks, "ClickException") as exc:
        raise SystemExit(_fail(_one_line(exc.format_message()), exc.exit_code).exit_code) from None
    except _errors(clicks, "Abort"):
        typer.echo("readout-diff: interrupted", err=True)
        raise SystemExit(130) from None
    except ReadoutDiffError as exc:
        raise SystemExit(_fail(_one_line(str(exc))).exit_code) from None
    except KeyboardInterrupt:
        typer.echo("readout-diff: interrupted", err=True)
        raise SystemExit(130) from None
    except (BrokenPipeError, SystemExit):
        raise
    except Exception as exc:  # never a traceback for users; the message says what failed
        typer.echo(f"readout-diff: internal error: {type(exc).__name__}: {_one_line(str(exc))}",
                   err=True)
        raise SystemExit(1) from None
    raise SystemExit(code if isinstance(code, int) else 0)


def _clicks() -> list:
    """The click modules whose exceptions typer may raise: recent typer vendors its own copy."""
    import importlib

    found = []
    for name in ("typer._click", "click"):
        try:
            found.append(importlib.import_module(name))
        except ImportError:
            pass
    return found


def _errors(clicks: list, name: str) -> tuple[type, ...]:
    return tuple(getattr(m.exceptions, name) for m in clicks if hasattr(m.exceptions, name))


def _one_line(message: str) -> str:
    """A message on one line (spaCy's and pydantic's span several)."""
    return " ".join(message.split())
