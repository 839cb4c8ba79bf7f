#include "passwd.hpp"

#include "error.hpp"
#include "nsswitch.hpp"
#include "paths.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <vector>

namespace idmap {

namespace {

// getpw*_r report "no such user" as 0 or one of these, depending on the backend.
bool means_not_found(int err)
{
    return err == 0 || err == ENOENT || err == ESRCH || err == EBADF || err == EPERM;
}

template <typename Lookup>
std::optional<struct passwd> lookup(Lookup&& call, std::vector<char>& buffer, const char* what)
{
    buffer.resize(16384);
    for (;;) {
        struct passwd entry {};
        struct passwd* result = nullptr;
        const int err = call(&entry, buffer.data(), buffer.size(), &result);
        if (result != nullptr) {
            return entry;
        }
        if (err == ERANGE && buffer.size() < (1U << 20)) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        if (means_not_found(err)) {
            return std::nullopt;
        }
        fail_errno(std::string("passwd lookup of ") + what, err);
    }
}

}  // namespace

std::optional<PasswdEntry> SystemPasswd::entry_of(const std::string& name)
{
    std::vector<char> buffer;
    const auto entry = lookup(
        [&](struct passwd* pw, char* buf, std::size_t size, struct passwd** result) {
            return ::getpwnam_r(name.c_str(), pw, buf, size, result);
        },
        buffer, "a subid owner");
    if (!entry) {
        return std::nullopt;
    }
    return PasswdEntry{entry->pw_uid, entry->pw_gid};
}

std::optional<PasswdEntry> SystemPasswd::entry_of_uid(uid_t uid)
{
    std::vector<char> buffer;
    const auto entry =
        lookup([&](struct passwd* pw, char* buf, std::size_t size,
                   struct passwd** result) { return ::getpwuid_r(uid, pw, buf, size, result); },
               buffer, "a subid owner");
    if (!entry) {
        return std::nullopt;
    }
    return PasswdEntry{entry->pw_uid, entry->pw_gid};
}

EnumeratedPasswd::EnumeratedPasswd()
{
    std::string conf;
    if (std::FILE* file = std::fopen(paths::nsswitch, "re")) {
        char buffer[4096];
        std::size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0 && conf.size() < (1U << 20)) {
            conf.append(buffer, n);
        }
        std::fclose(file);
    }
    const auto services = nss_services(conf, "passwd");
    complete_ = std::all_of(services.begin(), services.end(),
                            [](const std::string& s) { return s == "files" || s == "systemd"; });
    ::setpwent();
    while (const struct passwd* entry = ::getpwent()) {
        const PasswdEntry e{entry->pw_uid, entry->pw_gid};
        by_name_.emplace(entry->pw_name, e);
        by_uid_.emplace(entry->pw_uid, e);
    }
    ::endpwent();
}

std::optional<PasswdEntry> EnumeratedPasswd::entry_of(const std::string& name)
{
    if (const auto it = by_name_.find(name); it != by_name_.end()) {
        return it->second;
    }
    return complete_ ? std::nullopt : one_by_one_.entry_of(name);
}

std::optional<PasswdEntry> EnumeratedPasswd::entry_of_uid(uid_t uid)
{
    if (const auto it = by_uid_.find(uid); it != by_uid_.end()) {
        return it->second;
    }
    return complete_ ? std::nullopt : one_by_one_.entry_of_uid(uid);
}

Caller identify_caller(uid_t uid, gid_t gid)
{
    Caller caller;
    caller.uid = uid;
    caller.gid = gid;
    std::vector<char> buffer;
    const auto entry =
        lookup([&](struct passwd* pw, char* buf, std::size_t size,
                   struct passwd** result) { return ::getpwuid_r(uid, pw, buf, size, result); },
               buffer, "your uid");
    if (entry) {
        caller.name = std::string(entry->pw_name);
        caller.passwd_gid = entry->pw_gid;
    }
    return caller;
}

}  // namespace idmap
