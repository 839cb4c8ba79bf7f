#include "privileges.hpp"

#include "error.hpp"

#include <cap-ng.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>

namespace idmap {

namespace {

struct Ids {
    uid_t ruid, euid, suid;
    gid_t rgid, egid, sgid;
};

Ids current_ids()
{
    Ids ids{};
    if (::getresuid(&ids.ruid, &ids.euid, &ids.suid) != 0 ||
        ::getresgid(&ids.rgid, &ids.egid, &ids.sgid) != 0) {
        fail_errno("getresuid", errno);
    }
    return ids;
}

// The three capability sets as the kernel reports them. capget(2) directly:
// libcap-ng's capng_get_caps_process() also parses /proc/self/status
// (twice) each time, which is most of a helper's start-up cost.
struct CapSets {
    std::uint64_t effective = 0;
    std::uint64_t permitted = 0;
    std::uint64_t inheritable = 0;

    [[nodiscard]] bool permits(unsigned cap) const { return (permitted >> cap & 1U) != 0; }
    [[nodiscard]] bool has_effective(unsigned cap) const { return (effective >> cap & 1U) != 0; }
};

CapSets current_caps()
{
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (::syscall(SYS_capget, &header, data) != 0) {
        fail_errno("capget", errno);
    }
    auto join = [](std::uint32_t low, std::uint32_t high) {
        return std::uint64_t{low} | std::uint64_t{high} << 32;
    };
    return {join(data[0].effective, data[1].effective), join(data[0].permitted, data[1].permitted),
            join(data[0].inheritable, data[1].inheritable)};
}

// Real, effective and saved IDs all become the caller's (the real ones).
// PR_SET_KEEPCAPS keeps the permitted set across the uid change from root.
void switch_ids_to_caller(const Ids& ids)
{
    const bool uid_change = ids.euid != ids.ruid || ids.suid != ids.ruid;
    const bool gid_change = ids.egid != ids.rgid || ids.sgid != ids.rgid;
    if (uid_change && ::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) {
        fail_errno("prctl(PR_SET_KEEPCAPS)", errno);
    }
    if (gid_change && ::setresgid(ids.rgid, ids.rgid, ids.rgid) != 0) {
        fail_errno("setresgid", errno);
    }
    if (uid_change && ::setresuid(ids.ruid, ids.ruid, ids.ruid) != 0) {
        fail_errno("setresuid", errno);
    }
    if (uid_change && ::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) {
        fail_errno("prctl(PR_SET_KEEPCAPS)", errno);
    }
    const Ids now = current_ids();
    if (now.ruid != ids.ruid || now.euid != ids.ruid || now.suid != ids.ruid ||
        now.rgid != ids.rgid || now.egid != ids.rgid || now.sgid != ids.rgid) {
        throw Failure("privileges", "could not switch every uid and gid to the caller's");
    }
}

// True if the effective and permitted sets are exactly `caps` and the
// inheritable set is empty. No capability can then be ambient: the kernel
// keeps ambient within permitted and inheritable (capabilities(7)), and
// libcap-ng cleared it anyway.
bool holds_exactly(const unsigned* caps, std::size_t n)
{
    std::uint64_t wanted = 0;
    for (std::size_t i = 0; i < n; ++i) {
        wanted |= std::uint64_t{1} << caps[i];
    }
    const CapSets now = current_caps();
    return now.effective == wanted && now.permitted == wanted && now.inheritable == 0;
}

// No execve from here on can gain a privilege: set-user-ID bits and file
// capabilities are ignored, and no capability beyond those still permitted
// is granted, even to uid 0 (prctl(2), PR_SET_NO_NEW_PRIVS). That is all an
// empty bounding set would ensure (it matters only across execve, which we
// never do), it holds under file capabilities too (emptying the bounding set
// needs CAP_SETPCAP), and it is one system call where the bounding set takes
// one credential change per capability.
void forbid_new_privileges()
{
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        fail_errno("prctl(PR_SET_NO_NEW_PRIVS)", errno);
    }
}

}  // namespace

void require_privilege(IdKind kind)
{
    if (!current_caps().permits(static_cast<unsigned>(traits(kind).capability))) {
        throw Failure("no privilege", std::string("not installed setuid root or with file "
                                                  "capabilities, or no_new_privs is set (") +
                                          traits(kind).capability_name + " is not permitted)");
    }
}

HeldPrivileges become_caller(IdKind kind, bool want_setfcap)
{
    const Ids ids = current_ids();
    const CapSets start = current_caps();
    HeldPrivileges held;
    held.setfcap = want_setfcap && start.permits(CAP_SETFCAP);
    forbid_new_privileges();

    ::capng_clear(CAPNG_SELECT_ALL);
    unsigned keep[2] = {static_cast<unsigned>(traits(kind).capability), CAP_SETFCAP};
    const std::size_t nkeep = held.setfcap ? 2 : 1;
    for (std::size_t i = 0; i < nkeep; ++i) {
        if (::capng_update(CAPNG_ADD, static_cast<capng_type_t>(CAPNG_EFFECTIVE | CAPNG_PERMITTED),
                           keep[i]) != 0) {
            throw Failure("capabilities", "cannot prepare the capability sets");
        }
    }
    switch_ids_to_caller(ids);
    // The capset empties the ambient set too (see holds_exactly): no
    // separate PR_CAP_AMBIENT_CLEAR_ALL, which is one more credential change.
    if (::capng_apply(CAPNG_SELECT_CAPS) != 0) {
        throw Failure("capabilities", std::string("cannot reduce the capability sets to ") +
                                          traits(kind).capability_name);
    }
    if (!holds_exactly(keep, nkeep)) {
        throw Failure("capabilities", "the capability sets are not what was asked for");
    }
    return held;
}

void drop_all_privileges()
{
    const Ids ids = current_ids();
    forbid_new_privileges();
    ::capng_clear(CAPNG_SELECT_ALL);
    switch_ids_to_caller(ids);
    if (::capng_apply(CAPNG_SELECT_CAPS) != 0) {
        throw Failure("capabilities", "cannot drop every capability");
    }
    if (!holds_exactly(nullptr, 0)) {
        throw Failure("capabilities", "capabilities remain after dropping them all");
    }
}

}  // namespace idmap
