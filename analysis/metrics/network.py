"""Co-occurrence network of terms (statement level, Jaccard), communities and layout."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd

from analysis.metrics._common import empty

NODE_COLUMNS: list[str] = ["term", "freq", "community", "degree"]
EDGE_COLUMNS: list[str] = ["source", "target", "cooccurrences", "jaccard"]
LAYOUT_COLUMNS: list[str] = ["term", "x", "y"]


def _pair_counts(
    statement_ids: np.ndarray, codes: np.ndarray, n_terms: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(term a, term b, statements containing both) for every pair a < b sharing a statement.

    Rows must be sorted by (statement, term code) without duplicates. Each row is paired with
    the later rows of its statement by repeat/arange index arithmetic, and the pair keys
    a * n + b are counted with numpy: no Python loop over terms or statements.
    """
    starts = np.flatnonzero(np.r_[True, statement_ids[1:] != statement_ids[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    group_end = np.repeat(ends, ends - starts)
    partners = group_end - np.arange(len(codes)) - 1
    left = np.repeat(np.arange(len(codes)), partners)
    offsets = np.arange(len(left)) - np.repeat(np.cumsum(partners) - partners, partners)
    right = left + 1 + offsets
    keys, counts = _run_lengths(codes[left] * n_terms + codes[right])
    return keys // n_terms, keys % n_terms, counts


def _run_lengths(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of an int array and how often each occurs (sort + run lengths).

    Same result as ``np.unique(keys, return_counts=True)``, several times faster on millions
    of keys because it skips the extra index bookkeeping.
    """
    keys = np.sort(keys)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[starts], np.diff(np.r_[starts, len(keys)])


def cooccurrence(
    tokens: pd.DataFrame,
    min_freq: int = 2,
    top_n_edges: int | None = 60,
    pos: Iterable[str] | None = None,
    *,
    seed: int = 42,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Terms that appear in the same statements, as KH Coder's co-occurrence network.

    Each statement is a set of terms (``pos`` keeps only those parts of speech). Among terms in
    at least ``min_freq`` statements, every pair sharing a statement gets ``cooccurrences``
    (statements with both) and ``jaccard`` = |A∩B| / |A∪B| over statement sets; the
    ``top_n_edges`` strongest by Jaccard (then co-occurrences, then terms) are kept, with
    source < target. Nodes are the terms of those edges: ``freq`` (statements containing the
    term), ``community`` (Louvain on Jaccard weights with ``seed``, 0 = largest) and ``degree``
    in the kept network. Returns (nodes, edges).
    """
    if tokens.empty:
        return empty(NODE_COLUMNS), empty(EDGE_COLUMNS)
    kept = tokens if pos is None else tokens[tokens["pos"].isin(list(pos))]
    term_codes, vocabulary = pd.factorize(kept["term"], sort=True)
    statement_codes = pd.factorize(kept["statement_id"])[0]
    n_terms = len(vocabulary)
    keys = _run_lengths(statement_codes.astype("int64") * n_terms + term_codes)[0]
    statement_of, term_of = keys // n_terms, keys % n_terms
    freq = np.bincount(term_of, minlength=n_terms)
    if np.count_nonzero(freq >= min_freq) < 2:
        return empty(NODE_COLUMNS), empty(EDGE_COLUMNS)
    frequent = freq[term_of] >= min_freq
    a, b, both = _pair_counts(statement_of[frequent], term_of[frequent], n_terms)
    if len(both) == 0:
        return empty(NODE_COLUMNS), empty(EDGE_COLUMNS)
    jaccard = both / (freq[a] + freq[b] - both)
    if top_n_edges is not None and top_n_edges < len(jaccard):
        threshold = np.partition(jaccard, len(jaccard) - top_n_edges)[len(jaccard) - top_n_edges]
        candidates = np.flatnonzero(jaccard >= threshold)
        a, b, both, jaccard = a[candidates], b[candidates], both[candidates], jaccard[candidates]
    order = np.lexsort((b, a, -both, -jaccard))[:top_n_edges]
    terms = np.asarray(vocabulary, dtype=object)
    edges = pd.DataFrame(
        {
            "source": terms[a[order]],
            "target": terms[b[order]],
            "cooccurrences": both[order].astype("int64"),
            "jaccard": jaccard[order],
        }
    )
    freq = pd.Series(freq, index=terms)
    return _nodes(edges, freq, seed), edges


def _nodes(edges: pd.DataFrame, freq: pd.Series, seed: int) -> pd.DataFrame:
    graph = nx.from_pandas_edgelist(edges, "source", "target", edge_attr="jaccard")
    found = nx.community.louvain_communities(graph, weight="jaccard", seed=seed)
    ranked = sorted(found, key=lambda c: (-len(c), min(c)))
    community = {term: i for i, members in enumerate(ranked) for term in members}
    terms = sorted(graph.nodes)
    nodes = pd.DataFrame(
        {
            "term": terms,
            "freq": freq.reindex(terms).to_numpy().astype("int64"),
            "community": [community[t] for t in terms],
            "degree": [graph.degree[t] for t in terms],
        }
    )
    nodes = nodes.sort_values(["community", "freq", "term"], ascending=[True, False, True])
    return nodes.reset_index(drop=True)[NODE_COLUMNS]


#: Width : height of the box each connected component is stretched into.
COMPONENT_ASPECT = 16 / 9
#: Width : height the packed components aim at (the plot area of a wide chart).
LAYOUT_ASPECT = 2.0


def network_layout(nodes: pd.DataFrame, edges: pd.DataFrame, seed: int = 42) -> pd.DataFrame:
    """Node positions [term, x, y] for plotting, deterministic for a given ``seed``.

    Each connected component is laid out on its own (networkx spring_layout, Jaccard weights),
    stretched into a 16:9 box whose area grows with its size, and the boxes are stacked in
    columns, largest first, each column as high as the largest box (or more, for many small
    components): the network fills a wide chart and a small separate pair sits beside the main
    network instead of pushing it into a corner. Nodes come in the order of ``nodes`` (edge terms missing from
    ``nodes`` are appended).
    """
    if nodes.empty and edges.empty:
        return empty(LAYOUT_COLUMNS)
    graph = nx.Graph()
    terms = list(dict.fromkeys([*nodes.get("term", []), *edges.get("source", []), *edges.get("target", [])]))
    graph.add_nodes_from(terms)
    if not edges.empty:
        graph.add_weighted_edges_from(
            edges[["source", "target", "jaccard"]].itertuples(index=False, name=None), weight="jaccard"
        )
    order = {t: i for i, t in enumerate(terms)}
    components = sorted(
        (sorted(c, key=order.__getitem__) for c in nx.connected_components(graph)),
        key=lambda c: (-len(c), order[c[0]]),
    )
    stretch = np.sqrt(COMPONENT_ASPECT)
    boxes = [(np.sqrt(len(c)) * stretch, np.sqrt(len(c)) / stretch) for c in components]
    corners = _pack(boxes)
    positions: dict[str, np.ndarray] = {}
    for component, (width, height), (x0, y0) in zip(components, boxes, corners, strict=True):
        local = _component_layout(graph.subgraph(component), component, seed)
        for term, (x, y) in local.items():
            positions[term] = np.array([x0 + width * (x + 0.5), y0 - height * (0.5 - y)])
    coords = np.array([positions[t] for t in terms], dtype="float64").reshape(len(terms), 2)
    return pd.DataFrame({"term": terms, "x": coords[:, 0], "y": coords[:, 1]})


def _columns(boxes: list[tuple[float, float]], column_height: float) -> tuple[list[tuple[float, float]], float, float]:
    """Top-left corners of ``boxes`` stacked in columns no higher than ``column_height`` (a box
    taller than that gets a column of its own), and the total width and height."""
    corners: list[tuple[float, float]] = []
    x0 = y0 = column_width = total_height = 0.0
    for width, height in boxes:
        if y0 < 0 and -y0 + height > column_height:
            x0, y0, column_width = x0 + column_width * 1.25, 0.0, 0.0
        corners.append((x0, y0))
        total_height = max(total_height, -y0 + height)
        y0 -= height * 1.15
        column_width = max(column_width, width)
    return corners, x0 + column_width, total_height


def _pack(boxes: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Column packing whose overall width : height comes closest to :data:`LAYOUT_ASPECT`."""
    heights = [h * 1.15 for _, h in boxes]
    candidates = sorted({boxes[0][1], *np.cumsum(heights).tolist()})
    best: tuple[float, list[tuple[float, float]]] | None = None
    for column_height in candidates:
        corners, width, height = _columns(boxes, column_height)
        score = abs(np.log(width / max(height, 1e-9) / LAYOUT_ASPECT))
        if best is None or score < best[0]:
            best = (score, corners)
    assert best is not None
    return best[1]


def _component_layout(graph: nx.Graph, terms: list[str], seed: int) -> dict[str, tuple[float, float]]:
    """Spring layout of one component, centred and scaled into [-0.5, 0.5] on each axis.

    Each axis is scaled on its own (at most 2.5 times more than the other), so a layout that
    came out flat still fills its box instead of leaving bands of empty space.
    """
    if len(terms) == 1:
        return {terms[0]: (0.0, 0.0)}
    # A longer optimal distance (k) and more iterations than the defaults spread the dense
    # centre, so labels of strongly linked terms overlap less (closest pair ~1.4x farther apart).
    spread = 2.0 / np.sqrt(len(terms))
    found = nx.spring_layout(graph, seed=seed, weight="jaccard", k=spread, iterations=200)
    coords = np.array([found[t] for t in terms], dtype="float64")
    coords -= (coords.max(axis=0) + coords.min(axis=0)) / 2
    extents = np.maximum(np.abs(coords).max(axis=0), 1e-9)
    extents = np.maximum(extents, extents.max() / 2.5)
    coords /= 2 * extents
    coords = _separate(coords, min_distance=0.9 / np.sqrt(len(terms)))
    return {t: (float(x), float(y)) for t, (x, y) in zip(terms, coords, strict=True)}


def _separate(coords: np.ndarray, min_distance: float, rounds: int = 60) -> np.ndarray:
    """Push apart nodes closer than ``min_distance`` so their labels stay readable.

    Hand-written because networkx has no overlap removal: a few vectorized rounds in which
    every too-close pair moves apart along its axis by half the shortfall, kept inside the box.
    """
    coords = coords.copy()
    rng = np.random.default_rng(0)
    for _ in range(rounds):
        diff = coords[:, None, :] - coords[None, :, :]
        dist = np.sqrt((diff**2).sum(axis=-1))
        np.fill_diagonal(dist, np.inf)
        close = dist < min_distance
        if not close.any():
            break
        same = dist == 0
        if same.any():
            diff[same] = rng.normal(scale=1e-3, size=(int(same.sum()), 2))
            dist = np.where(same, 1e-3, dist)
        push = np.divide(min_distance - dist, 2 * dist, out=np.zeros_like(dist), where=close)
        coords += (diff * push[:, :, None]).sum(axis=1)
        coords = np.clip(coords, -0.5, 0.5)
    return coords
