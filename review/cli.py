"""The `review` command line: each command parses, calls the core, and writes the result."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import NoReturn, TypeVar

import click

from review import __version__
from review.errors import ReviewError
from review.terminal import visible


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="review")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Align, score, review and export English–Chinese translations."""
    from review.ingest.textio import release_streams

    # Standard input and FIFOs are read once into a temp file that lives as long as the command.
    ctx.call_on_close(release_streams)


def _say(line: str) -> None:
    """One diagnostic line on stderr, with any control character in it made visible."""
    click.echo(visible(line, one_line=True), err=True)


def _note(line: str) -> None:
    _say(f"review: note: {line}")


def _output(path: str | None, inputs: Iterable[str | Path | None], *, folder: bool = False) -> None:
    """Refuse an output that is one of the inputs, or a device, FIFO or folder (ExportError)."""
    from review.atomic import output_target

    if path is not None:
        output_target(path, [p for p in inputs if p is not None], folder=folder)


def _shown(path: str) -> str:
    return "standard output" if path == "-" else path


_T = TypeVar("_T")


def _progress(items: Iterable[_T], total: int, label: str) -> Iterator[_T]:
    """Yield `items` under a progress bar (count, rate, ETA) on stderr, only if it is a terminal.

    Long commands wrap their per-item loops in it; the core takes it as a `progress` callable.
    """
    if not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total, rate="–")
        for item in items:
            yield item
            speed = bar.tasks[0].speed
            bar.update(task, advance=1, rate=f"{speed:,.0f}" if speed else "–")


# Commands are added below, one function each (~25 lines: parse, call the core, write).


# Inputs and outputs are checked by the core (`review.atomic.output_target` for outputs), so a
# missing file, a folder or a device gets the one-line error, exit 1.
_FILE = click.Path()
_INPUT = click.Path()


@cli.command("report")
@click.argument("inputs", nargs=-1, type=_INPUT)
@click.option("--en", type=_INPUT, help="English document of an EN/ZH document pair.")
@click.option("--zh", type=_INPUT, help="Chinese document of an EN/ZH document pair.")
@click.option("--html", "html_out", type=_FILE, help="Write a self-contained HTML report.")
@click.option("--json", "json_out", type=_FILE, help="Write the report as JSON.")
@click.option("--csv", "csv_out", type=_FILE, help="Write one CSV row per pair.")
@click.option("--reference", type=_INPUT, help="A human translation to score the MT against.")
@click.option("--title", default="Translation quality report", show_default=True)
def report_command(
    inputs: tuple[str, ...], en: str | None, zh: str | None, html_out: str | None,
    json_out: str | None, csv_out: str | None, reference: str | None, title: str,
) -> None:
    """Report on SOURCE files or review PROJECTs: volume, divergence, findings, review, effort."""
    from review.report import build_report
    from review.report.inputs import load_inputs, load_reference

    if not inputs and en is None and zh is None:
        raise click.UsageError("give at least one SOURCE or PROJECT, or --en and --zh")
    for out in (html_out, json_out, csv_out):
        _output(out, (*inputs, en, zh, reference))
    loaded = load_inputs(inputs, en, zh)
    result = build_report(
        loaded.pairs, states=loaded.states, sources=loaded.sources, title=title,
        scorer_signature=loaded.signature, flag_threshold=loaded.flag_threshold,
        reference=load_reference(reference) if reference else None,
        reference_path=reference or "", progress=_progress,
    )
    from review.report import html, serialize, text

    for out, write in ((html_out, html.write_html), (json_out, serialize.write_json),
                       (csv_out, serialize.write_csv)):
        if out:
            write(result, out)
            _say(f"review: wrote {_shown(out)}")
    if not (html_out or json_out or csv_out):
        from rich.console import Console

        Console().print(text.render_text(result))  # its text shown through `visible`


@cli.command("open")
@click.argument("sources", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--en", type=click.Path(dir_okay=False, path_type=Path), help="English document.")
@click.option("--zh", type=click.Path(dir_okay=False, path_type=Path), help="Chinese document.")
@click.option("--project", type=click.Path(dir_okay=False, path_type=Path),
              help="Project file [default: <source>.review.sqlite in this folder].")
@click.option("--reviewer", help="Your name on decisions [default: $REVIEW_REVIEWER or login].")
@click.option("--readonly", is_flag=True, help="Look at a project without changing it.")
def open_command(sources: tuple[Path, ...], en: Path | None, zh: Path | None,
                 project: Path | None, reviewer: str | None, readonly: bool) -> None:  # fmt: skip
    """Build or reopen a review project and review it in the terminal UI.

    With no SOURCE it opens the bundled seed article.
    """
    from review.tui.launch import open_session

    session = open_session(list(sources), en=en, zh=zh, project=project, reviewer=reviewer,
                           readonly=readonly, progress=_say)  # fmt: skip
    try:
        from review.tui.app import run

        run(session)
    finally:
        session.close()
    _say(f"review: every decision is saved in {session.project_path}")


@cli.command("export")
@click.argument("project", type=_INPUT)
@click.option("--tmx", "tmx_out", type=_FILE, required=True, help="Write a TMX 1.4b file.")
@click.option("--status", "statuses", metavar="LIST",
              help="Only these statuses, e.g. accepted,corrected [default: all but rejected].")
@click.option("--include-rejected", is_flag=True, help="Export rejected pairs too.")
@click.option("--zh-lang", default="zh-CN", show_default=True, help="Chinese language tag.")
def export_command(project: str, tmx_out: str, statuses: str | None, include_rejected: bool,
                   zh_lang: str) -> None:  # fmt: skip
    """Export a review PROJECT as TMX: the signed-off Chinese, statuses, MQM tags, comments."""
    from review.export import ExportOptions, export, parse_statuses
    from review.store import ProjectStore

    wanted = parse_statuses(statuses)
    _output(tmx_out, (project,))
    with ProjectStore.open(project, readonly=True) as store:  # works while a review is open
        header = tuple((f"x-review-{key}", value) for key in ("source", "signature")
                       if (value := store.get_meta(key)))  # fmt: skip
        states = store.states()
    from review.correction import correction_findings

    options = ExportOptions(wanted, include_rejected, zh_lang, header,
                            correction_findings(states))  # fmt: skip
    count = export("tmx", states, tmx_out, options)
    _say(f"review: wrote {count} of {len(states)} pairs to {_shown(tmx_out)}")


@cli.command("score")
@click.argument("sources", nargs=-1)
@click.option("--en", help="English document of an EN/ZH document pair.")
@click.option("--zh", help="Chinese document of an EN/ZH document pair.")
@click.option("--presegmented", is_flag=True, help="Each line of --en/--zh is one sentence.")
@click.option("--parallel", is_flag=True, help="Line i of --en translates line i of --zh.")
@click.option("--glossary", help="TSV termbase: en<TAB>zh[<TAB>forbidden zh, …].")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "tsv", "text"]), default="jsonl",
              show_default=True, help="text: a table, most divergent first.")
@click.option("-o", "--output", type=click.Path(), help="Write to FILE (atomically), not stdout.")
@click.option("--jobs", type=click.IntRange(min=1),
              help="Worker processes, at most the cores [default: all cores].")  # fmt: skip
@click.option("--zh-lang", metavar="TAG",
              help="The Chinese a TMX unit holding several keeps, e.g. zh-TW [default: the first].")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="dask: score on a Dask cluster into -o OUT.jsonl or OUT.parquet (parts).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler, e.g. tcp://host:8786 [default: a local cluster].")
def score_command(
    sources: tuple[str, ...], en: str | None, zh: str | None, presegmented: bool,
    parallel: bool, glossary: str | None, fmt: str, output: str | None, jobs: int | None,
    zh_lang: str | None, engine: str, scheduler: str | None,
) -> None:
    """Align and score SOURCE files (or --en/--zh) for divergence, with findings per pair."""
    from review.batch import Counted, default_jobs, iter_input_pairs, score_dask, score_stream
    from review.lexicon import load_glossary
    from review.score import jsonl_lines, signature, text_table, tsv_lines

    if not sources and en is None and zh is None:
        raise click.UsageError("give at least one SOURCE, or --en and --zh")
    output = None if output == "-" else output
    parquet = output is not None and output.endswith(".parquet")
    _output(output, (*sources, en, zh, glossary), folder=parquet and engine == "dask")
    cores = default_jobs()
    if jobs is not None and jobs > cores:
        _note(f"--jobs {jobs} is more than the {cores} cores this process may use: using {cores}")
        jobs = cores
    terms = load_glossary(glossary) if glossary else None
    read = iter_input_pairs(sources, en, zh, presegmented=presegmented, parallel=parallel,
                            zh_lang=zh_lang, note=_note)  # fmt: skip
    # The signature is echoed once the input has been read, so bad input gives one line only.
    if engine == "dask" or scheduler:
        if output is None or fmt != "jsonl":
            raise click.UsageError("--engine dask writes -o OUT.jsonl or -o OUT.parquet")
        count = score_dask(read, output, scheduler=scheduler, glossary=terms, progress=_progress)
        _say(f"review: {signature()}")
        _say(f"review: wrote {count} pairs to {output}")
        return
    # Streamed in flat memory, in input order; only the text table needs every pair at once.
    scored = score_stream(read, jobs=jobs or cores, glossary=terms, progress=_progress)
    pairs = Counted(scored)
    if fmt == "text" and output is None:
        from rich.console import Console

        Console().print(text_table(list(pairs), caption=signature()))
        click.echo(f"review: {signature()}", err=True)
        return
    lines = jsonl_lines(pairs) if fmt == "jsonl" else tsv_lines(pairs)
    if output is None:
        sys.stdout.writelines(lines)
        click.echo(f"review: {signature()}", err=True)
        return
    from review.atomic import atomic_write

    with atomic_write(output) as handle:
        if fmt == "text":
            from rich.console import Console

            console = Console(file=handle, width=160)  # type: ignore[arg-type]
            console.print(text_table(list(pairs), caption=signature()))
        else:
            handle.writelines(lines)  # type: ignore[arg-type]
    _say(f"review: {signature()}")
    _say(f"review: wrote {pairs.count} pairs to {output}")


@cli.command("align")
@click.option("--en", required=True, help="English document.")
@click.option("--zh", required=True, help="Chinese document that translates it.")
@click.option("--presegmented", is_flag=True, help="Each line is one sentence (not re-split).")
@click.option("--format", "fmt", type=click.Choice(["beads", "tsv", "jsonl"]), default="beads",
              show_default=True, help="beads: `[en ids]:[zh ids]` per line, 0-based.")
@click.option("-o", "--output", type=_FILE, help="Write to FILE (atomically), not stdout.")
def align_command(en: str, zh: str, presegmented: bool, fmt: str, output: str | None) -> None:
    """Align the sentences of an EN document and its ZH translation."""
    import json

    from review.align import align_document
    from review.ingest import read_document_pair

    output = None if output == "-" else output
    _output(output, (en, zh))
    pairs = align_document(read_document_pair(en, zh, presegmented=presegmented))
    if fmt == "beads":
        lines = [f"[{_ids(p.en_ids)}]:[{_ids(p.zh_ids)}]\n" for p in pairs]
    elif fmt == "tsv":
        lines = [f"{_one_line(p.en)}\t{_one_line(p.zh)}\n" for p in pairs]
    else:
        lines = [json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in pairs]
    if output is None:
        sys.stdout.writelines(lines)
        return
    from review.atomic import atomic_write

    with atomic_write(output) as handle:
        handle.writelines(lines)  # type: ignore[arg-type]
    _say(f"review: wrote {len(pairs)} beads to {output}")


def _ids(ids: tuple[int, ...]) -> str:
    return ",".join(map(str, ids))


def _one_line(text: str) -> str:
    return " ".join(text.split())


_STOPPED_BY: list[int] = []
"""The signal that stopped the command (SIGTERM, SIGHUP), once one has."""


def _stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM and SIGHUP stop a command as Ctrl-C does: outputs stay whole, workers end."""
    if _STOPPED_BY:
        return  # already stopping: let the clean-up finish
    _STOPPED_BY.append(signum)
    raise KeyboardInterrupt


def _stopped() -> NoReturn:
    signum = _STOPPED_BY[0] if _STOPPED_BY else signal.SIGINT
    if signum == signal.SIGINT:
        _say("review: aborted")
    else:
        _say(f"review: stopped by {signal.Signals(signum).name}")
    sys.exit(128 + signum)


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the CLI; turn ReviewErrors into a one-line message on stderr and exit code 1."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    try:
        cli.main(args=argv, prog_name="review", standalone_mode=False)
    except ReviewError as error:
        _say(f"review: error: {error.message}")
        if error.hint:
            _say(f"review: hint: {error.hint}")
        sys.exit(1)
    except (click.exceptions.Abort, KeyboardInterrupt):
        _stopped()
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except BrokenPipeError:
        # The reader of standard output went away (`review score … | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except OSError as error:
        # Whatever the core did not foresee still gets one line naming the file.
        where = f"{error.filename}: " if error.filename else ""
        _say(f"review: error: {where}{error.strerror or error}")
        sys.exit(1)
    except MemoryError:
        _say("review: error: out of memory")
        sys.exit(1)
    sys.exit(0)
