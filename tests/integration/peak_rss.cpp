// peak-rss FD PROGRAM [ARGS...]: runs PROGRAM and writes its peak resident
// set size in KiB to descriptor FD; exits with PROGRAM's status.
//
// A child's ru_maxrss includes the memory of the process it was forked from
// (the kernel accounts the pre-exec image too), so the tests measure the
// helpers from this small process instead of from the test process itself.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fputs("usage: peak-rss FD PROGRAM [ARGS...]\n", stderr);
        return 2;
    }
    const int out = std::atoi(argv[1]);
    const pid_t pid = ::fork();
    if (pid < 0) {
        return 2;
    }
    if (pid == 0) {
        ::close(out);
        ::execv(argv[2], argv + 2);
        ::_exit(127);
    }
    int status = 0;
    rusage usage{};
    if (::wait4(pid, &status, 0, &usage) < 0) {
        return 2;
    }
    ::dprintf(out, "%ld\n", usage.ru_maxrss);
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}
