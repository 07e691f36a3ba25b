// C++ sees the host's core count through libc++ (which asks sysconf).
#include <cstdio>
#include <thread>

extern "C" void report_posix(const char *dir);

int main(int argc, char **argv) {
    std::printf("hardware_concurrency %u\n", std::thread::hardware_concurrency());
    report_posix(argc > 1 ? argv[1] : ".");
    return 0;
}
