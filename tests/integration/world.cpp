#include "world.hpp"

#include <cap-ng.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace world {

namespace {

std::string base_dir;                      // /tmp/newidmap-world.XXXXXX, removed at exit
constexpr int rss_fd = 9;                  // where peak-rss reports
int world_syslog_fd = -1;                  // the current world's /dev/log socket
std::vector<std::string> syslog_received;  // drained after every run

void drain_syslog()
{
    if (world_syslog_fd < 0) {
        return;
    }
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::recv(world_syslog_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n < 0) {
            return;
        }
        syslog_received.emplace_back(buffer, static_cast<std::size_t>(n));
    }
}
Helpers setuid_helpers, fcaps_helpers, built_helpers;

[[noreturn]] void die(const std::string& what)
{
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

int pidfd_open(pid_t pid)
{
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

// Waits at most timeout_ms for pid to exit and reaps it; kills it first if
// it does not. Returns the wait status, or -1 if it had to be killed.
int reap(pid_t pid, int timeout_ms, rusage* usage = nullptr)
{
    const int pidfd = pidfd_open(pid);
    bool killed = false;
    if (pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) <= 0) {
            ::kill(pid, SIGKILL);
            killed = true;
        }
        ::close(pidfd);
    }
    int status = 0;
    rusage ignored{};
    while (::wait4(pid, &status, 0, usage != nullptr ? usage : &ignored) < 0 && errno == EINTR) {
    }
    return killed ? -1 : status;
}

void copy_file(const std::string& from, const std::string& to)
{
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

void install_setuid(const std::string& path)
{
    if (::chown(path.c_str(), 0, 0) != 0 || ::chmod(path.c_str(), 04755) != 0) {
        die("install setuid " + path);
    }
}

void install_fcaps(const std::string& path, unsigned cap)
{
    if (::chown(path.c_str(), 0, 0) != 0 || ::chmod(path.c_str(), 0755) != 0) {
        die("install fcaps " + path);
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        die("open " + path);
    }
    capng_clear(CAPNG_SELECT_BOTH);
    capng_update(CAPNG_ADD, static_cast<capng_type_t>(CAPNG_EFFECTIVE | CAPNG_PERMITTED), cap);
    if (capng_apply_caps_fd(fd) != 0) {
        die("setting file capabilities on " + path);
    }
    ::close(fd);
}

std::string required_env(const char* name)
{
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        throw std::runtime_error(std::string("environment variable ") + name +
                                 " must name the built helper (meson test sets it)");
    }
    return value;
}

void become(const Identity& who)
{
    if (::setgroups(who.groups.size(), who.groups.data()) != 0 ||
        ::setresgid(who.gid, who.gid, who.gid) != 0 ||
        ::setresuid(who.uid, who.uid, who.uid) != 0) {
        ::_exit(125);
    }
}

// Keeps only the listed descriptors (already at 0..keep_upto) open.
void close_from(int first)
{
    ::syscall(SYS_close_range, first, ~0U, 0);
}

std::string read_all(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

bool anything_mounted_under(const std::string& dir)
{
    std::ifstream mountinfo("/proc/self/mountinfo");
    for (std::string line; std::getline(mountinfo, line);) {
        std::istringstream fields(line);
        std::string id, parent, devno, root, mount_point;
        fields >> id >> parent >> devno >> root >> mount_point;
        if (mount_point == dir || mount_point.rfind(dir + "/", 0) == 0) {
            return true;
        }
    }
    return false;
}

}  // namespace

const char* const passwd_fixture =
    "root:x:0:0:root:/root:/bin/sh\n"
    "alice:x:60001:60001:fixture caller:/nonexistent:/usr/sbin/nologin\n"
    "bob:x:60002:60002:another user:/nonexistent:/usr/sbin/nologin\n"
    "alicealias:x:60001:60001:same uid as alice:/nonexistent:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
const char* const group_fixture = "root:x:0:\n"
                                  "alice:x:60001:\n"
                                  "bob:x:60002:\n"
                                  "aux:x:60010:alice\n"
                                  "nogroup:x:65534:\n";

std::string to_string(Install install)
{
    return install == Install::setuid ? "setuid" : "fcaps";
}

std::string install_name(const ::testing::TestParamInfo<Install>& param)
{
    return to_string(param.param);
}

const Helpers& installed(Install install)
{
    return install == Install::setuid ? setuid_helpers : fcaps_helpers;
}

const Helpers& built()
{
    return built_helpers;
}

// ---------------------------------------------------------------- Target

Target::Target(const TargetOptions& options)
{
    int ready[2];
    int release[2];
    if (::pipe2(ready, O_CLOEXEC) != 0 || ::pipe2(release, O_CLOEXEC) != 0) {
        die("pipe2");
    }
    const pid_t parent = ::getpid();
    if (options.clone3) {
        clone_args args{};
        args.flags = CLONE_PIDFD;
        args.pidfd = reinterpret_cast<std::uint64_t>(&pidfd_);
        args.exit_signal = SIGCHLD;
        pid_ = static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof args));
    } else {
        pid_ = ::fork();
    }
    if (pid_ < 0) {
        die("fork");
    }
    if (pid_ == 0) {
        ::dup2(release[0], 3);
        ::dup2(ready[1], 4);
        close_from(5);
        auto fail = [](const char* step) {
            const std::string message = std::string("e") + step + ": " + std::strerror(errno);
            (void)!::write(4, message.data(), message.size());
            ::_exit(1);
        };
        if (::setgroups(options.who.groups.size(), options.who.groups.data()) != 0 ||
            ::setresgid(options.who.gid, options.who.gid, options.who.gid) != 0 ||
            ::setresuid(options.who.uid, options.who.uid, options.who.uid) != 0) {
            fail("switching to the fixture user");
        }
        // After the uid change: it clears the death signal and dumpability.
        if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) {
            fail("PR_SET_PDEATHSIG");
        }
        if (::prctl(PR_SET_DUMPABLE, options.dumpable ? 1 : 0) != 0) {
            fail("PR_SET_DUMPABLE");
        }
        const uid_t outer_uid = ::geteuid();
        const gid_t outer_gid = ::getegid();
        if (options.new_userns && ::unshare(CLONE_NEWUSER) != 0) {
            fail("unshare(CLONE_NEWUSER)");
        }
        if (options.nested_userns) {
            // A namespace can be created inside another only by an ID
            // mapped there: map our own IDs (allowed unprivileged), then go
            // one level down.
            const auto put = [&](const char* file, const std::string& text) {
                const int fd = ::open(file, O_WRONLY);
                if (fd < 0 ||
                    ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
                    fail(file);
                }
                ::close(fd);
            };
            put("/proc/self/setgroups", "deny");
            put("/proc/self/uid_map", "0 " + std::to_string(outer_uid) + " 1");
            put("/proc/self/gid_map", "0 " + std::to_string(outer_gid) + " 1");
            if (::unshare(CLONE_NEWUSER) != 0) {
                fail("unshare(CLONE_NEWUSER) again");
            }
        }
        if (options.deny_setgroups_first) {
            const int fd = ::open("/proc/self/setgroups", O_WRONLY);
            if (fd < 0 || ::write(fd, "deny", 4) != 4) {
                fail("writing deny to setgroups");
            }
            ::close(fd);
        }
        (void)!::write(4, "r", 1);
        char byte;
        (void)!::read(3, &byte, 1);  // returns at EOF: released, or the test died
        ::_exit(0);
    }
    ::close(ready[1]);
    ::close(release[0]);
    release_fd_ = release[1];
    pollfd p{ready[0], POLLIN, 0};
    std::string message;
    if (::poll(&p, 1, 10000) == 1) {
        char buffer[512];
        const ssize_t n = ::read(ready[0], buffer, sizeof buffer);
        message.assign(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
    }
    ::close(ready[0]);
    if (message != "r") {
        ::close(release_fd_);
        release_fd_ = -1;
        reap(pid_, 1000);
        reaped_ = true;
        throw std::runtime_error("target did not start: " +
                                 (message.empty() ? std::string("timeout") : message.substr(1)));
    }
}

void Target::let_exit_unreaped()
{
    if (release_fd_ >= 0) {
        ::close(release_fd_);
        release_fd_ = -1;
    }
    // Wait (bounded) until it is a zombie, without reaping it.
    const int pidfd = pidfd_open(pid_);
    if (pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        ::poll(&p, 1, 10000);
        ::close(pidfd);
    }
}

void Target::exit_and_reap()
{
    if (release_fd_ >= 0) {
        ::close(release_fd_);
        release_fd_ = -1;
    }
    if (!reaped_) {
        reap(pid_, 10000);
        reaped_ = true;
    }
}

int Target::pidfd()
{
    if (pidfd_ < 0) {
        pidfd_ = pidfd_open(pid_);
        if (pidfd_ < 0) {
            die("pidfd_open");
        }
    }
    return pidfd_;
}

Target::~Target()
{
    if (release_fd_ >= 0) {
        ::close(release_fd_);
    }
    if (pidfd_ >= 0) {
        ::close(pidfd_);
    }
    if (!reaped_ && pid_ > 0) {
        reap(pid_, 5000);
    }
}

std::string Target::uid_map() const
{
    return normalise_map(read_all("/proc/" + pid_text() + "/uid_map"));
}

std::string Target::gid_map() const
{
    return normalise_map(read_all("/proc/" + pid_text() + "/gid_map"));
}

std::string Target::setgroups() const
{
    std::string text = read_all("/proc/" + pid_text() + "/setgroups");
    while (!text.empty() && text.back() == '\n') {
        text.pop_back();
    }
    return text;
}

std::string normalise_map(const std::string& text)
{
    std::istringstream in(text);
    std::string out;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string a, b, c;
        if (fields >> a >> b >> c) {
            out += a + " " + b + " " + c + "\n";
        }
    }
    return out;
}

// ---------------------------------------------------------------- run

Result run(const std::string& program, const std::vector<std::string>& args,
           const RunOptions& options)
{
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        die("pipe2");
    }
    int rss[2] = {-1, -1};
    std::vector<std::string> words{program};
    if (options.measure_rss) {
        if (::pipe2(rss, O_CLOEXEC) != 0) {
            die("pipe2");
        }
        words = {required_env("PEAK_RSS"), std::to_string(rss_fd), program};
    }
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& w : words) {
        argv.push_back(w.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> env_words = options.env;
    std::vector<char*> envp;
    for (std::string& e : env_words) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);

    const pid_t pid = ::fork();
    if (pid < 0) {
        die("fork");
    }
    if (pid == 0) {
        const int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        if (options.empty_argv) {
            argv.assign(1, nullptr);
        }
        for (const auto& [resource, value] : options.limits) {
            const rlimit limit{value, value};
            if (::setrlimit(resource, &limit) != 0) {
                ::_exit(124);
            }
        }
        if (options.block_all_signals) {
            sigset_t all;
            ::sigfillset(&all);
            ::sigprocmask(SIG_BLOCK, &all, nullptr);
        }
        if (options.ignore_all_signals) {
            for (int sig = 1; sig < NSIG; ++sig) {
                ::signal(sig, SIG_IGN);
            }
        }
        // Descriptors the program inherits besides 0-2: moved high first, so
        // that no dup2 clobbers another source, then into place.
        std::vector<std::pair<int, int>> keep;  // {wanted number, current fd}
        if (options.pass_fd) {
            keep.emplace_back(options.pass_fd_as, *options.pass_fd);
        }
        if (options.measure_rss) {
            keep.emplace_back(rss_fd, rss[1]);
        }
        for (auto& [wanted, current] : keep) {
            current = ::fcntl(current, F_DUPFD_CLOEXEC, 100);
        }
        for (const auto& [wanted, current] : keep) {
            ::dup2(current, wanted);  // dup2 clears FD_CLOEXEC
        }
        int next = 3;
        for (int fd = 3; fd < 100; ++fd) {
            bool kept = false;
            for (const auto& entry : keep) {
                kept = kept || entry.first == fd;
            }
            if (kept) {
                if (next < fd) {
                    ::syscall(SYS_close_range, next, fd - 1, 0);
                }
                next = fd + 1;
            }
        }
        close_from(next);
        become(options.who);
        for (int fd : options.close_fds) {
            ::close(fd);
        }
        if (options.no_new_privs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
            ::_exit(126);
        }
        ::execve(words[0].c_str(), argv.data(), envp.data());
        const std::string message = "exec " + program + ": " + std::strerror(errno) + "\n";
        (void)!::write(2, message.data(), message.size());
        ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    if (rss[1] >= 0) {
        ::close(rss[1]);
    }
    if (options.interrupt) {
        const Interruption& interrupt = *options.interrupt;
        if (interrupt.delay.count() > 0) {
            // Not synchronisation: a random point at which to interrupt.
            ::usleep(static_cast<useconds_t>(interrupt.delay.count()));
        }
        ::kill(pid, interrupt.signal);
        if (interrupt.signal == SIGSTOP) {
            siginfo_t info{};
            // Returns once it is stopped (SIGSTOP cannot be ignored) or has exited.
            ::waitid(P_PID, static_cast<id_t>(pid), &info, WSTOPPED | WEXITED | WNOWAIT);
            if (interrupt.while_stopped) {
                interrupt.while_stopped();
            }
            ::kill(pid, SIGKILL);
        }
    }
    if (options.during) {
        options.during(pid);
    }
    Result result;
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_pipes = 2;
    bool timed_out = false;
    while (open_pipes > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        if (::poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) {
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
                char buffer[4096];
                const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
                if (n > 0) {
                    sinks[i]->append(buffer, static_cast<std::size_t>(n));
                } else {
                    ::close(fds[i].fd);
                    fds[i].fd = -1;
                    --open_pipes;
                }
            }
        }
    }
    for (pollfd& p : fds) {
        if (p.fd >= 0) {
            ::close(p.fd);
        }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    drain_syslog();
    rusage usage{};
    const int status =
        reap(pid, timed_out ? 0 : std::max<int>(1, static_cast<int>(left.count())), &usage);
    (void)usage;
    if (rss[0] >= 0) {
        char buffer[32] = {};
        const ssize_t n = ::read(rss[0], buffer, sizeof buffer - 1);
        result.max_rss_kb = n > 0 ? std::atol(buffer) : -1;
        ::close(rss[0]);
    }
    if (status < 0) {
        result.status = -1;
    } else if (WIFEXITED(status)) {
        result.status = WEXITSTATUS(status);
    } else {
        result.status = 128 + WTERMSIG(status);
    }
    return result;
}

std::ostream& operator<<(std::ostream& out, const Result& result)
{
    return out << "status " << result.status << "\nstdout: " << result.out
               << "\nstderr: " << result.err;
}

// ---------------------------------------------------------------- WorldTest

void WorldTest::SetUp()
{
    scratch_ = base_dir + "/test.XXXXXX";
    if (::mkdtemp(scratch_.data()) == nullptr || ::chmod(scratch_.c_str(), 0755) != 0) {
        die("mkdtemp");
    }
    const std::string layers = scratch_ + "/.etc";
    ::mkdir(layers.c_str(), 0700);
    if (::mount("world-etc", layers.c_str(), "tmpfs", 0, "mode=0755") != 0) {
        die("mount tmpfs");
    }
    ::mkdir((layers + "/upper").c_str(), 0755);
    ::mkdir((layers + "/work").c_str(), 0755);
    const std::string overlay =
        "lowerdir=/etc,upperdir=" + layers + "/upper,workdir=" + layers + "/work";
    if (::mount("world-etc", "/etc", "overlay", 0, overlay.c_str()) != 0) {
        die("mount overlay on /etc");
    }
    // A private /dev too (an overlay, with the host's submounts put back), so
    // that /dev/log is our socket: the helpers' audit lines come to the test
    // and never reach the host's syslog.
    const std::string dev_layers = scratch_ + "/.dev";
    const std::string dev_orig = scratch_ + "/.dev-orig";
    ::mkdir(dev_layers.c_str(), 0700);
    ::mkdir(dev_orig.c_str(), 0700);
    if (::mount("/dev", dev_orig.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0 ||
        ::mount("world-dev", dev_layers.c_str(), "tmpfs", 0, "mode=0755") != 0) {
        die("mount for /dev");
    }
    ::mkdir((dev_layers + "/upper").c_str(), 0755);
    ::mkdir((dev_layers + "/work").c_str(), 0755);
    const std::string dev_overlay =
        "lowerdir=/dev,upperdir=" + dev_layers + "/upper,workdir=" + dev_layers + "/work";
    if (::mount("world-dev", "/dev", "overlay", 0, dev_overlay.c_str()) != 0) {
        die("mount overlay on /dev");
    }
    for (const char* sub : {"pts", "shm", "mqueue"}) {
        const std::string from = dev_orig + "/" + sub;
        const std::string to = std::string("/dev/") + sub;
        if (::access(from.c_str(), F_OK) == 0 && ::access(to.c_str(), F_OK) == 0) {
            ::mount(from.c_str(), to.c_str(), nullptr, MS_BIND | MS_REC, nullptr);
        }
    }
    ::unlink("/dev/log");
    syslog_fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, "/dev/log");
    if (syslog_fd_ < 0 ||
        ::bind(syslog_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::chmod("/dev/log", 0666) != 0) {
        die("syslog socket");
    }
    world_syslog_fd = syslog_fd_;
    syslog_received.clear();

    write_file("/etc/passwd", passwd_fixture);
    write_file("/etc/group", group_fixture);
    write_file("/etc/nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\n");
    for (const char* path : {"/etc/subuid", "/etc/subgid", "/etc/login.defs"}) {
        remove_file(path);
    }
}

void WorldTest::hide_shadow_helpers()
{
    const std::string blocker = scratch_ + "/not-executable";
    write_file(blocker, "#!/bin/false\n", 0644);
    for (const char* path : {"/usr/bin/newuidmap", "/usr/bin/newgidmap"}) {
        if (::access(path, F_OK) != 0) {
            continue;
        }
        if (::mount(blocker.c_str(), path, nullptr, MS_BIND, nullptr) != 0) {
            die(std::string("bind mount over ") + path);
        }
        mounts_.emplace_back(path);
    }
}

void WorldTest::install_subid_plugins()
{
    // The directory the loader searches by default: where libc lives.
    Dl_info info{};
    if (::dladdr(reinterpret_cast<void*>(&::getpid), &info) == 0 || info.dli_fname == nullptr) {
        throw std::runtime_error("cannot find the system library directory");
    }
    const std::string libdir = fs::canonical(info.dli_fname).parent_path();
    const std::string layers = scratch_ + "/.lib";
    ::mkdir(layers.c_str(), 0700);
    if (::mount("world-lib", layers.c_str(), "tmpfs", 0, "mode=0755") != 0) {
        die("mount tmpfs for the library overlay");
    }
    mounts_.push_back(layers);
    ::mkdir((layers + "/upper").c_str(), 0755);
    ::mkdir((layers + "/work").c_str(), 0755);
    const std::string built_dir = fs::path(required_env("SUBID_PLUGINS")).parent_path();
    for (const char* name : {"libsubid_fixture.so", "libsubid_nofree.so", "libsubid_nohas.so"}) {
        fs::copy_file(built_dir + "/" + name, layers + "/upper/" + name);
        ::chmod((layers + "/upper/" + name).c_str(), 0755);
    }
    const std::string options =
        "lowerdir=" + libdir + ",upperdir=" + layers + "/upper,workdir=" + layers + "/work";
    if (::mount("world-lib", libdir.c_str(), "overlay", 0, options.c_str()) != 0) {
        die("mount overlay on " + libdir);
    }
    mounts_.push_back(libdir);
}

bool have_program(const std::string& path)
{
    return ::access(path.c_str(), X_OK) == 0;
}

std::vector<std::string> WorldTest::syslog_messages()
{
    drain_syslog();
    std::vector<std::string> messages = std::move(syslog_received);
    syslog_received.clear();
    return messages;
}

void WorldTest::TearDown()
{
    for (auto it = mounts_.rbegin(); it != mounts_.rend(); ++it) {
        ::umount2(it->c_str(), MNT_DETACH);
    }
    mounts_.clear();
    if (syslog_fd_ >= 0) {
        ::close(syslog_fd_);
        syslog_fd_ = -1;
        world_syslog_fd = -1;
    }
    ::umount2("/dev", MNT_DETACH);
    ::umount2((scratch_ + "/.dev").c_str(), MNT_DETACH);
    ::umount2((scratch_ + "/.dev-orig").c_str(), MNT_DETACH);
    ::umount2("/etc", MNT_DETACH);
    ::umount2((scratch_ + "/.etc").c_str(), MNT_DETACH);
    // .dev-orig was a bind of the real /dev: never delete through a mount.
    if (anything_mounted_under(scratch_)) {
        ADD_FAILURE() << "something is still mounted under " << scratch_ << "; not removing it";
        return;
    }
    std::error_code ignored;
    fs::remove_all(scratch_, ignored);
}

void WorldTest::write_file(const std::string& path, const std::string& content, mode_t mode,
                           uid_t owner, gid_t group)
{
    ::unlink(path.c_str());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        die("create " + path);
    }
    if (::write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size()) ||
        ::fchown(fd, owner, group) != 0 || ::fchmod(fd, mode) != 0 || ::close(fd) != 0) {
        die("write " + path);
    }
}

void WorldTest::remove_file(const std::string& path)
{
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        die("unlink " + path);
    }
}

void WorldTest::make_symlink(const std::string& target, const std::string& path)
{
    remove_file(path);
    if (::symlink(target.c_str(), path.c_str()) != 0) {
        die("symlink " + path);
    }
}

void WorldTest::make_dir(const std::string& path, mode_t mode, uid_t owner)
{
    if (::mkdir(path.c_str(), mode) != 0 || ::chown(path.c_str(), owner, 0) != 0 ||
        ::chmod(path.c_str(), mode) != 0) {
        die("mkdir " + path);
    }
}

Result WorldTest::newuidmap(const std::vector<std::string>& args, const RunOptions& options) const
{
    return run(helpers().newuidmap, args, options);
}

Result WorldTest::newgidmap(const std::vector<std::string>& args, const RunOptions& options) const
{
    return run(helpers().newgidmap, args, options);
}

}  // namespace world

// ---------------------------------------------------------------- main

namespace {

void prepare_world()
{
    using namespace world;
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        die("private mount namespace");
    }
    base_dir = "/tmp/newidmap-world.XXXXXX";
    if (::mkdtemp(base_dir.data()) == nullptr || ::chmod(base_dir.c_str(), 0755) != 0) {
        die("mkdtemp");
    }
    // Plain copies (0755, no setuid bit, no capabilities), whatever the
    // modes of the binaries under test (a package's are setuid already).
    const std::string plain = base_dir + "/plain";
    ::mkdir(plain.c_str(), 0755);
    built_helpers = {plain + "/newuidmap", plain + "/newgidmap"};
    copy_file(required_env("NEWUIDMAP"), built_helpers.newuidmap);
    copy_file(required_env("NEWGIDMAP"), built_helpers.newgidmap);
    for (const std::string& path : {built_helpers.newuidmap, built_helpers.newgidmap}) {
        if (::chmod(path.c_str(), 0755) != 0) {
            die("chmod " + path);
        }
    }
    for (const char* kind : {"setuid", "fcaps"}) {
        const std::string dir = base_dir + "/" + kind;
        ::mkdir(dir.c_str(), 0755);
        Helpers& h = std::string(kind) == "setuid" ? setuid_helpers : fcaps_helpers;
        h = {dir + "/newuidmap", dir + "/newgidmap"};
        copy_file(built_helpers.newuidmap, h.newuidmap);
        copy_file(built_helpers.newgidmap, h.newgidmap);
        if (h.newuidmap.find("/setuid/") != std::string::npos) {
            install_setuid(h.newuidmap);
            install_setuid(h.newgidmap);
        } else {
            install_fcaps(h.newuidmap, CAP_SETUID);
            install_fcaps(h.newgidmap, CAP_SETGID);
        }
    }
}

}  // namespace

int main(int argc, char** argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    if (::geteuid() != 0) {
        std::cerr << "SKIP: the integration tests need root (they install setuid helpers and "
                     "build private mount namespaces); run them with sudo tests/run\n";
        return 77;
    }
    int rc = 1;
    try {
        prepare_world();
        rc = RUN_ALL_TESTS();
    } catch (const std::exception& e) {
        std::cerr << "integration world: " << e.what() << "\n";
    }
    std::error_code ignored;
    if (!world::base_dir.empty()) {
        fs::remove_all(world::base_dir, ignored);
    }
    return rc;
}
