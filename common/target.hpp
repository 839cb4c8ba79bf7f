// The target process (SPEC §2): one descriptor of its /proc/<pid> directory,
// opened once; every later access is relative to it, so a recycled pid
// cannot redirect the write.
#pragma once

#include "cmdline.hpp"
#include "fd.hpp"
#include "id_kind.hpp"
#include "owner.hpp"

#include <sys/stat.h>
#include <sys/types.h>

#include <string>

namespace idmap {

class TargetProcess {
public:
    // Opens /proc/<pid>, or takes over an inherited fd:<N>. Throws Failure.
    [[nodiscard]] static TargetProcess open(const TargetSpec& spec);

    [[nodiscard]] pid_t pid() const noexcept { return pid_; }
    [[nodiscard]] std::string describe() const;

    // /proc/<pid> must be owned by the caller's real uid and real gid.
    void check_owner(const Caller& caller) const;

    // Says why the kernel would refuse, when we can tell: the process has
    // exited, shares our user namespace (or is not in a child of it), or its
    // map is already written.
    void check_mappable(IdKind kind) const;

    // Writes "deny" to setgroups unless it already says so. Returns false if
    // the kernel has no setgroups file (before 3.19).
    [[nodiscard]] bool deny_setgroups() const;

    // Opens uid_map/gid_map write-only and writes the whole text in one write().
    void write_map(IdKind kind, const std::string& text) const;

private:
    TargetProcess(UniqueFd dir, pid_t pid, const struct stat& st);

    UniqueFd dir_;
    pid_t pid_;
    struct stat st_;
};

}  // namespace idmap
