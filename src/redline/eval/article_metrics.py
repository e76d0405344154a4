"""Key-event scores of coded events against article gold, by the rules of
``shared/tools/score_articles.py`` (see its ``--help`` and ``shared/data/article_panel.md``).

A predicted event can stand for a gold event of the same article when its source and target
countries are the gold ones (or alternatives; a null gold target takes any target; a symmetric
event may be reversed) and its CAMEO root is in the quad class of the gold root (or of a root
alternative). Gold and predicted events are paired one-to-one by a maximum matching: first on
exact roots (recall by root), then, keeping those pairs, on quad classes (recall by quad), whose
partners are then swapped while that makes more pairs agree on root, date, modality and
reported_by. Figures are kept for all articles, per group and per gold root.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..ontology import quad_class
from .articles import ROOTS, GoldArticle

Gold = Mapping[str, Any]
Pred = Mapping[str, Any]
Edge = Callable[[Gold, Pred], bool]
Matching = dict[int, int]  # gold index -> prediction index

# rounds of partner swapping after the quad matching (it stops earlier when nothing improves)
MAX_SWAP_ROUNDS = 50

# figure name -> (hits counter, denominator counter), in report order
FIGURES: dict[str, tuple[str, str]] = {
    "recall_quad": ("quad", "gold"),
    "recall_root": ("root", "gold"),
    "recall_source": ("source", "gold"),
    "recall_dyad": ("dyad", "gold"),
    "root_exact_on_quad": ("root_on_quad", "quad"),
    "date_on_quad": ("date_ok", "date_n"),
    "modality_on_quad": ("modality_ok", "modality_n"),
    "modality_lenient_on_quad": ("modality_lenient", "modality_n"),
    "reported_by_on_quad": ("reported_by_ok", "reported_by_n"),
    "precision_proxy_quad": ("pred_quad", "pred"),
    "precision_proxy_root": ("pred_root", "pred"),
    "precision_proxy_one_to_one": ("pred_one_to_one", "pred"),
}
# figures the shared scorer does not give: of the quad matches whose gold date is not the
# publication date (the text gives a better anchor), the share Redline dated by the publication only
OWN_FIGURES: dict[str, tuple[str, str]] = {
    "publication_date_only_on_quad": ("publication_only", "anchored"),
}


def code_key(code: str | None) -> str | None:
    """Matching key of a gold actor code: the whole code for IGOs, else its country letters."""
    if code is None:
        return None
    return code if code.startswith("IGO") else code[:3]


def actor_key(actor: Mapping[str, Any] | None) -> str | None:
    """Matching key of a predicted actor: its country, else the key of its code; None if unresolved."""
    if not actor:
        return None
    if actor.get("country"):
        return actor["country"]
    return code_key(actor.get("code")) if actor.get("code") else None


def _keys(g: Gold, role: str) -> set[str | None]:
    keys = {code_key(g[role])} if g.get(role) is not None else set()
    return keys | {code_key(c) for c in g.get(f"{role}_alt") or []}


def _roots(g: Gold) -> set[str]:
    return {g["cameo_root"], *(g.get("root_alt") or [])}


def _quad(root: Any) -> int | None:
    return quad_class(root) if root in ROOTS else None


def dyad_fits(g: Gold, p: Pred) -> bool:
    """Source and target keys fit the gold ones (any target for a null gold target; reversed if symmetric)."""
    sources, targets = _keys(g, "source"), _keys(g, "target")
    s, t = actor_key(p.get("source")), actor_key(p.get("target"))
    any_target = g.get("target") is None

    def fits(a: str | None, b: str | None) -> bool:
        return a in sources and (any_target or b in targets)
    return fits(s, t) or bool(g.get("symmetric")) and fits(t, s)


def source_fits(g: Gold, p: Pred) -> bool:
    """The prediction has the gold source (on either side when the gold event is symmetric)."""
    sources = _keys(g, "source")
    return (actor_key(p.get("source")) in sources
            or bool(g.get("symmetric")) and actor_key(p.get("target")) in sources)


def root_fits(g: Gold, p: Pred) -> bool:
    return p.get("cameo_root") in _roots(g)


def quad_fits(g: Gold, p: Pred) -> bool:
    return _quad(p.get("cameo_root")) in {_quad(r) for r in _roots(g)}


def quad_edge(g: Gold, p: Pred) -> bool:
    return dyad_fits(g, p) and quad_fits(g, p)


def root_edge(g: Gold, p: Pred) -> bool:
    return dyad_fits(g, p) and root_fits(g, p)


def date_fits(gold_date: str | None, pred_date: str | None) -> bool:
    """The predicted date agrees at the gold date's precision (YYYY, YYYY-MM or YYYY-MM-DD)."""
    return bool(gold_date) and bool(pred_date) and str(pred_date)[:len(gold_date)] == gold_date


def modality_fits(g: Gold, p: Pred, lenient: bool = False) -> bool:
    accepted = {g["modality"], *(g.get("modality_alt") or [])} if lenient else {g["modality"]}
    return p.get("modality") in accepted


def reported_by_fits(g: Gold, p: Pred) -> bool:
    return bool(g.get("reported_by")) and actor_key(p.get("reported_by")) == code_key(g["reported_by"])


def agreement(g: Gold, p: Pred) -> tuple[int, int, int, int, int]:
    """How a matched pair agrees beyond dyad and class, most important first: root, date,
    modality (strict, lenient), reported_by."""
    return (int(root_fits(g, p)), int(date_fits(g.get("date"), p.get("date"))), int(modality_fits(g, p)),
            int(modality_fits(g, p, lenient=True)), int(reported_by_fits(g, p)))


def _sentence(p: Pred) -> int:
    index = p.get("sentence_index")
    return index if isinstance(index, int) else 0


def max_matching(gold: Sequence[Gold], preds: Sequence[Pred], edge: Edge,
                 seed: Matching | None = None) -> Matching:
    """A maximum one-to-one matching along ``edge`` by augmenting paths (Kuhn), each gold event
    trying exact-root predictions first, then in sentence order. Pairs of ``seed`` are kept
    matched (augmenting never unmatches a gold event), so the result still is maximum."""
    seed = seed or {}
    options = [sorted((j for j, p in enumerate(preds) if edge(g, p)),
                      key=lambda j: (not root_fits(g, preds[j]), _sentence(preds[j]), j)) for g in gold]
    holder = {j: i for i, j in seed.items()}  # prediction -> gold

    def augment(i: int, visited: set[int]) -> bool:
        for j in options[i]:
            if j in visited:
                continue
            visited.add(j)
            if j not in holder or augment(holder[j], visited):
                holder[j] = i
                return True
        return False

    for i in range(len(gold)):
        if i not in seed:
            augment(i, set())
    return {i: j for j, i in holder.items()}


def _total(gold: Sequence[Gold], preds: Sequence[Pred], pairs: Iterable[tuple[int, int]]) -> tuple[int, ...]:
    sums = [0] * 5
    for i, j in pairs:
        for k, v in enumerate(agreement(gold[i], preds[j])):
            sums[k] += v
    return tuple(sums)


def best_partners(gold: Sequence[Gold], preds: Sequence[Pred], matching: Matching, edge: Edge) -> Matching:
    """The same gold events matched, partners changed while that improves agreement (compared
    as a tuple, root first): a gold event moves to a free prediction it agrees with better, or
    two gold events exchange partners."""
    m = dict(matching)
    for _ in range(MAX_SWAP_ROUNDS):
        changed = False
        taken = set(m.values())
        for i in sorted(m):
            for j in range(len(preds)):
                if (j not in taken and edge(gold[i], preds[j])
                        and _total(gold, preds, [(i, j)]) > _total(gold, preds, [(i, m[i])])):
                    taken.discard(m[i])
                    m[i] = j
                    taken.add(j)
                    changed = True
        order = sorted(m)
        for n, a in enumerate(order):
            for b in order[n + 1:]:
                ja, jb = m[a], m[b]
                if (edge(gold[a], preds[jb]) and edge(gold[b], preds[ja])
                        and _total(gold, preds, [(a, jb), (b, ja)]) > _total(gold, preds, [(a, ja), (b, jb)])):
                    m[a], m[b] = jb, ja
                    changed = True
        if not changed:
            break
    return m


def describe_gold(g: Gold) -> str:
    """One line for a gold event: SRC->TGT (<-> if symmetric) code date modality [rep=X]."""
    arrow = "<->" if g.get("symmetric") else "->"
    text = f"{g.get('source') or '-'}{arrow}{g.get('target') or '-'} {g.get('cameo') or g['cameo_root']} " \
           f"{g.get('date') or '-'} {g['modality']}"
    return text + (f" rep={g['reported_by']}" if g.get("reported_by") else "")


def _shown(actor: Mapping[str, Any] | None) -> str:
    return "-" if not actor else actor_key(actor) or "?"


def describe_pred(p: Pred) -> str:
    """One line for a predicted event by its matching keys (``?`` unresolved, ``-`` none):
    SRC->TGT code date modality [rep=X] s<sentence>."""
    rep = f" rep={_shown(p['reported_by'])}" if p.get("reported_by") else ""
    return (f"{_shown(p.get('source'))}->{_shown(p.get('target'))} {p.get('cameo') or '-'} "
            f"{p.get('date') or '-'} {p.get('modality') or '-'}{rep} s{p.get('sentence_index', '-')}")


class ArticleScorer:
    """Accumulates article-by-article comparisons; ``report()`` gives the figures."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = {"all": Counter()}
        self.by_root: dict[str, dict[str, Counter]] = {"all": defaultdict(Counter)}
        self.details: list[dict[str, Any]] = []

    def add(self, article: GoldArticle, preds: Sequence[Pred]) -> None:
        """Match one article's predicted events (JSONL dicts) with its gold events and count."""
        gold = article.gold
        by_root = max_matching(gold, preds, root_edge)
        by_quad = best_partners(gold, preds, max_matching(gold, preds, quad_edge, seed=by_root), quad_edge)
        any_quad = [any(quad_edge(g, p) for g in gold) for p in preds]
        any_root = [any(root_edge(g, p) for g in gold) for p in preds]
        tally = Counter(articles=1, gold=len(gold), pred=len(preds), pred_quad=sum(any_quad),
                        pred_root=sum(any_root), pred_one_to_one=len(by_quad))
        roots: dict[str, Counter] = defaultdict(Counter)
        for i, g in enumerate(gold):
            tally["source"] += any(source_fits(g, p) for p in preds)
            tally["dyad"] += any(dyad_fits(g, p) for p in preds)
            tally["quad"] += i in by_quad
            tally["root"] += i in by_root
            roots[g["cameo_root"]].update(gold=1, quad=int(i in by_quad), root=int(i in by_root))
            if i not in by_quad:
                continue
            p = preds[by_quad[i]]
            tally["root_on_quad"] += root_fits(g, p)
            if g.get("date"):
                tally["date_n"] += 1
                tally["date_ok"] += date_fits(g["date"], p.get("date"))
                if article.published is not None and not date_fits(g["date"], article.published.isoformat()):
                    tally["anchored"] += 1
                    tally["publication_only"] += p.get("date_precision") == "document"
            tally["modality_n"] += 1
            tally["modality_ok"] += modality_fits(g, p)
            tally["modality_lenient"] += modality_fits(g, p, lenient=True)
            if g.get("reported_by"):
                tally["reported_by_n"] += 1
                tally["reported_by_ok"] += reported_by_fits(g, p)
        for name in ("all", article.group):
            self.counts.setdefault(name, Counter()).update(tally)
            for root, c in roots.items():
                self.by_root.setdefault(name, defaultdict(Counter))[root].update(c)
        self.details.append(self._detail(article, preds, by_quad, any_quad))

    @staticmethod
    def _detail(article: GoldArticle, preds: Sequence[Pred], by_quad: Matching,
                any_quad: list[bool]) -> dict[str, Any]:
        rows = []
        for i, g in enumerate(article.gold):
            p = preds[by_quad[i]] if i in by_quad else None
            rows.append({"gold": describe_gold(g), "justification": g.get("justification"),
                         "match": None if p is None else "root" if root_fits(g, p) else "quad",
                         "pred": None if p is None else describe_pred(p)})
        used = set(by_quad.values())
        unmatched = [{"pred": describe_pred(p), "evidence": p.get("evidence"),
                      "why": "matches a gold event already taken" if any_quad[j] else "no gold match"}
                     for j, p in enumerate(preds) if j not in used]
        return {"id": article.id, "group": article.group, "topic": article.topic, "gold": rows,
                "unmatched_predictions": unmatched}

    def report(self) -> dict[str, Any]:
        """Figures per group ("all" first): each as value, hits and denominator; per gold root."""
        groups = {}
        for name, c in self.counts.items():
            if not c["articles"]:
                continue
            figures = {key: {"value": c[hits] / c[of] if c[of] else None, "hits": c[hits], "of": c[of]}
                       for key, (hits, of) in {**FIGURES, **OWN_FIGURES}.items()}
            groups[name] = {"articles": c["articles"], "gold_events": c["gold"], "predicted_events": c["pred"],
                            **figures,
                            "by_root": {r: dict(v) for r, v in sorted(self.by_root[name].items())}}
        return {"kind": "articles", "groups": groups, "details": self.details}


def score_articles(articles: Iterable[GoldArticle], predictions: Mapping[str, Sequence[Pred]]) -> dict[str, Any]:
    """Score gold articles against predicted events grouped by ``doc_id``."""
    scorer = ArticleScorer()
    for article in articles:
        scorer.add(article, predictions.get(article.id, ()))
    return scorer.report()
