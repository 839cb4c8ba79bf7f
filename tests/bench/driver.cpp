// The benchmark driver, run as the unprivileged fixture user inside the
// benchmark world (tests/bench/run sets it up). For every round it creates a
// fresh target process in a new user namespace, then times one
// posix_spawn + wait of each program, in rotating order so that neither
// gets the warmer caches:
//
//   driver ROUNDS START PROGRAM...
//
// Each program is called as "PROGRAM <pid> 0 <uid> 1 1 START 10000" (the
// caller's own uid plus a delegated range); /bin/true takes the same
// arguments as the baseline. Prints, per program, one line:
//   <program> <rounds> <median µs> <mean µs> <p10 µs> <p90 µs> <failures> <peak RSS KiB>
//   <mean user µs> <mean system µs> <mean page faults>
// (user and system time as the kernel accounts them, in ticks: rough).
// The driver is linked statically and stays small, because a child's
// ru_maxrss also counts the image it was spawned from; its own peak is
// printed last ("driver ... <KiB>") so that a reader can see the floor.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct TargetProcess {
    pid_t pid = -1;
    int release = -1;
};

TargetProcess spawn_target()
{
    int ready[2];
    int release[2];
    if (::pipe(ready) != 0 || ::pipe(release) != 0) {
        std::perror("pipe");
        std::exit(2);
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(ready[0]);
        ::close(release[1]);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::unshare(CLONE_NEWUSER) != 0) {
            ::_exit(1);
        }
        (void)!::write(ready[1], "r", 1);
        char byte;
        (void)!::read(release[0], &byte, 1);
        ::_exit(0);
    }
    ::close(ready[1]);
    ::close(release[0]);
    char byte = 0;
    pollfd p{ready[0], POLLIN, 0};
    if (::poll(&p, 1, 10000) != 1 || ::read(ready[0], &byte, 1) != 1) {
        std::fputs("driver: target did not start\n", stderr);
        std::exit(2);
    }
    ::close(ready[0]);
    return {pid, release[1]};
}

void end_target(const TargetProcess& target)
{
    ::close(target.release);
    int status = 0;
    ::waitpid(target.pid, &status, 0);
}

}  // namespace

// driver --plain ROUNDS PROGRAM ARGS...: times a command with no target.
int plain(char** argv)
{
    const int rounds = std::atoi(argv[2]);
    std::vector<double> times;
    long peak = 0;
    int failures = 0;
    char* envp[] = {nullptr};
    for (int round = 0; round < rounds; ++round) {
        const auto t0 = std::chrono::steady_clock::now();
        pid_t child = -1;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        if (::posix_spawn(&child, argv[3], &actions, nullptr, argv + 3, envp) != 0) {
            std::perror("posix_spawn");
            return 2;
        }
        posix_spawn_file_actions_destroy(&actions);
        int status = 0;
        rusage usage{};
        ::wait4(child, &status, 0, &usage);
        const auto t1 = std::chrono::steady_clock::now();
        failures += WIFEXITED(status) ? 0 : 1;
        peak = std::max(peak, usage.ru_maxrss);
        times.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    std::sort(times.begin(), times.end());
    std::printf("%s %zu %.1f 0 %.1f %.1f %d %ld\n", argv[3], times.size(), times[times.size() / 2],
                times[times.size() / 10], times[times.size() * 9 / 10], failures, peak);
    return 0;
}

int main(int argc, char** argv)
{
    if (argc >= 4 && std::string(argv[1]) == "--plain") {
        return plain(argv);
    }
    if (argc < 4) {
        std::fputs("usage: driver ROUNDS START PROGRAM...\n", stderr);
        return 2;
    }
    const int rounds = std::atoi(argv[1]);
    const std::string start = argv[2];
    const std::string uid = std::to_string(::getuid());
    std::vector<std::string> programs(argv + 3, argv + argc);
    std::vector<std::vector<double>> times(programs.size());
    std::vector<int> failures(programs.size(), 0);
    std::vector<long> peak(programs.size(), 0);
    std::vector<double> cpu_user(programs.size(), 0);
    std::vector<double> cpu_sys(programs.size(), 0);
    std::vector<long> faults(programs.size(), 0);
    for (auto& t : times) {
        t.reserve(static_cast<std::size_t>(rounds));
    }
    char* envp[] = {nullptr};
    for (int round = 0; round < rounds; ++round) {
        for (std::size_t k = 0; k < programs.size(); ++k) {
            const std::size_t p = (k + static_cast<std::size_t>(round)) % programs.size();
            const TargetProcess target = spawn_target();
            std::string pid = std::to_string(target.pid);
            std::vector<std::string> words{programs[p], pid, "0", uid, "1", "1", start, "10000"};
            std::vector<char*> args;
            for (std::string& w : words) {
                args.push_back(w.data());
            }
            args.push_back(nullptr);
            const auto t0 = std::chrono::steady_clock::now();
            pid_t child = -1;
            if (::posix_spawn(&child, programs[p].c_str(), nullptr, nullptr, args.data(), envp) !=
                0) {
                std::perror("posix_spawn");
                return 2;
            }
            int status = 0;
            rusage usage{};
            ::wait4(child, &status, 0, &usage);
            const auto t1 = std::chrono::steady_clock::now();
            peak[p] = std::max(peak[p], usage.ru_maxrss);
            cpu_user[p] += static_cast<double>(usage.ru_utime.tv_sec) * 1e6 +
                           static_cast<double>(usage.ru_utime.tv_usec);
            cpu_sys[p] += static_cast<double>(usage.ru_stime.tv_sec) * 1e6 +
                          static_cast<double>(usage.ru_stime.tv_usec);
            faults[p] += usage.ru_minflt + usage.ru_majflt;
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                ++failures[p];
            }
            times[p].push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
            end_target(target);
        }
    }
    for (std::size_t p = 0; p < programs.size(); ++p) {
        std::vector<double>& t = times[p];
        std::sort(t.begin(), t.end());
        double sum = 0;
        for (double v : t) {
            sum += v;
        }
        const auto at = [&](double q) {
            return t[static_cast<std::size_t>(q * static_cast<double>(t.size() - 1))];
        };
        const double n = static_cast<double>(t.size());
        std::printf("%s %zu %.1f %.1f %.1f %.1f %d %ld %.1f %.1f %.1f\n", programs[p].c_str(),
                    t.size(), at(0.5), sum / n, at(0.1), at(0.9), failures[p], peak[p],
                    cpu_user[p] / n, cpu_sys[p] / n, static_cast<double>(faults[p]) / n);
    }
    rusage self{};
    ::getrusage(RUSAGE_SELF, &self);
    std::printf("driver 0 0 0 0 0 0 %ld\n", self.ru_maxrss);
    return 0;
}
