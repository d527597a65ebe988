"""The `kidney-nav` command: every face renders the same result objects as text or --json."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from kidney_navigator.answers.compose import Composer, QuestionError
from kidney_navigator.answers.models import Answer
from kidney_navigator.knowledge.loader import Pack, PackError
from kidney_navigator.profile.models import Profile
from kidney_navigator.storage.profiles import ProfileStore
from kidney_navigator.trials.cli import trials_app

app = typer.Typer(help="Kidney Cancer Navigator: cited, plain-language help for metastatic kidney cancer.",
                  no_args_is_help=True, add_completion=False)
library_app = typer.Typer(help="Your own documents (PDF, HTML, Markdown, text), searched alongside the pack.",
                          no_args_is_help=True)
pack_app = typer.Typer(help="The bundled knowledge pack.", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluations (run with no sub-command for Ask).", invoke_without_command=True)
app.add_typer(library_app, name="library")
app.add_typer(pack_app, name="pack")
app.add_typer(eval_app, name="eval")
app.add_typer(trials_app, name="trials")


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def _load_composer() -> Composer:
    from kidney_navigator.services import composer

    try:
        return composer()
    except PackError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(3) from exc


def render_answer(answer: Answer) -> str:
    """A readable terminal rendering: urgent banner first, then sections with numbered sources."""
    width = 88
    out: list[str] = []
    if answer.urgent:
        out += ["!" * width, "URGENT", *textwrap.wrap(answer.urgent.message, width), "!" * width, ""]
    numbers = {s.id: i for i, s in enumerate(answer.sources, start=1)}
    for section in answer.sections:
        marks = "".join(f"[{numbers[c]}]" for c in section.citations if c in numbers)
        out.append(section.title.upper())
        if section.title.startswith("Questions"):
            out += [f"  - {q.strip()}?" for q in section.text.split("?") if q.strip()]
        else:
            out += textwrap.wrap(section.text + (" " + marks if marks else ""), width)
        out.append("")
    if answer.sources:
        out.append("SOURCES")
        for s in answer.sources:
            out += textwrap.wrap(f"[{numbers[s.id]}] {s.title}. {s.publisher}. {s.url} (checked {s.reviewed})",
                                 width, subsequent_indent="    ")
        out.append("")
    out += textwrap.wrap(answer.disclaimer, width)
    return "\n".join(out)


def _saved_profile(name: str, pack: Pack) -> Profile:
    """A saved profile rebuilt from its facts; a clear error when there is none (and no database is created)."""
    import datetime as dt

    from kidney_navigator.profile.build import build_profile
    from kidney_navigator.storage.db import data_dir

    hint = f"no saved profile named {name!r}; save one with: kidney-nav profile FILE... --save {name}"
    if not (data_dir() / "navigator.db").exists():
        _fail(hint)
    try:
        facts, as_of = _profile_store().load(name)
    except KeyError:
        _fail(hint)
    return build_profile(facts, pack, dt.date.fromisoformat(as_of) if as_of else None)


def _tailor(name: str | None, pack: Pack) -> Callable[[Answer], Answer]:
    """Identity without a profile; with one, add the 'For you' sections (triage results stay unchanged)."""
    if name is None:
        return lambda answer: answer
    from kidney_navigator.answers.personalise import personalise
    from kidney_navigator.options.engine import build_options

    profile = _saved_profile(name, pack)
    options = build_options(profile, pack)
    return lambda answer: personalise(answer, profile, options, pack)


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="Your question, in your own words.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON contract.")] = False,
    batch: Annotated[Path | None, typer.Option("--batch", help="Answer one question per line of FILE.")] = None,
    profile_name: Annotated[str | None, typer.Option("--profile", help="Tailor with a saved profile (NAME).")]
    = None,
) -> None:
    """Answer a question from the cited knowledge pack (and your own documents)."""
    composer = _load_composer()
    tailor = _tailor(profile_name, composer.pack)
    if batch is not None:
        try:
            lines = batch.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"cannot read {batch}: {exc}")
        failed = 0
        for line in lines:
            if not line.strip():
                continue
            try:
                payload = tailor(composer.answer(line)).contract()
            except QuestionError as exc:
                failed += 1
                payload = {"question": line[:200], "error": {"code": "bad_question", "message": str(exc)}}
            typer.echo(json.dumps(payload, ensure_ascii=False))
        raise typer.Exit(1 if failed else 0)
    if question is None:
        _fail("give a question, e.g. kidney-nav ask \"What does IMDC intermediate mean?\"", 2)
    try:
        answer = tailor(composer.answer(question or ""))
    except QuestionError as exc:
        _fail(str(exc), 2)
    typer.echo(json.dumps(answer.contract(), ensure_ascii=False, indent=2) if as_json else render_answer(answer))


@library_app.command("add")
def library_add(files: Annotated[list[Path], typer.Argument(help="PDF, HTML, Markdown or text files.")]) -> None:
    """Add your own documents; answers will cite them by title and page. All files are added, or none."""
    from kidney_navigator.records.readers import ReadError
    from kidney_navigator.services import open_library

    try:
        _load_composer()
        library = open_library(create=True)
        assert library is not None
        docs = library.add(files)
    except ReadError as exc:
        _fail(str(exc))
    for doc in docs:
        typer.echo(f"added #{doc.id}: {doc.title} ({doc.kind}, {doc.pages} page{'s' if doc.pages != 1 else ''})")


@library_app.command("list")
def library_list() -> None:
    """List the documents in your library."""
    from kidney_navigator.services import open_library

    library = open_library()
    docs = library.documents() if library else []
    if not docs:
        typer.echo("Your library is empty. Add files with: kidney-nav library add FILE...")
    for doc in docs:
        typer.echo(f"#{doc.id}  {doc.title}  ({doc.filename}, {doc.kind}, {doc.pages} pages, added {doc.added})")


@library_app.command("remove")
def library_remove(doc_id: int) -> None:
    """Remove a document and every passage taken from it."""
    from kidney_navigator.services import open_library

    library = open_library()
    if library is None or not library.remove(doc_id):
        _fail(f"no document #{doc_id} in your library")
    typer.echo(f"removed #{doc_id}")


@pack_app.command("check")
def pack_check() -> None:
    """Validate the pack and report readability per topic."""
    import textstat

    from kidney_navigator.knowledge.loader import load_pack

    try:
        pack = load_pack()
    except PackError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    grades = []
    for topic in pack.topics.values():
        text = " ".join(s.text for s in topic.statements())
        grade = float(textstat.flesch_kincaid_grade(text))
        grades.append(grade)
        if grade > 8:
            typer.echo(f"readability: {topic.id} grade {grade:.1f} (> 8)")
    for warning in pack.warnings:
        typer.echo(f"warning: {warning}")
    statements = sum(len(t.statements()) for t in pack.topics.values())
    typer.echo(f"pack ok: {len(pack.sources)} sources, {len(pack.topics)} topics, {statements} statements, "
               f"{len(pack.drugs)} drugs, {len(pack.lexicon)} lexicon entries, "
               f"{len(pack.safety.red_flags)} red flags")


@eval_app.callback()
def eval_ask(
    ctx: typer.Context,
    questions: Annotated[Path, typer.Option(help="A question file or folder.")] = Path("eval/questions"),
    show_failures: Annotated[bool, typer.Option("--failures", help="List every miss.")] = False,
) -> None:
    """Evaluate Ask on the question set and print the metrics."""
    if ctx.invoked_subcommand is not None:
        return
    from kidney_navigator.evaluation.ask_eval import evaluate, load_questions

    if not questions.exists():
        _fail(f"{questions} not found (run from the repository root or pass --questions)")
    report = evaluate(_load_composer(), load_questions(questions))
    for line in report.lines():
        typer.echo(line)
    if show_failures:
        for failure in report.failures:
            typer.echo(failure)


def _profile_store() -> ProfileStore:
    from kidney_navigator.storage.db import connect

    return ProfileStore(connect())


@app.command(context_settings={"allow_extra_args": False})
def profile(
    files: Annotated[list[str], typer.Argument(help="Record files (text, PDF, FHIR JSON, C-CDA XML); or: "
                                               "edit NAME field=value... | show NAME")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON contract.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Fix 'today' (YYYY-MM-DD).")] = None,
    save: Annotated[str | None, typer.Option("--save", help="Save the profile under this name.")] = None,
) -> None:
    """Read your records into a profile with the evidence for every fact, IMDC and MSKCC risk."""
    import datetime as dt

    from kidney_navigator.profile.build import build_profile
    from kidney_navigator.profile.corrections import CorrectionError, parse_correction
    from kidney_navigator.records.load import read_records
    from kidney_navigator.records.readers import ReadError

    pack = _load_composer().pack
    try:
        today = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        _fail(f"--as-of must be a date like 2025-06-01, not {as_of!r}", 2)
    if files and files[0] in ("edit", "show"):
        if len(files) < 2:
            _fail(f"usage: kidney-nav profile {files[0]} NAME" + (" field=value..." if files[0] == "edit" else ""), 2)
        store = _profile_store()
        name = files[1]
        try:
            if files[0] == "edit":
                if len(files) < 3:
                    _fail("give at least one correction, e.g. kidney-nav profile edit dad histology=papillary", 2)
                corrections = [parse_correction(a) for a in files[2:]]
                for fact in corrections:
                    store.add_correction(name, fact)
            facts, stored_as_of = store.load(name)
        except KeyError:
            _fail(f"no saved profile named {name!r}; save one with: kidney-nav profile FILE... --save {name}")
        except CorrectionError as exc:
            _fail(str(exc), 2)
        result = build_profile(facts, pack, today or (dt.date.fromisoformat(stored_as_of) if stored_as_of else None))
    else:
        facts = []
        try:
            for record in read_records([Path(path) for path in files], pack):
                facts += record.facts
                for warning in record.warnings:
                    typer.echo(f"warning: {warning}", err=True)
        except ReadError as exc:
            _fail(str(exc))
        result = build_profile(facts, pack, today)
        if save:
            store = _profile_store()
            store.save(save, facts, [str(Path(p).resolve()) for p in files], result.as_of)
            stored, _ = store.load(save)
            result = build_profile(stored, pack, today)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        from kidney_navigator.profile.render import render_profile

        typer.echo(render_profile(result))


@app.command()
def options(
    profile_json: Annotated[Path, typer.Argument(help="A profile JSON file (from kidney-nav profile --json).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON contract.")] = False,
) -> None:
    """The options guidelines list for a setting like this profile's, why, and what does not apply."""
    from kidney_navigator.options.engine import build_options
    from kidney_navigator.options.load import ProfileInputError, read_profile
    from kidney_navigator.profile.risk import assess_all

    pack = _load_composer().pack
    try:
        profile = read_profile(profile_json)
    except ProfileInputError as exc:
        _fail(str(exc), exc.code)
    if profile.imdc is None:
        profile.imdc, profile.mskcc = assess_all(profile, pack.risk)
    result = build_options(profile, pack)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    before = ", ".join(result.setting.prior_classes) or "-"
    typer.echo(f"Setting: {result.setting.histology_group}, line {result.setting.line}, "
               f"IMDC {result.setting.imdc_group or 'unknown'}, before: {before}")
    for opt in result.options:
        typer.echo(f"- {opt.regimen} [{opt.category.replace('_', ' ')}]: {opt.why}")
    for na in result.not_applicable:
        typer.echo(f"  not for this setting: {na.regimen}: {na.reason}")
    for local in result.local_and_supportive:
        typer.echo(f"* {local.option}: {local.why}")
    for missing in result.missing:
        typer.echo(f"Missing: {missing}")
    typer.echo(result.disclaimer)


@app.command()
def summary(
    name: Annotated[str, typer.Argument(help="A saved profile (kidney-nav profile FILE... --save NAME).")],
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write the visit summary as PDF to this file.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write it as a standalone HTML page.")] = None,
    paper: Annotated[str, typer.Option("--paper", help="letter or A4.")] = "letter",
) -> None:
    """A one- or two-page visit summary: records with evidence, risk, options with sources, questions, timeline."""
    from kidney_navigator.options.engine import build_options
    from kidney_navigator.summary.build import build_summary
    from kidney_navigator.summary.render import render_summary_html, render_summary_pdf

    if pdf is None and html is None:
        _fail("say where to write it: --pdf FILE and/or --html FILE", 2)
    size = {"letter": "letter", "a4": "A4"}.get(paper.lower())
    if size is None:
        _fail(f"--paper must be letter or A4, not {paper!r}", 2)
    pack = _load_composer().pack
    profile = _saved_profile(name, pack)
    result = build_summary(profile, build_options(profile, pack), pack=pack, name=name)
    try:
        if html is not None:
            html.write_text(render_summary_html(result, "A4" if size == "A4" else "letter"), encoding="utf-8")
            typer.echo(f"wrote {html}")
        if pdf is not None:
            pdf.write_bytes(render_summary_pdf(result, "A4" if size == "A4" else "letter"))
            typer.echo(f"wrote {pdf}")
    except OSError as exc:
        _fail(f"cannot write the summary: {exc.strerror} ({exc.filename})")


@eval_app.command("options")
def eval_options(
    profiles: Annotated[Path, typer.Option(help="Compact profiles YAML, or a folder of it and profile JSON files.")]
    = Path("eval/options/profiles.yaml"),
    expected: Annotated[Path, typer.Option(help="Expected options per profile.")] = Path("eval/options/expected.yaml"),
    show_failures: Annotated[bool, typer.Option("--failures", help="List every difference.")] = False,
) -> None:
    """Set agreement of expected vs produced options, not-applicable and local options, per profile and overall."""
    from kidney_navigator.evaluation.options_eval import evaluate_options

    if not profiles.exists() or not expected.exists():
        _fail(f"{profiles} or {expected} not found (run from the repository root or pass --profiles/--expected)")
    report = evaluate_options(profiles, expected, _load_composer().pack)
    for line in report.lines() + report.per_profile() + (report.failures if show_failures else []):
        typer.echo(line)


@eval_app.command("trials")
def eval_trials(
    folder: Annotated[Path, typer.Option(help="studies.json, profiles/ and expected.yaml.")] = Path("eval/trials"),
    show_failures: Annotated[bool, typer.Option("--failures", help="List every miss.")] = False,
) -> None:
    """Decision and criterion-level accuracy of trial matching on the labelled profile/study pairs."""
    from kidney_navigator.evaluation.trials_eval import evaluate_trials

    if not folder.exists():
        _fail(f"{folder} not found (run from the repository root or pass --folder)")
    report = evaluate_trials(folder, _load_composer().pack)
    for line in report.lines() + (report.failures if show_failures else []):
        typer.echo(line)


@eval_app.command("records")
def eval_records(
    cases: Annotated[Path, typer.Option(help="Folder of synthetic cases.")] = Path("eval/records/cases"),
    tcga: Annotated[Path, typer.Option(help="TCGA reports (JSONL), used when present.")]
    = Path("../shared/data/tcga_kidney_reports/reports.jsonl"),
    show_failures: Annotated[bool, typer.Option("--failures", help="List every miss.")] = False,
) -> None:
    """Per-field accuracy/F1 of record extraction, and histology/pT accuracy on real TCGA reports."""
    from kidney_navigator.evaluation.records_eval import evaluate_records, evaluate_tcga

    pack = _load_composer().pack
    if cases.exists():
        report = evaluate_records(cases, pack)
        for line in report.lines():
            typer.echo(line)
        if show_failures:
            for failure in report.failures:
                typer.echo("  " + failure)
    else:
        typer.echo(f"{cases} not found: synthetic set skipped")
    if tcga.exists():
        hist, pt, n, misses = evaluate_tcga(tcga)
        typer.echo(f"TCGA reports              {n}")
        typer.echo(f"TCGA histology accuracy   {hist:.3f}")
        typer.echo(f"TCGA pT accuracy          {pt:.3f}")
        if show_failures:
            for miss in misses:
                typer.echo("  " + miss)
    else:
        typer.echo(f"{tcga} not found: TCGA check skipped")


@app.command("delete-my-data")
def delete_my_data(
    profile_name: Annotated[str | None, typer.Option("--profile", help="Delete only this saved profile.")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Delete the whole database and the records key.")]
    = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete saved records for good: a profile (rows zeroed, file rewritten) or everything, key included."""
    import os

    from kidney_navigator.storage.db import connect, data_dir
    from kidney_navigator.storage.erase import erase_everything, erase_profile

    if (profile_name is None) == (not everything):
        _fail("say what to delete: --profile NAME, or --all for everything", 2)
    folder = data_dir()
    what = f"the profile {profile_name!r}" if profile_name else f"all your data in {folder}"
    if not yes and not typer.confirm(f"Delete {what}? This cannot be undone.", default=False):
        _fail("nothing was deleted")
    if profile_name is not None:
        if not (folder / "navigator.db").exists():
            _fail(f"no saved profile named {profile_name!r}")
        conn = connect()
        try:
            removed = erase_profile(conn, profile_name)
        finally:
            conn.close()
        if not removed:
            _fail(f"no saved profile named {profile_name!r}")
        typer.echo(f"deleted the profile {profile_name!r} and its uploaded documents; the database file was rewritten")
        return
    removed_paths = erase_everything(folder)
    typer.echo("deleted: " + (", ".join(str(p) for p in removed_paths) or "nothing was stored"))
    if os.environ.get("KIDNEY_NAV_KEY"):
        typer.echo("your key comes from $KIDNEY_NAV_KEY: remove it from wherever you keep it")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind (loopback by default: nothing leaves the machine).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """Start the web app on localhost."""
    import uvicorn

    _load_composer()
    typer.echo(f"Kidney Cancer Navigator on http://{host}:{port}/")
    uvicorn.run("kidney_navigator.web.app:create_app", factory=True, host=host, port=port, log_level="warning")


@app.command()
def bench(
    questions: Annotated[Path, typer.Option(help="A question file or folder.")] = Path("eval/questions"),
    rounds: Annotated[int, typer.Option(help="Times to answer the whole set.")] = 3,
) -> None:
    """Print answer latency (warm) and index build time."""
    from kidney_navigator.evaluation.bench import run_bench

    for line in run_bench(questions, rounds):
        typer.echo(line)


def main() -> None:  # pragma: no cover
    app(prog_name="kidney-nav")


if __name__ == "__main__":  # pragma: no cover
    main()
