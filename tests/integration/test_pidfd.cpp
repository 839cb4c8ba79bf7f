// fd:N with a real pidfd (SPEC §2): from pidfd_open(2) and from
// clone3(CLONE_PIDFD); exited, zombie, foreign and recycled processes.
#include "world.hpp"

#include <gmock/gmock.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <memory>

using namespace world;
using ::testing::HasSubstr;

namespace {

class Pidfd : public WorldTest {
protected:
    void SetUp() override
    {
        WorldTest::SetUp();
        write_file("/etc/subuid", "alice:100000:65536\n");
    }

    Result map_through(int pidfd, const std::vector<std::string>& triples)
    {
        RunOptions options;
        options.pass_fd = pidfd;
        options.pass_fd_as = 6;
        std::vector<std::string> args{"fd:6"};
        args.insert(args.end(), triples.begin(), triples.end());
        return newuidmap(args, options);
    }
};

// Makes the next fork in our pid namespace get `pid`, if nobody else forks first.
bool fork_gets_pid(pid_t pid)
{
    std::ofstream last("/proc/sys/kernel/ns_last_pid");
    last << (pid - 1);
    return static_cast<bool>(last.flush());
}

// Whether the child of `parent` is stopped in openat(..., path, ...), read
// from /proc/<child>/syscall and its memory.
bool in_openat_of(pid_t parent, const std::string& path)
{
    std::ifstream children("/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent) +
                           "/children");
    pid_t child = 0;
    if (!(children >> child)) {
        return false;
    }
    std::ifstream syscall_file("/proc/" + std::to_string(child) + "/syscall");
    long number = -1;
    std::string dirfd;
    std::string address;
    if (!(syscall_file >> number >> dirfd >> address) || number != SYS_openat) {
        return false;
    }
    char buffer[256] = {};
    iovec local{buffer, sizeof buffer - 1};
    iovec remote{reinterpret_cast<void*>(std::stoul(address, nullptr, 16)), sizeof buffer - 1};
    if (::process_vm_readv(child, &local, 1, &remote, 1, 0) <= 0) {
        return false;
    }
    return path == buffer;
}

}  // namespace

TEST_P(Pidfd, FromPidfdOpen)
{
    Target target;
    const Result r = map_through(target.pidfd(), {"0", "60001", "1", "1", "100000", "65536"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(target.uid_map(), "0 60001 1\n1 100000 65536\n");
}

TEST_P(Pidfd, FromClone3)
{
    TargetOptions options;
    options.clone3 = true;
    Target target(options);
    const Result r = map_through(target.pidfd(), {"0", "60001", "1"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(target.uid_map(), "0 60001 1\n");
    // newgidmap too, with its setgroups rule.
    RunOptions pass;
    pass.pass_fd = target.pidfd();
    const Result g = newgidmap({"fd:5", "0", "60001", "1"}, pass);
    EXPECT_EQ(g.status, 0) << g;
    EXPECT_EQ(target.gid_map(), "0 60001 1\n");
    EXPECT_EQ(target.setgroups(), "deny");
}

TEST_P(Pidfd, RefusedRequestWritesNothing)
{
    Target target;
    const Result r = map_through(target.pidfd(), {"0", "300000", "1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err, HasSubstr("outer uids 300000 are not delegated"));
    EXPECT_EQ(target.uid_map(), "");
}

TEST_P(Pidfd, ExitedAndReaped)
{
    Target target;
    const int pidfd = target.pidfd();
    target.exit_and_reap();
    const Result r = map_through(pidfd, {"0", "60001", "1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "newuidmap: target 'fd:6': the process has exited\n");
}

TEST_P(Pidfd, Zombie)
{
    Target target;
    const int pidfd = target.pidfd();
    target.let_exit_unreaped();
    const Result r = map_through(pidfd, {"0", "60001", "1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err, HasSubstr("the process has exited")) << r;
}

TEST_P(Pidfd, AnotherUsersProcess)
{
    Target target({Identity{bob, bob, {}}});
    const Result r = map_through(target.pidfd(), {"0", "60001", "1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err, HasSubstr("is not yours")) << r;
    EXPECT_EQ(target.uid_map(), "");
}

TEST_P(Pidfd, RecycledPidIsNotMapped)
{
    // The pidfd's process dies and its pid goes to a new process of the same
    // user, in a new user namespace: mapping through the old pidfd must not
    // touch the new process.
    for (int attempt = 0; attempt < 20; ++attempt) {
        auto old_process = std::make_unique<Target>();
        const pid_t pid = old_process->pid();
        const int pidfd = ::fcntl(old_process->pidfd(), F_DUPFD_CLOEXEC, 0);
        old_process.reset();  // exits and is reaped
        ASSERT_TRUE(fork_gets_pid(pid));
        Target newcomer;
        if (newcomer.pid() != pid) {
            ::close(pidfd);
            continue;  // someone else forked in between; try again
        }
        const Result r = map_through(pidfd, {"0", "60001", "1"});
        ::close(pidfd);
        EXPECT_EQ(r.status, 1) << r;
        EXPECT_EQ(r.err, "newuidmap: target 'fd:6': the process has exited\n");
        EXPECT_EQ(newcomer.uid_map(), "");
        return;
    }
    FAIL() << "could not get a pid reused in 20 attempts";
}

TEST_P(Pidfd, PidRecycledWhileTheHelperRunsIsDetected)
{
    // The dangerous window: after the helper has read the pid from fdinfo
    // and before it opens /proc/<pid>. strace holds it there (a delay on that
    // one openat); meanwhile the process dies and a new process of the same
    // user gets its pid. Only the liveness check on the pidfd can tell.
    if (!have_program("/usr/bin/strace")) {
        GTEST_SKIP() << "strace is not installed";
    }
    for (int attempt = 0; attempt < 10; ++attempt) {
        auto old_process = std::make_unique<Target>();
        const pid_t pid = old_process->pid();
        const std::string proc_dir = "/proc/" + std::to_string(pid);
        const std::string trace = scratch() + "/trace" + std::to_string(attempt);
        std::unique_ptr<Target> newcomer;
        RunOptions options;
        options.who = Identity{0, 0, {}};  // strace runs as root, the helper as alice
        options.pass_fd = old_process->pidfd();
        options.pass_fd_as = 6;
        options.during = [&](pid_t strace_pid) {
            // Wait (bounded) until the helper sits in the delayed openat of
            // /proc/<pid>: by then it has read the pid from fdinfo.
            for (int i = 0; i < 3000 && !in_openat_of(strace_pid, proc_dir); ++i) {
                ::usleep(1000);
            }
            old_process.reset();  // exits and is reaped
            if (fork_gets_pid(pid)) {
                newcomer = std::make_unique<Target>();
            }
        };
        const Result r = run("/usr/bin/strace",
                             {"-qq", "-f", "-o", trace, "-u", "alice", "-e", "trace=openat", "-e",
                              "inject=openat:delay_enter=1500000:when=1", "-P", proc_dir,
                              helpers().newuidmap, "fd:6", "0", "60001", "1"},
                             options);
        if (!newcomer || newcomer->pid() != pid) {
            continue;  // someone else took the pid; try again
        }
        EXPECT_EQ(r.status, 1) << r;
        EXPECT_EQ(r.err, "newuidmap: target 'fd:6': the process has exited\n");
        EXPECT_EQ(newcomer->uid_map(), "");
        std::ifstream in(trace);
        const std::string text{std::istreambuf_iterator<char>(in), {}};
        EXPECT_THAT(text, HasSubstr("(DELAYED)"));
        return;
    }
    FAIL() << "could not get a pid reused in 10 attempts";
}

INSTANTIATE_TEST_SUITE_P(Installs, Pidfd, ::testing::Values(Install::setuid, Install::fcaps),
                         install_name);
