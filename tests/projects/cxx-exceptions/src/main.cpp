#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kWorkers = 4;

std::mutex gate_mutex;
std::condition_variable gate;
int arrived = 0;

// True when all workers were inside at the same time (10 s budget).
bool meet() {
    std::unique_lock<std::mutex> hold(gate_mutex);
    if (++arrived == kWorkers) gate.notify_all();
    return gate.wait_for(hold, std::chrono::seconds(10), [] { return arrived == kWorkers; });
}

struct Odd {
    int value;
};

// Throws from a few frames down: std::runtime_error for even ids, a plain struct for odd ones.
int fail(int id, int depth) {
    if (depth > 0) return fail(id, depth - 1) + 1;
    if (id % 2) throw Odd{id};
    throw std::runtime_error("worker " + std::to_string(id));
}

int worker(int id, bool *together) {
    *together = meet();
    int caught = 0;
    for (int round = 0; round < 100; ++round) {
        try {
            fail(id, round % 8);
        } catch (const std::runtime_error &error) {
            caught += std::strcmp(error.what(), ("worker " + std::to_string(id)).c_str()) == 0;
        } catch (const Odd &odd) {
            caught += odd.value == id;
        }
    }
    return caught;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc > 1 && std::strcmp(argv[1], "uncaught") == 0) {
        std::thread([] { fail(1, 3); }).join();
        return 0;
    }
    std::mutex results_mutex;
    int caught = 0, met = 0;
    std::vector<std::thread> workers;
    for (int id = 0; id < kWorkers; ++id) {
        workers.emplace_back([&, id] {
            bool together = false;
            int mine = worker(id, &together);
            std::lock_guard<std::mutex> hold(results_mutex);
            caught += mine;
            met += together;
        });
    }
    for (auto &thread : workers) thread.join();
    std::printf("caught %d met %d\n", caught, met);

    auto result = std::async(std::launch::async, [] { return fail(2, 5); });
    try {
        result.get();
        std::puts("future: no exception");
    } catch (const std::runtime_error &error) {
        std::printf("future: %s\n", error.what());
    }

    // std::thread + std::mutex as without exceptions.
    long total = 0;
    std::vector<std::thread> adders;
    for (int id = 1; id <= kWorkers; ++id) {
        adders.emplace_back([&, id] {
            std::lock_guard<std::mutex> hold(results_mutex);
            total += id;
        });
    }
    for (auto &thread : adders) thread.join();
    std::printf("total %ld\n", total);
    return caught == kWorkers * 100 && met == kWorkers ? 0 : 1;
}
