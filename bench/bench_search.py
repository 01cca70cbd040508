"""Search quality and speed: our engine against rapidfuzz WRatio and bm25s, in one run.

    .venv/bin/python bench/bench_search.py            # quality, then latency at 10k and 100k
    .venv/bin/python bench/bench_search.py --quick    # quality and 25k only
    .venv/bin/python bench/bench_search.py --no-latency   # quality only

Quality: hit@1, hit@3 and MRR@10 of the labelled queries in ``bench/search_eval/`` over
the shared corpora, the seed page and our own stories, for the tuning and the held-out
half, and of the cross-language set (``languages.jsonl``) per kind, its blind half apart.
Speed: per-query latency at 25,000 and 100,000 stories (the corpus mixed with
generated variations), index build time, and our process's resident memory with 100,000
stories indexed, measured in a child process that holds nothing else.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bm25s  # noqa: E402
import psutil  # noqa: E402
import Stemmer  # noqa: E402
from rapidfuzz import fuzz, process, utils  # noqa: E402

from bench.search_eval.corpus import Item, Query, load_items, load_queries, to_doc, variations  # noqa: E402
from bench.search_eval.hostile import HOSTILE  # noqa: E402
from bench.search_eval.metrics import Quality, percentiles, quality, rank_of  # noqa: E402
from core.search import SearchEngine  # noqa: E402

Searcher = Callable[[str], list[int]]
_ENGLISH = Stemmer.Stemmer("english")
_RUSSIAN = Stemmer.Stemmer("russian")


def _stem_words(words: list[str]) -> list[str]:
    # The baseline gets the same language choice as our engine: Russian stems for Cyrillic.
    return [
        _RUSSIAN.stemWord(w) if "\u0400" <= w[0] <= "\u04ff" else _ENGLISH.stemWord(w)
        for w in words
    ]


def ours(items: Sequence[Item]) -> tuple[Searcher, float]:
    """Our engine over ``items`` (ids are 1-based positions); also its build time."""
    started = time.perf_counter()
    engine = SearchEngine()
    engine.add(to_doc(number, item) for number, item in enumerate(items, start=1))
    built = time.perf_counter() - started
    return (lambda q: [hit.id for hit in engine.search(q, limit=10)]), built


def wratio(items: Sequence[Item]) -> tuple[Searcher, float]:
    """rapidfuzz WRatio over the titles."""
    started = time.perf_counter()
    titles = [utils.default_process(item.title) for item in items]
    built = time.perf_counter() - started

    def search(query: str) -> list[int]:
        found = process.extract(
            utils.default_process(query), titles, scorer=fuzz.WRatio, limit=10, processor=None
        )
        return [index + 1 for _, _, index in found]

    return search, built


def bm25(items: Sequence[Item]) -> tuple[Searcher, float]:
    """Plain bm25s over title + summary + text concatenated, as the library comes."""
    return _bm25(items, "en", None)


def bm25_stemmed(items: Sequence[Item]) -> tuple[Searcher, float]:
    """bm25s over the concatenated fields with English + Russian stop words and stemming."""
    stopwords = list(bm25s.stopwords.STOPWORDS_EN) + list(bm25s.stopwords.STOPWORDS_RUSSIAN)
    return _bm25(items, stopwords, _stem_words)


def _bm25(
    items: Sequence[Item],
    stopwords: str | list[str],
    stemmer: Callable[[list[str]], list[str]] | None,
) -> tuple[Searcher, float]:
    started = time.perf_counter()
    texts = [f"{item.title}\n{item.summary}\n{item.text}" for item in items]
    tokens = bm25s.tokenize(texts, stopwords=stopwords, stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    built = time.perf_counter() - started

    def search(query: str) -> list[int]:
        query_tokens = bm25s.tokenize(
            [query], stopwords=stopwords, stemmer=stemmer, show_progress=False
        )
        if not query_tokens.vocab:
            return []
        k = min(10, len(items))
        found, _ = retriever.retrieve(query_tokens, k=k, show_progress=False, n_threads=1)
        return [int(index) + 1 for index in found[0]]

    return search, built


def _relevant(items: Sequence[Item], queries: Sequence[Query]) -> list[set[int]]:
    # Stories with the same title and body are the same story for a reader (the
    # government corpus repeats headlines): any copy counts.
    by_key = {item.key: number for number, item in enumerate(items, start=1)}
    same: dict[tuple[str, str], set[int]] = defaultdict(set)
    for number, item in enumerate(items, start=1):
        same[(" ".join(item.title.casefold().split()), item.text[:200])].add(number)
    relevant = []
    for query in queries:
        ids: set[int] = set()
        for key in query.expect:
            if key not in by_key:
                raise SystemExit(f"query {query.text!r}: no story with key {key}")
            item = items[by_key[key] - 1]
            ids |= same[(" ".join(item.title.casefold().split()), item.text[:200])]
        relevant.append(ids)
    return relevant


def _evaluate(
    search: Searcher, queries: Sequence[Query], relevant: list[set[int]]
) -> list[int | None]:
    return [rank_of(search(q.text), ids) for q, ids in zip(queries, relevant, strict=True)]


def _line(name: str, q: Quality) -> str:
    return (
        f"  {name:<16} hit@1 {q.hit1:5.3f}  hit@3 {q.hit3:5.3f}  MRR@10 {q.mrr:5.3f}"
        f"  ({q.queries} queries)"
    )


def report_quality(items: list[Item], queries: list[Query], verbose: bool) -> None:
    relevant = _relevant(items, queries)
    engines = {
        "ours": ours(items)[0],
        "bm25s": bm25(items)[0],
        "rapidfuzz WRatio": wratio(items)[0],
        "bm25s+stem (ref)": bm25_stemmed(items)[0],
    }
    ranks = {name: _evaluate(search, queries, relevant) for name, search in engines.items()}
    print(f"Quality over {len(items):,} stories, {len(queries)} labelled queries")
    subsets: list[tuple[str, Callable[[Query], bool]]] = [
        ("all", lambda q: True),
        ("tuning half", lambda q: not q.held_out),
        ("held-out half", lambda q: q.held_out),
    ]
    for batch in sorted({q.batch for q in queries} - {""}):
        subsets.append(
            (f"batch {batch} (see search_eval/README.md)", lambda q, b=batch: q.batch == b)
        )
    for title, wanted in subsets:
        chosen = [i for i, q in enumerate(queries) if wanted(q)]
        if not chosen:
            continue
        print(f" {title}:")
        results = {name: quality([r[i] for i in chosen]) for name, r in ranks.items()}
        for name, result in results.items():
            print(_line(name, result))
        best = max(results["bm25s"].mrr, results["rapidfuzz WRatio"].mrr)
        ref = results["bm25s+stem (ref)"].mrr
        print(
            f"  ours / better baseline MRR: {results['ours'].mrr / best:.2f}x"
            f"  (/ bm25s with our stemming and stop words: {results['ours'].mrr / ref:.2f}x)"
        )
    _by_kind(queries, ranks, "all")
    _by_kind(queries, ranks, "held-out", held_out=True)
    if verbose:
        for i, query in enumerate(queries):
            if ranks["ours"][i] != 1:
                print(f"  miss: rank {ranks['ours'][i]}  {query.text!r}  {query.expect}")


def report_languages(items: list[Item], queries: list[Query]) -> None:
    """hit@1, hit@3 and MRR@10 per kind of the cross-language set, ours beside bm25s.

    The held-out half was set aside before any tuning: it is the blind figure.
    """
    relevant = _relevant(items, queries)
    engines = {"ours": ours(items)[0], "bm25s": bm25(items)[0]}
    ranks = {name: _evaluate(search, queries, relevant) for name, search in engines.items()}
    print(f"Across languages and scripts: {len(queries)} queries (languages.jsonl)")
    for title, held_out in (("tuning half", False), ("blind half", True)):
        print(f" {title}: hit@1 / hit@3 / MRR@10")
        print(f"  {'kind':<9} {'n':>3}" + "".join(f"  {name:>20}" for name in ranks))
        for kind in [*dict.fromkeys(q.kind for q in queries), "overall"]:
            chosen = [
                i
                for i, q in enumerate(queries)
                if q.held_out == held_out and kind in (q.kind, "overall")
            ]
            cells = []
            for r in ranks.values():
                result = quality([r[i] for i in chosen])
                cells.append(f"  {result.hit1:.2f} / {result.hit3:.2f} / {result.mrr:.2f}")
            print(f"  {kind:<9} {len(chosen):>3}" + "".join(cells))


def _by_kind(
    queries: Sequence[Query],
    ranks: dict[str, list[int | None]],
    title: str,
    held_out: bool | None = None,
) -> None:
    """hit@1 / MRR@10 of every engine for each kind of query."""
    print(f" hit@1 / MRR@10 by kind of query ({title}):")
    print("  " + f"{'kind':<11} {'n':>3}" + "".join(f"  {name[:16]:>16}" for name in ranks))
    for kind in sorted({q.kind for q in queries}):
        chosen = [
            i
            for i, q in enumerate(queries)
            if q.kind == kind and (held_out is None or q.held_out == held_out)
        ]
        cells = []
        for r in ranks.values():
            result = quality([r[i] for i in chosen])
            cells.append(f"  {result.hit1:>7.2f} / {result.mrr:.2f}")
        print(f"  {kind:<11} {len(chosen):>3}" + "".join(cells))


def _latency(
    search: Searcher, queries: Sequence[Query], rounds: int = 1
) -> tuple[float, float, float, float]:
    """p50 and p95 of each query's wall time, then of its CPU time (the process's, all
    threads: bm25s may use more than one), in ms, after a warm-up; one round, so few words
    repeat.

    On a shared machine the wall time includes waiting for a core; the CPU time does not,
    so it is the figure to compare between runs at different loads.
    """
    for query in queries[:20]:
        search(query.text)  # the country tables and lazy blocks are built on first use
    times = []
    cpu = []
    for _ in range(rounds):
        for query in queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            search(query.text)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
    return (*percentiles(times), *percentiles(cpu))


def _load() -> str:
    """The machine's load averages (1, 5, 15 minutes), printed beside every timing."""
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def corpus_of(size: int, items: list[Item]) -> list[Item]:
    """``size`` stories: the evaluation corpus (cut or topped up with variations)."""
    if size <= len(items):
        step = len(items) / size
        return [items[int(i * step)] for i in range(size)]
    return items + list(variations(items, size - len(items)))


def report_latency(size: int, items: list[Item], queries: list[Query]) -> None:
    corpus = corpus_of(size, items)
    everything = queries + load_queries("languages.jsonl")
    print(
        f"Latency per query at {size:,} stories (wall p50 / p95 ms, CPU p50 / p95 ms; build s)"
        f"; load average {_load()}"
    )
    if size > 50_000:
        child = _child_figures(size)
        print(
            f"  {'ours':<16} {child['p50']:7.2f} / {child['p95']:7.2f}"
            f"   CPU {child['cpu50']:6.2f} / {child['cpu95']:6.2f}"
            f"   build {child['build']:.2f} s"
            f"   RSS {child['rss_mb']:.0f} MB (before indexing {child['rss_before_mb']:.0f} MB;"
            f" {child['terms']:,} terms, {child['postings']:,} postings)"
            f"; slowest hostile query {child['hostile_max']:.1f} ms"
        )
    for name, make in (("ours", ours), ("bm25s", bm25), ("rapidfuzz WRatio", wratio)):
        if name == "ours" and size > 50_000:
            continue
        search, built = make(corpus)
        # WRatio reads every title per query (a quarter second at 10k): a slice suffices.
        sample = queries[::4] if name == "rapidfuzz WRatio" else everything
        p50, p95, cpu50, cpu95 = _latency(search, sample, rounds=1)
        hostile = f"   slowest hostile query {_hostile_ms(search):.1f} ms" if name == "ours" else ""
        print(
            f"  {name:<16} {p50:7.2f} / {p95:7.2f}   CPU {cpu50:6.2f} / {cpu95:6.2f}"
            f"   build {built:.2f} s{hostile}"
        )
        del search
        gc.collect()
    print(f"  (load average after: {_load()})")


def _child_figures(size: int) -> dict[str, float]:
    # Our engine alone in a fresh process, so its resident memory is not the baselines'.
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(size)], check=True, capture_output=True, text=True
    ).stdout
    figures: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return figures


def _hostile_ms(search: Searcher) -> float:
    """The slowest of the hostile queries, in milliseconds (each run three times)."""
    worst = 0.0
    for query in HOSTILE:
        for _ in range(3):
            started = time.perf_counter()
            search(query)
            worst = max(worst, time.perf_counter() - started)
    return worst * 1000


def child(size: int) -> None:
    """Build our engine over ``size`` stories, streamed; print build time, latency and RSS."""
    items = load_items()
    queries = load_queries()
    me = psutil.Process()
    gc.collect()
    before = me.memory_info().rss
    docs = [to_doc(n, item) for n, item in enumerate(items, start=1)]
    generated = variations(items, size - len(items))
    docs += [to_doc(n, item) for n, item in enumerate(generated, start=len(docs) + 1)]
    engine = SearchEngine()
    started = time.perf_counter()
    engine.add(docs)
    built = time.perf_counter() - started
    del items, docs  # the texts stay in the store; the engine keeps only postings
    gc.collect()
    rss = me.memory_info().rss
    search = lambda q: [h.id for h in engine.search(q, limit=10)]  # noqa: E731
    p50, p95, cpu50, cpu95 = _latency(search, queries + load_queries("languages.jsonl"))
    figures = {
        "cpu50": cpu50,
        "cpu95": cpu95,
        "hostile_max": _hostile_ms(search),
        "build": built,
        "p50": p50,
        "p95": p95,
        "rss_mb": rss / 2**20,
        "rss_before_mb": before / 2**20,
        "terms": engine.terms,
        "postings": engine.postings,
    }
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-story run")
    parser.add_argument("--misses", action="store_true", help="list the queries we miss at rank 1")
    parser.add_argument("--no-latency", action="store_true", help="quality figures only")
    parser.add_argument("--latency-only", action="store_true", help="speed figures only")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    items = load_items()
    queries = load_queries()
    if not args.latency_only:
        report_quality(items, queries, args.misses)
        report_languages(items, load_queries("languages.jsonl"))
    if args.no_latency:
        return
    for size in (25_000,) if args.quick else (25_000, 100_000):
        report_latency(size, items, queries)


if __name__ == "__main__":
    main()
