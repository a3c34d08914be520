#!/usr/bin/python3
"""hnswlib on an fvecs data set, for the ann suite of Store.Bench: build time, the index's own
memory (VmRSS growth across the build, the data set already loaded), then recall@10 and QPS for an
ef sweep with 1 and 2 query threads. Result ids go to files so the harness computes recall the same
way for every system; the recall printed here is a cross-check.

Usage: hnswlib_rss.py BASE.fvecs QUERY.fvecs TRUTH.ivecs NQUERIES M EF_CONSTRUCTION EF_LIST OUT_DIR
  EF_LIST: comma-separated, e.g. 10,20,40,80,160; OUT_DIR: where ids-ef<N>.i64 files are written.
Prints key=value lines starting with "hnswlib ":
  hnswlib data n=.. dim=.. nq=..
  hnswlib rss_before_build_kib=..
  hnswlib build seconds=.. threads=.. rss_after_build_kib=..
  hnswlib ef=.. recall10=.. qps1=.. qps2=.. ids=PATH
  hnswlib rss_after_queries_kib=..
"""
import os
import sys
import time

import hnswlib
import numpy as np


def vm_rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def read_vecs(path, dtype, rows=None):
    raw = np.fromfile(path, dtype=np.int32)
    dim = int(raw[0])
    table = raw.reshape(-1, dim + 1)
    if rows is not None:
        table = table[:rows]
    out = table[:, 1:].view(dtype).copy()
    del raw, table
    return out


def main():
    base, query, truth, nq, m, efc, efs, out = sys.argv[1:9]
    nq, m, efc = int(nq), int(m), int(efc)
    efs = [int(e) for e in efs.split(",") if e]
    os.makedirs(out, exist_ok=True)
    xb = read_vecs(base, np.float32)
    xq = read_vecs(query, np.float32, nq)
    gt = read_vecs(truth, np.int32, nq)[:, :10]
    n, dim = xb.shape
    print(f"hnswlib data n={n} dim={dim} nq={len(xq)}", flush=True)
    threads = os.cpu_count() or 1

    rss_before = vm_rss_kib()
    print(f"hnswlib rss_before_build_kib={rss_before}", flush=True)
    start = time.perf_counter()
    index = hnswlib.Index(space="l2", dim=dim)
    index.init_index(max_elements=n, ef_construction=efc, M=m, random_seed=100)
    index.set_num_threads(threads)
    index.add_items(xb, np.arange(n))
    build = time.perf_counter() - start
    print(f"hnswlib build seconds={build:.3f} threads={threads} rss_after_build_kib={vm_rss_kib()}", flush=True)

    # Warm-up pass, untimed.
    index.set_ef(efs[0])
    index.set_num_threads(1)
    index.knn_query(xq, k=10)
    for ef in efs:
        index.set_ef(ef)
        index.set_num_threads(1)
        start = time.perf_counter()
        labels, _ = index.knn_query(xq, k=10)
        qps1 = len(xq) / (time.perf_counter() - start)
        index.set_num_threads(2)
        start = time.perf_counter()
        index.knn_query(xq, k=10)
        qps2 = len(xq) / (time.perf_counter() - start)
        hits = sum(len(set(labels[i].tolist()) & set(gt[i].tolist())) for i in range(len(xq)))
        path = os.path.join(out, f"ids-ef{ef}.i64")
        labels.astype(np.int64).tofile(path)
        print(f"hnswlib ef={ef} recall10={hits / (10 * len(xq)):.4f} qps1={qps1:.1f} qps2={qps2:.1f} ids={path}", flush=True)
    print(f"hnswlib rss_after_queries_kib={vm_rss_kib()}", flush=True)


main()
