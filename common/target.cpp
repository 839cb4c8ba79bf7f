#include "target.hpp"

#include "error.hpp"
#include "paths.hpp"
#include "text.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

namespace idmap {

namespace {

// Reads a small /proc file below dir; nullopt if it does not exist. The
// files read here are generated whole at the first read, so a first read
// shorter than the buffer is the whole file.
std::optional<std::string> read_proc_file(int dir, const char* name, const std::string& what)
{
    UniqueFd fd(::openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!fd.valid()) {
        if (errno == ENOENT || errno == ESRCH) {
            return std::nullopt;
        }
        fail_errno(what + ": cannot read " + name, errno);
    }
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == ESRCH) {
                return std::nullopt;
            }
            fail_errno(what + ": cannot read " + name, errno);
        }
        text.append(buffer, static_cast<std::size_t>(n));
        if (static_cast<std::size_t>(n) < sizeof buffer || text.size() > 65536) {
            return text;
        }
    }
}

struct ProcStat {
    pid_t pid;
    char state;
};

// "<pid> (<comm>) <state> ..."; comm may hold anything, so look for the last ')'.
std::optional<ProcStat> parse_proc_stat(const std::string& text)
{
    const std::size_t close = text.rfind(')');
    if (close == std::string::npos || close + 2 >= text.size()) {
        return std::nullopt;
    }
    const std::size_t space = text.find(' ');
    long pid = 0;
    try {
        pid = std::stol(text.substr(0, space));
    } catch (...) {
        return std::nullopt;
    }
    return ProcStat{static_cast<pid_t>(pid), text[close + 2]};
}

std::string describe_pid(pid_t pid)
{
    return "process " + std::to_string(pid);
}

UniqueFd open_pid_dir(int pid)
{
    const std::string path = std::string(paths::proc) + "/" + std::to_string(pid);
    UniqueFd dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir.valid()) {
        if (errno == ENOENT) {
            throw Failure(describe_pid(pid), "no such process");
        }
        fail_errno(describe_pid(pid) + ": cannot open " + path, errno);
    }
    return dir;
}

// The pid a pidfd refers to, from /proc/self/fdinfo/<fd> ("Pid:\t<pid>"),
// or nullopt if fd is not a pidfd. -1 means the process has exited and been
// reaped; 0 that it is in a pid namespace we cannot see.
std::optional<long> pidfd_pid(int fd, const std::string& what)
{
    const std::string path = std::string(paths::proc_self) + "/fdinfo/" + std::to_string(fd);
    const auto info = read_proc_file(AT_FDCWD, path.c_str(), what);
    if (!info) {
        return std::nullopt;
    }
    const std::size_t at = info->find("\nPid:\t");
    if (at == std::string::npos) {
        return std::nullopt;
    }
    const std::size_t start = at + 6;
    const std::size_t end = info->find('\n', start);
    try {
        return std::stol(info->substr(start, end - start));
    } catch (...) {
        return std::nullopt;
    }
}

UniqueFd take_inherited_pidfd(const TargetSpec& spec, const std::string& what)
{
    const auto pid = pidfd_pid(spec.number, what);
    if (!pid) {
        throw Failure(what, "descriptor " + std::to_string(spec.number) +
                                " is neither a /proc/<pid> directory on our /proc nor a pidfd");
    }
    if (*pid < 0) {
        throw Failure(what, "the process has exited");
    }
    if (*pid == 0 || *pid > 2147483647) {
        throw Failure(what, "the process is in a pid namespace we cannot see");
    }
    UniqueFd dir = open_pid_dir(static_cast<int>(*pid));
    // The pid could have been reused between reading fdinfo and opening
    // /proc/<pid>. If the pidfd's process is still alive now, the pid is
    // still its own, so the directory we hold is the right one.
    if (::syscall(SYS_pidfd_send_signal, spec.number, 0, nullptr, 0) != 0) {
        if (errno == ESRCH) {
            throw Failure(what, "the process has exited");
        }
        if (errno == EPERM) {
            throw Failure(what, "process " + std::to_string(*pid) +
                                    " is not yours (you may not signal it)");
        }
        fail_errno(what + ": cannot confirm that process " + std::to_string(*pid) + " is alive",
                   errno);
    }
    return dir;
}

UniqueFd take_inherited_dir(const TargetSpec& spec)
{
    const std::string what = "target " + quote(spec.text);
    struct stat st {};
    if (::fstat(spec.number, &st) != 0) {
        if (errno == EBADF) {
            throw Failure(what, "descriptor " + std::to_string(spec.number) + " is not open");
        }
        fail_errno(what, errno);
    }
    if (!S_ISDIR(st.st_mode)) {
        return take_inherited_pidfd(spec, what);
    }
    struct stat proc_self {};
    if (::stat(paths::proc_self, &proc_self) != 0) {
        fail_errno(paths::proc_self, errno);
    }
    if (st.st_dev != proc_self.st_dev) {
        throw Failure(what, "descriptor " + std::to_string(spec.number) +
                                " is a directory, but not a /proc/<pid> directory on our /proc");
    }
    // Our own copy, close-on-exec; the inherited one stays as it is.
    UniqueFd dir(::fcntl(spec.number, F_DUPFD_CLOEXEC, 3));
    if (!dir.valid()) {
        fail_errno(what + ": cannot duplicate the descriptor", errno);
    }
    return dir;
}

struct stat stat_or_fail(int fd, const std::string& what)
{
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        fail_errno(what, errno);
    }
    return st;
}

}  // namespace

TargetProcess::TargetProcess(UniqueFd dir, pid_t pid, const struct stat& st)
    : dir_(std::move(dir)), pid_(pid), st_(st)
{
}

TargetProcess TargetProcess::open(const TargetSpec& spec)
{
    UniqueFd dir =
        spec.form == TargetSpec::Form::pid ? open_pid_dir(spec.number) : take_inherited_dir(spec);
    const std::string what = spec.form == TargetSpec::Form::pid ? describe_pid(spec.number)
                                                                : "target " + quote(spec.text);
    const auto stat_text = read_proc_file(dir.get(), "stat", what);
    if (!stat_text) {
        throw Failure(what, "the process has exited");
    }
    const auto parsed = parse_proc_stat(*stat_text);
    if (!parsed) {
        throw Failure(what, "is not a /proc/<pid> directory (no process status in it)");
    }
    if (parsed->state == 'Z' || parsed->state == 'X') {
        throw Failure(describe_pid(parsed->pid), "the process has exited");
    }
    const struct stat st = stat_or_fail(dir.get(), what);
    return TargetProcess(std::move(dir), parsed->pid, st);
}

std::string TargetProcess::describe() const
{
    return describe_pid(pid_);
}

void TargetProcess::check_owner(const Caller& caller) const
{
    if (st_.st_uid == caller.uid && st_.st_gid == caller.gid) {
        return;
    }
    throw Failure(describe(), "it belongs to uid " + std::to_string(st_.st_uid) + " gid " +
                                  std::to_string(st_.st_gid) + ", and you are uid " +
                                  std::to_string(caller.uid) + " gid " +
                                  std::to_string(caller.gid));
}

void TargetProcess::check_mappable(IdKind kind) const
{
    UniqueFd ns(::openat(dir_.get(), "ns/user", O_RDONLY | O_CLOEXEC));
    if (!ns.valid()) {
        if (errno == ENOENT || errno == ESRCH) {
            throw Failure(describe(), "the process has exited");
        }
        if (errno == EACCES || errno == EPERM) {
            // ptrace-style access is denied when the process is not
            // dumpable, or is not in a namespace we own.
            throw Failure(describe(), "its user namespace cannot be inspected (permission "
                                      "denied): the process is not dumpable, or it is not in a "
                                      "new user namespace of yours");
        }
        fail_errno(describe() + ": cannot inspect its user namespace", errno);
    }
    // A child of ours, asked of the kernel alone: NS_GET_PARENT fails with
    // EPERM when the parent is not our namespace or one below it
    // (ioctl_ns(2)). So the target's parent, if we get it, is ours exactly
    // when its own parent is refused. (The kernel checks this again when
    // the map is written; this is for a clear message, and before setgroups.)
    bool parent_is_ours = false;
    const UniqueFd parent(::ioctl(ns.get(), NS_GET_PARENT));
    if (parent.valid()) {
        const UniqueFd grandparent(::ioctl(parent.get(), NS_GET_PARENT));
        if (!grandparent.valid() && errno != EPERM) {
            fail_errno(describe() + ": cannot find the parent of its user namespace", errno);
        }
        if (!grandparent.valid()) {
            parent_is_ours = true;
        }
    } else if (errno != EPERM) {
        fail_errno(describe() + ": cannot find the parent of its user namespace", errno);
    }
    if (!parent_is_ours) {
        struct stat ours {};
        if (::stat("/proc/self/ns/user", &ours) != 0) {
            fail_errno("/proc/self/ns/user", errno);
        }
        const struct stat theirs = stat_or_fail(ns.get(), describe());
        if (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino) {
            throw Failure(describe(), "it is in our own user namespace, not a new one "
                                      "(it must call unshare(CLONE_NEWUSER) first)");
        }
        throw Failure(describe(), "its user namespace is not a child of ours");
    }

    const auto map = read_proc_file(dir_.get(), traits(kind).map_file, describe());
    if (!map) {
        throw Failure(describe(), "the process has exited");
    }
    if (!map->empty()) {
        throw Failure(describe(), std::string("its ") + traits(kind).map_file +
                                      " is already written (a map can be written only once)");
    }
}

bool TargetProcess::deny_setgroups() const
{
    UniqueFd fd(::openat(dir_.get(), "setgroups", O_RDWR | O_CLOEXEC));
    if (!fd.valid()) {
        if (errno == ENOENT) {
            return false;
        }
        fail_errno(describe() + ": cannot open setgroups", errno);
    }
    char current[16] = {};
    if (::read(fd.get(), current, sizeof current - 1) < 0) {
        fail_errno(describe() + ": cannot read setgroups", errno);
    }
    if (std::string_view(current).starts_with("deny")) {
        return true;
    }
    static constexpr char deny[] = "deny\n";
    if (::lseek(fd.get(), 0, SEEK_SET) != 0) {
        fail_errno(describe() + ": cannot rewind setgroups", errno);
    }
    const ssize_t n = ::write(fd.get(), deny, sizeof deny - 1);
    if (n != static_cast<ssize_t>(sizeof deny - 1)) {
        fail_errno(describe() + ": cannot write \"deny\" to setgroups", n < 0 ? errno : EIO);
    }
    if (fd.close() != 0) {
        fail_errno(describe() + ": cannot write \"deny\" to setgroups", errno);
    }
    return true;
}

void TargetProcess::write_map(IdKind kind, const std::string& text) const
{
    const char* file = traits(kind).map_file;
    UniqueFd fd(::openat(dir_.get(), file, O_WRONLY | O_CLOEXEC));
    if (!fd.valid()) {
        fail_errno(describe() + ": cannot open " + file, errno);
    }
    const ssize_t n = ::write(fd.get(), text.data(), text.size());
    if (n < 0) {
        const int err = errno;
        if (err == EPERM) {
            throw Failure(describe(), std::string("the kernel refused to write ") + file +
                                          ": permission denied");
        }
        fail_errno(describe() + ": the kernel refused to write " + file, err);
    }
    if (static_cast<std::size_t>(n) != text.size()) {
        throw Failure(describe(), std::string("short write to ") + file + " (" + std::to_string(n) +
                                      " of " + std::to_string(text.size()) + " bytes)");
    }
    if (fd.close() != 0) {
        fail_errno(describe() + ": writing " + file + " failed", errno);
    }
}

}  // namespace idmap
