"""The `review` command line: each command parses, calls the core, and writes the result."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from review import __version__
from review.errors import ReviewError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="review")
def cli() -> None:
    """Align, score, review and export English–Chinese translations."""


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


_FILE = click.Path(dir_okay=False)
# Inputs are checked by the core, so a missing file or a folder gets the one-line error, exit 1.
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
            click.echo(f"review: wrote {out}", err=True)
    if not (html_out or json_out or csv_out):
        from rich.console import Console

        Console().print(text.render_text(result))


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

    def progress(line: str) -> None:
        click.echo(line, err=True)

    session = open_session(list(sources), en=en, zh=zh, project=project, reviewer=reviewer,
                           readonly=readonly, progress=progress)  # fmt: skip
    try:
        from review.tui.app import run

        run(session)
    finally:
        session.close()
    click.echo(f"review: every decision is saved in {session.project_path}", err=True)


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
    with ProjectStore.open(project, readonly=True) as store:  # works while a review is open
        header = tuple((f"x-review-{key}", value) for key in ("source", "signature")
                       if (value := store.get_meta(key)))  # fmt: skip
        states = store.states()
    options = ExportOptions(wanted, include_rejected, zh_lang, header)
    count = export("tmx", states, tmx_out, options)
    click.echo(f"review: wrote {count} of {len(states)} pairs to {tmx_out}", err=True)


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
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes [default: all cores].")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="dask: score on a Dask cluster into -o OUT.jsonl or OUT.parquet (parts).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler, e.g. tcp://host:8786 [default: a local cluster].")
def score_command(
    sources: tuple[str, ...], en: str | None, zh: str | None, presegmented: bool,
    parallel: bool, glossary: str | None, fmt: str, output: str | None, jobs: int | None,
    engine: str, scheduler: str | None,
) -> None:
    """Align and score SOURCE files (or --en/--zh) for divergence, with findings per pair."""
    from review.batch import Counted, default_jobs, iter_input_pairs, score_dask, score_stream
    from review.lexicon import load_glossary
    from review.score import jsonl_lines, signature, text_table, tsv_lines

    if not sources and en is None and zh is None:
        raise click.UsageError("give at least one SOURCE, or --en and --zh")
    terms = load_glossary(glossary) if glossary else None
    read = iter_input_pairs(sources, en, zh, presegmented=presegmented, parallel=parallel)
    # The signature is echoed once the input has been read, so bad input gives one line only.
    if engine == "dask" or scheduler:
        if output is None or fmt != "jsonl":
            raise click.UsageError("--engine dask writes -o OUT.jsonl or -o OUT.parquet")
        count = score_dask(read, output, scheduler=scheduler, glossary=terms, progress=_progress)
        click.echo(f"review: {signature()}\nreview: wrote {count} pairs to {output}", err=True)
        return
    # Streamed in flat memory, in input order; only the text table needs every pair at once.
    scored = score_stream(read, jobs=jobs or default_jobs(), glossary=terms, progress=_progress)
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
    click.echo(f"review: {signature()}\nreview: wrote {pairs.count} pairs to {output}", err=True)


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
    click.echo(f"review: wrote {len(pairs)} beads to {output}", err=True)


def _ids(ids: tuple[int, ...]) -> str:
    return ",".join(map(str, ids))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the CLI; turn ReviewErrors into a one-line message on stderr and exit code 1."""
    try:
        cli.main(args=argv, prog_name="review", standalone_mode=False)
    except ReviewError as error:
        click.echo(f"review: error: {error.message}", err=True)
        if error.hint:
            click.echo(f"review: hint: {error.hint}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("review: aborted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    sys.exit(0)
