// {{name}}: compute Fibonacci numbers on several threads at once.
//
// Without arguments: fib(4) and fib(5) on two threads.
// With "N K": N threads each compute fib(K), then the total is printed.
// Built with -fno-exceptions: errors are reported by return values, not throws.
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>
#include <vector>

namespace {

constexpr unsigned kMaxThreads = 64;
constexpr unsigned kMaxK = 60;

std::uint64_t fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

// Compute fib(n) for every n on its own thread; results keep the order of `ns`.
std::vector<std::uint64_t> fib_in_parallel(const std::vector<unsigned>& ns) {
    std::vector<std::uint64_t> results(ns.size());
    std::vector<std::thread> threads;
    threads.reserve(ns.size());
    for (std::size_t i = 0; i < ns.size(); ++i) {
        threads.emplace_back([&results, &ns, i] { results[i] = fib(ns[i]); });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    return results;
}

std::optional<unsigned> parse_count(const char* text, unsigned low, unsigned high) {
    char* end = nullptr;
    errno = 0;
    unsigned long value = std::strtoul(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < low || value > high) {
        return std::nullopt;
    }
    return static_cast<unsigned>(value);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 1) {
        const std::vector<unsigned> ns{4, 5};
        const auto results = fib_in_parallel(ns);
        for (std::size_t i = 0; i < ns.size(); ++i) {
            std::cout << "fib(" << ns[i] << ") = " << results[i] << '\n';
        }
        return 0;
    }
    const auto threads = argc == 3 ? parse_count(argv[1], 1, kMaxThreads) : std::nullopt;
    const auto k = argc == 3 ? parse_count(argv[2], 0, kMaxK) : std::nullopt;
    if (!threads || !k) {
        std::cerr << "usage: " << argv[0] << " [N K]  (N threads, 1.." << kMaxThreads
                  << ", each computing fib(K), K 0.." << kMaxK << ")\n";
        return 2;
    }
    const auto results = fib_in_parallel(std::vector<unsigned>(*threads, *k));
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
        std::cout << "thread " << i << ": fib(" << *k << ") = " << results[i] << '\n';
        total += results[i];
    }
    std::cout << "total = " << total << '\n';
    return 0;
}
