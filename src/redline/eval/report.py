"""Print an evaluation report as terminal tables: headline figures, per class, root confusion;
for article gold, the key-event figures per group and per gold root."""
from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..output.safe import printable

PENTACLASS_NAMES = {0: "0 statements/appeals (01-02)", 1: "1 verbal cooperation (03-05)",
                    2: "2 material cooperation (06-08)", 3: "3 verbal conflict (09-13, 16)",
                    4: "4 material conflict (14-15, 17-20)"}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_report(report: dict[str, Any], console: Console, title: str = "") -> None:
    """The headline table, per-class F1 and the confusion matrix of CAMEO roots."""
    head = Table(title=title or None, title_justify="left", show_header=True)
    head.add_column("measure")
    head.add_column("value", justify="right")
    head.add_column("detail")
    head.add_row("items", str(report["items"]), f"{report['items_with_events']} with events, "
                                                f"{report['events']} events")
    pc = report.get("pentaclass")
    if pc:
        head.add_row("pentaclass macro-F1", _pct(pc["macro_f1"]),
                     f"gold class among predicted {pc['gold_in_predicted']:.3f}, exact set {pc['exact_set']:.3f}")
    for key, label in (("source_span", "source-span F1"), ("dyad_root", "dyad + root F1")):
        if key in report:
            r = report[key]
            head.add_row(label, _pct(r["f1"]), f"P {r['precision']:.3f}  R {r['recall']:.3f}  (gold {r['gold']})")
    if "cameo_root" in report:
        r = report["cameo_root"]
        head.add_row("CAMEO root accuracy", _pct(r["any_accuracy"]),
                     f"main event's root {r['main_accuracy']:.3f} (n {r['n']})")
    if "plover_type" in report:
        head.add_row("PLOVER type accuracy", _pct(report["plover_type"]["accuracy"]),
                     f"gold events {report['plover_type']['gold']}")
    if "event_date" in report:
        head.add_row("event date accuracy", _pct(report["event_date"]["accuracy"]), f"n {report['event_date']['gold']}")
    if "modality" in report:
        head.add_row("modality accuracy", _pct(report["modality"]["accuracy"]), f"n {report['modality']['gold']}")
    console.print(head)

    if pc:
        per = Table(title="pentaclass F1 by class (rows: gold; columns: main predicted class)", title_justify="left")
        per.add_column("class")
        per.add_column("F1", justify="right")
        columns = [0, 1, 2, 3, 4, "none"]
        for c in columns:
            per.add_column(str(c), justify="right")
        for c in range(5):
            row = pc["confusion"].get(c, {})
            per.add_row(PENTACLASS_NAMES[c], _pct(pc["per_class_f1"][c]), *[str(row.get(k, "")) for k in columns])
        console.print(per)

    if "cameo_root" in report:
        confusion = report["cameo_root"]["confusion"]
        predicted = sorted({k for row in confusion.values() for k in row} - {"none"}) + ["none"]
        matrix = Table(title="CAMEO roots: gold (rows) by main predicted (columns; - none)",
                       title_justify="left", box=None, pad_edge=False, padding=(0, 0, 0, 1))
        matrix.add_column("gold", no_wrap=True)
        for k in predicted:
            matrix.add_column(k if k != "none" else "-", justify="right", no_wrap=True, min_width=2)
        matrix.add_column("acc", justify="right", no_wrap=True)
        for gold, row in confusion.items():
            n = sum(row.values())
            cells = [(f"[bold green]{row[k]}[/]" if k == gold else str(row[k])) if row.get(k) else "."
                     for k in predicted]
            matrix.add_row(gold, *cells, f"{row.get(gold, 0) / n:.2f}" if n else "-")
        console.print(matrix)


ARTICLE_ROWS = (
    ("recall_quad", "recall, quad class"),
    ("recall_root", "recall, CAMEO root"),
    ("recall_source", "recall, source country"),
    ("recall_dyad", "recall, dyad (any code)"),
    ("root_exact_on_quad", "matched: root exact"),
    ("date_on_quad", "matched: date"),
    ("modality_on_quad", "matched: modality"),
    ("modality_lenient_on_quad", "matched: modality lenient"),
    ("reported_by_on_quad", "matched: reported_by"),
    ("publication_date_only_on_quad", "matched: publication date only (gold other)"),
    ("precision_proxy_quad", "precision proxy, quad"),
    ("precision_proxy_root", "precision proxy, root"),
    ("precision_proxy_one_to_one", "precision proxy, 1-to-1"),
)


def _figure(f: dict[str, Any]) -> str:
    return f"{_pct(f['value'])} [dim]{f['hits']}/{f['of']}[/]"


MATCH_TAGS = {"root": "[green]HIT [/]", "quad": "[yellow]QUAD[/]", None: "[red]MISS[/]"}


def _print_matches(details: list[dict[str, Any]], console: Console) -> None:
    """Each article's gold events with their match (HIT: same root, QUAD: same quad class, MISS),
    then its predictions left unmatched, one line each."""
    console.print("[dim]HIT: matched with the same CAMEO root; QUAD: same quad class only; MISS: no "
                  "prediction left for it. Actors by matching key (? unresolved, - none).[/]", soft_wrap=True)
    def show(text: str) -> str:
        return escape(printable(text))
    for art in details:
        console.print(f"[bold]-- {show(art['id'])}[/] {show('[' + art['group'] + ']')} {show(art['topic'])}",
                      soft_wrap=True)
        for row in art["gold"]:
            console.print(f"  gold {show(row['gold'].ljust(52))} | {MATCH_TAGS[row['match']]} "
                          f"{show(row['pred'] or '')}", soft_wrap=True)
        for p in art["unmatched_predictions"]:
            evidence = " ".join((p["evidence"] or "").split())[:70]
            console.print(f"  [dim]pred {show(p['pred'].ljust(52))} | {p['why']}: {show(evidence)}[/]",
                          soft_wrap=True)
    console.print()


def print_article_report(report: dict[str, Any], console: Console, title: str = "", verbose: bool = False) -> None:
    """Key-event figures per group (columns), recall per gold root and, if ``verbose``, each
    article's gold events with their matches and its unmatched predictions."""
    groups = report["groups"]
    if verbose:
        _print_matches(report["details"], console)
    head = Table(title=title or None, title_justify="left",
                 caption="The gold lists key events only: the precision proxy understates precision.",
                 caption_justify="left")
    head.add_column("measure")
    for name in groups:
        head.add_column(name, justify="right")
    head.add_row("articles", *[str(g["articles"]) for g in groups.values()])
    head.add_row("gold events", *[str(g["gold_events"]) for g in groups.values()])
    head.add_row("predicted events", *[str(g["predicted_events"]) for g in groups.values()])
    for key, label in ARTICLE_ROWS:
        head.add_row(label, *[_figure(g[key]) for g in groups.values()], end_section=key in
                     ("recall_dyad", "reported_by_on_quad"))
    console.print(head)

    per = Table(title="recall by gold root: quad hits/root hits/gold", title_justify="left")
    per.add_column("root")
    for name in groups:
        per.add_column(name, justify="right")
    for root in sorted({r for g in groups.values() for r in g["by_root"]}):
        cells = [f"{c['quad']}/{c['root']}/{c['gold']}" if (c := g["by_root"].get(root)) else "."
                 for g in groups.values()]
        per.add_row(root, *cells)
    console.print(per)
    if report.get("stray_events"):
        console.print(f"[yellow]note[/]: {report['stray_events']} predicted events have a doc_id that is "
                      "no gold article; ignored")
