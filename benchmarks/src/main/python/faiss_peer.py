"""FAISS beside Lucene in `bin/benchmark search`: exact inner product (IndexFlatIP) and HNSW
(IndexHNSWFlat, inner product) on the vectors the Java benchmark wrote, with the same M,
efConstruction and efSearch. Debian's python3-faiss is a generic build (no AVX2): a reference, not
the native peer (that is hnswlib, benchmarks/src/main/cpp/hnsw_peer.cpp).

Usage: faiss_peer.py BASE QUERIES COUNT QUERY_COUNT DIM M EF_CONSTRUCTION EF K THREADS WARMUP OUT_PREFIX
Writes OUT_PREFIX.flat.ids and OUT_PREFIX.hnsw.ids (int32, top K per query, best first) and prints one
JSON line per index.
"""
import json
import sys
import time

import faiss
import numpy as np


def timed_queries(index, queries, k, warmup):
    ids = np.empty((len(queries), k), dtype=np.int32)
    millis = []
    for q in range(len(queries)):
        start = time.perf_counter()
        _, found = index.search(queries[q:q + 1], k)
        elapsed = (time.perf_counter() - start) * 1e3
        if q >= warmup:
            millis.append(elapsed)
        ids[q] = found[0]
    return ids, millis


def percentile(values, p):
    ordered = sorted(values)
    rank = max(1, int(np.ceil(p / 100 * len(ordered))))
    return ordered[min(len(ordered), rank) - 1]


def main(argv):
    base_path, query_path = argv[1], argv[2]
    count, query_count, dim, m, ef_construction, ef, k, threads, warmup = map(int, argv[3:12])
    prefix = argv[12]
    base = np.fromfile(base_path, dtype="<f4", count=count * dim).reshape(count, dim)
    queries = np.fromfile(query_path, dtype="<f4", count=query_count * dim).reshape(query_count, dim)
    faiss.omp_set_num_threads(threads)

    flat = faiss.IndexFlatIP(dim)
    hnsw = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = ef_construction
    for name, index in (("flat", flat), ("hnsw", hnsw)):
        start = time.perf_counter()
        index.add(base)
        build_seconds = time.perf_counter() - start
        if name == "hnsw":
            index.hnsw.efSearch = ef
        ids, millis = timed_queries(index, queries, k, warmup)
        ids.astype("<i4").tofile(f"{prefix}.{name}.ids")
        print(json.dumps({"index": name, "build_seconds": build_seconds, "p50_ms": percentile(millis, 50),
                          "p99_ms": percentile(millis, 99), "queries_per_second": len(millis) / (sum(millis) / 1e3)}))


if __name__ == "__main__":
    main(sys.argv)
