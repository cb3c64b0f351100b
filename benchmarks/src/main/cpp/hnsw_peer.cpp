// The native HNSW peer of `bin/benchmark search`: hnswlib (the C++ reference implementation of HNSW,
// header-only; its headers come from the npm package hnswlib-node at build time, nothing of it is in
// this repository), run on the vectors the Java benchmark wrote, with the same M / efConstruction / ef
// as Lucene. Inner product on unit vectors, as the search index's DOT_PRODUCT.
//
// Usage: hnsw_peer BASE QUERIES COUNT QUERY_COUNT DIM M EF_CONSTRUCTION EF K THREADS WARMUP IDS_OUT [SWEEP]
//   BASE, QUERIES: little-endian float32, row after row. THREADS builds the graph (addPoint is safe for
//   distinct labels) and, when above 1, also answers the queries concurrently for a throughput number.
//   The first WARMUP queries are answered but not timed (as the Java side does). IDS_OUT receives the
//   top K labels of every query as int32, best first. One JSON line goes to stdout.
//   SWEEP (optional, comma-separated efs): the same graph then answers the queries again on one thread
//   at each of these efs, for recall against time; each writes IDS_OUT.<ef> and prints one more JSON
//   line with its "ef".
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "hnswlib/hnswlib.h"

namespace {

std::vector<float> read_floats(const char* path, size_t count) {
    std::vector<float> data(count);
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(count * sizeof(float)));
    if (static_cast<size_t>(in.gcount()) != count * sizeof(float)) {
        std::cerr << "hnsw_peer: " << path << " holds fewer than " << count << " floats\n";
        std::exit(2);
    }
    return data;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double percentile(std::vector<double> values, int p) {
    std::sort(values.begin(), values.end());
    size_t rank = static_cast<size_t>(std::max(1.0, std::ceil(p / 100.0 * values.size())));
    return values[std::min(values.size(), rank) - 1];
}

// Answers every query on this thread at this ef, best first into ids (K per query); the time of each
// query after the first WARMUP, in milliseconds.
std::vector<double> timed_queries(hnswlib::HierarchicalNSW<float>& index, const std::vector<float>& queries,
                                  size_t query_count, size_t dim, size_t ef, size_t k, size_t warmup,
                                  std::vector<int32_t>& ids) {
    index.setEf(ef);
    ids.assign(query_count * k, -1);
    std::vector<double> millis;
    for (size_t q = 0; q < query_count; q++) {
        auto start = std::chrono::steady_clock::now();
        auto result = index.searchKnn(queries.data() + q * dim, k);
        double elapsed = seconds_since(start) * 1e3;
        if (q >= warmup) {
            millis.push_back(elapsed);
        }
        // A max-heap on distance (1 - dot): popping gives the worst first.
        for (size_t r = result.size(); r > 0; r--) {
            ids[q * k + r - 1] = static_cast<int32_t>(result.top().second);
            result.pop();
        }
    }
    return millis;
}

void write_ids(const std::string& path, const std::vector<int32_t>& ids) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(ids.data()), static_cast<std::streamsize>(ids.size() * sizeof(int32_t)));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 13 && argc != 14) {
        std::cerr << "usage: hnsw_peer BASE QUERIES COUNT QUERY_COUNT DIM M EF_CONSTRUCTION EF K THREADS WARMUP IDS_OUT [SWEEP]\n";
        return 2;
    }
    const size_t count = std::stoul(argv[3]);
    const size_t query_count = std::stoul(argv[4]);
    const size_t dim = std::stoul(argv[5]);
    const size_t m = std::stoul(argv[6]);
    const size_t ef_construction = std::stoul(argv[7]);
    const size_t ef = std::stoul(argv[8]);
    const size_t k = std::stoul(argv[9]);
    const unsigned threads = static_cast<unsigned>(std::stoul(argv[10]));
    const size_t warmup = std::stoul(argv[11]);
    std::vector<float> base = read_floats(argv[1], count * dim);
    std::vector<float> queries = read_floats(argv[2], query_count * dim);

    hnswlib::InnerProductSpace space(dim);
    hnswlib::HierarchicalNSW<float> index(&space, count, m, ef_construction, 100);
    auto build_start = std::chrono::steady_clock::now();
    std::atomic<size_t> next(0);
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; t++) {
        workers.emplace_back([&] {
            for (size_t i = next++; i < count; i = next++) {
                index.addPoint(base.data() + i * dim, i);
            }
        });
    }
    for (auto& worker : workers) {
        worker.join();
    }
    double build_seconds = seconds_since(build_start);

    std::vector<int32_t> ids;
    std::vector<double> millis = timed_queries(index, queries, query_count, dim, ef, k, warmup, ids);
    double queries_per_second = 0;
    if (threads > 1) {
        next = 0;
        workers.clear();
        auto start = std::chrono::steady_clock::now();
        for (unsigned t = 0; t < threads; t++) {
            workers.emplace_back([&] {
                for (size_t q = next++; q < query_count; q = next++) {
                    index.searchKnn(queries.data() + q * dim, k);
                }
            });
        }
        for (auto& worker : workers) {
            worker.join();
        }
        queries_per_second = query_count / seconds_since(start);
    } else {
        double total = 0;
        for (double ms : millis) {
            total += ms;
        }
        queries_per_second = millis.size() / (total / 1e3);
    }
    write_ids(argv[12], ids);
    std::printf("{\"build_seconds\": %.6f, \"p50_ms\": %.6f, \"p99_ms\": %.6f, \"queries_per_second\": %.3f}\n",
                build_seconds, percentile(millis, 50), percentile(millis, 99), queries_per_second);
    if (argc == 14) {
        std::string sweep = argv[13];
        for (size_t from = 0; from < sweep.size();) {
            size_t comma = std::min(sweep.find(',', from), sweep.size());
            size_t sweep_ef = std::stoul(sweep.substr(from, comma - from));
            from = comma + 1;
            std::vector<int32_t> sweep_ids;
            std::vector<double> sweep_millis = timed_queries(index, queries, query_count, dim, sweep_ef, k, warmup, sweep_ids);
            write_ids(std::string(argv[12]) + "." + std::to_string(sweep_ef), sweep_ids);
            std::printf("{\"ef\": %zu, \"p50_ms\": %.6f, \"p99_ms\": %.6f}\n", sweep_ef, percentile(sweep_millis, 50),
                        percentile(sweep_millis, 99));
        }
    }
    return 0;
}
