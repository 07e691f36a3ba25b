// std::thread workers add into a mutex-protected total; iostream prints it.
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

int main() {
    std::mutex lock;
    long total = 0;
    std::vector<std::thread> workers;
    for (int i = 1; i <= 4; i++) {
        workers.emplace_back([&lock, &total, i] {
            std::lock_guard<std::mutex> guard(lock);
            total += i;
        });
    }
    for (auto &worker : workers) {
        worker.join();
    }
    std::cout << "total " << total << std::endl;
    return total == 10 ? 0 : 1;
}
