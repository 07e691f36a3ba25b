#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

namespace {

constexpr int kWorkers = 4;

std::mutex gate_mutex;
std::condition_variable gate;
int arrived = 0;

// Returns true when all workers were inside at the same time (10 s budget).
bool meet() {
    std::unique_lock<std::mutex> hold(gate_mutex);
    if (++arrived == kWorkers) gate.notify_all();
    return gate.wait_for(hold, std::chrono::seconds(10), [] { return arrived == kWorkers; });
}

}  // namespace

int main() {
    std::mutex results_mutex;
    std::vector<long> results;
    int met = 0;
    std::vector<std::thread> workers;
    for (int id = 0; id < kWorkers; ++id) {
        workers.emplace_back([&, id] {
            bool together = meet();
            long sum = 0;
            for (long i = 1; i <= 1000 * (id + 1); ++i) sum += i;
            std::lock_guard<std::mutex> hold(results_mutex);
            results.push_back(sum);
            met += together ? 1 : 0;
        });
    }
    for (auto &worker : workers) worker.join();
    long total = 0;
    for (long value : results) total += value;
    std::printf("threads %d met %d total %ld\n", static_cast<int>(results.size()), met, total);
    return met == kWorkers ? 0 : 1;
}
