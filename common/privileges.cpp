#include "privileges.hpp"

#include "error.hpp"

#include <cap-ng.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
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

void load_process_caps()
{
    if (::capng_get_caps_process() != 0) {
        throw Failure("capabilities", "cannot read this process's capability sets");
    }
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
// inheritable set is empty.
bool holds_exactly(const unsigned* caps, std::size_t n)
{
    load_process_caps();
    for (unsigned cap = 0; cap <= CAP_LAST_CAP; ++cap) {
        bool wanted = false;
        for (std::size_t i = 0; i < n; ++i) {
            wanted = wanted || caps[i] == cap;
        }
        for (capng_type_t set : {CAPNG_EFFECTIVE, CAPNG_PERMITTED}) {
            if ((::capng_have_capability(set, cap) != 0) != wanted) {
                return false;
            }
        }
        if (::capng_have_capability(CAPNG_INHERITABLE, cap) != 0) {
            return false;
        }
    }
    return true;
}

}  // namespace

void require_privilege(IdKind kind)
{
    load_process_caps();
    if (::capng_have_capability(CAPNG_PERMITTED, static_cast<unsigned>(traits(kind).capability)) ==
        0) {
        throw Failure("no privilege", std::string("not installed setuid root or with file "
                                                  "capabilities, or no_new_privs is set (") +
                                          traits(kind).capability_name + " is not permitted)");
    }
}

HeldPrivileges become_caller(IdKind kind, bool want_setfcap)
{
    const Ids ids = current_ids();
    load_process_caps();
    HeldPrivileges held;
    held.setfcap = want_setfcap && ::capng_have_capability(CAPNG_PERMITTED, CAP_SETFCAP) != 0;
    const bool can_clear_bounding = ::capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP) != 0;

    ::capng_clear(CAPNG_SELECT_ALL);
    unsigned keep[2] = {static_cast<unsigned>(traits(kind).capability), CAP_SETFCAP};
    const std::size_t nkeep = held.setfcap ? 2 : 1;
    for (std::size_t i = 0; i < nkeep; ++i) {
        if (::capng_update(CAPNG_ADD, static_cast<capng_type_t>(CAPNG_EFFECTIVE | CAPNG_PERMITTED),
                           keep[i]) != 0) {
            throw Failure("capabilities", "cannot prepare the capability sets");
        }
    }
    // The bounding set only matters across execve, which we never do, but an
    // empty one makes that certain. Dropping from it needs CAP_SETPCAP, which
    // only a setuid-root start has, so do it first.
    if (can_clear_bounding) {
        if (::capng_apply(CAPNG_SELECT_BOUNDS) != 0) {
            throw Failure("capabilities", "cannot clear the bounding set");
        }
        held.bounding_cleared = true;
    }
    switch_ids_to_caller(ids);
    if (::capng_apply(static_cast<capng_select_t>(CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT)) != 0) {
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
    load_process_caps();
    const bool can_clear_bounding = ::capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP) != 0;
    ::capng_clear(CAPNG_SELECT_ALL);
    if (can_clear_bounding && ::capng_apply(CAPNG_SELECT_BOUNDS) != 0) {
        throw Failure("capabilities", "cannot clear the bounding set");
    }
    switch_ids_to_caller(ids);
    if (::capng_apply(static_cast<capng_select_t>(CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT)) != 0) {
        throw Failure("capabilities", "cannot drop every capability");
    }
    if (!holds_exactly(nullptr, 0)) {
        throw Failure("capabilities", "capabilities remain after dropping them all");
    }
}

}  // namespace idmap
