#include "passwd.hpp"

#include "error.hpp"
#include "lines.hpp"
#include "nsswitch.hpp"
#include "passwd_file.hpp"
#include "paths.hpp"
#include "trusted_file.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
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
std::optional<struct passwd> lookup(Lookup&& call, std::vector<char>& buffer,
                                    const std::string& what)
{
    // Grown on ERANGE; a passwd line is rarely longer than this.
    buffer.resize(1024);
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
        fail_errno("passwd lookup of " + what, err);
    }
}

enum class FileAnswer { found, absent, unsure };

PasswdLine parse_line(const Line& line) noexcept
{
    if (line.too_long) {
        PasswdLine unusual;
        unusual.kind = PasswdLine::Kind::unusual;
        return unusual;
    }
    return parse_passwd_line(line.text);
}

// Reads /etc/passwd up to the first plain entry that match() accepts, as
// nss_files would. unsure: the file could not be read as a regular file, or
// a line before the answer is one nss_files might read differently.
template <typename Match> FileAnswer search_passwd_file(Match&& match, NamedPasswdEntry& found)
{
    UniqueFd fd(::open(paths::passwd, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    struct stat st {};
    if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return FileAnswer::unsure;  // libc reports its own error, if any
    }
    FileAnswer answer = FileAnswer::absent;
    LineSplitter lines(max_passwd_line);
    const auto take = [&](const Line& line) {
        if (answer != FileAnswer::absent) {
            return;
        }
        const PasswdLine parsed = parse_line(line);
        if (parsed.kind == PasswdLine::Kind::unusual) {
            answer = FileAnswer::unsure;
        } else if (parsed.kind == PasswdLine::Kind::entry && match(parsed)) {
            found = NamedPasswdEntry{std::string(parsed.name), PasswdEntry{parsed.uid, parsed.gid}};
            answer = FileAnswer::found;
        }
    };
    try {
        read_chunks(fd.get(), paths::passwd, [&](std::string_view chunk) {
            lines.feed(chunk, take);
            return answer == FileAnswer::absent;
        });
        lines.finish(take);
    } catch (const Failure&) {
        return FileAnswer::unsure;
    }
    return answer;
}

std::optional<NamedPasswdEntry> libc_entry_of_uid(uid_t uid)
{
    std::vector<char> buffer;
    const auto entry =
        lookup([&](struct passwd* pw, char* buf, std::size_t size,
                   struct passwd** result) { return ::getpwuid_r(uid, pw, buf, size, result); },
               buffer, "uid " + std::to_string(uid));
    if (!entry) {
        return std::nullopt;
    }
    return NamedPasswdEntry{entry->pw_name, PasswdEntry{entry->pw_uid, entry->pw_gid}};
}

std::optional<PasswdEntry> libc_entry_of(const std::string& name)
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

}  // namespace

SystemPasswd::SystemPasswd(std::string_view nsswitch_text)
    : files_first_(passwd_files_first(nsswitch_text)), files_only_(passwd_files_only(nsswitch_text))
{
}

std::optional<PasswdEntry> SystemPasswd::entry_of(const std::string& name)
{
    if (files_first_) {
        NamedPasswdEntry found;
        const FileAnswer answer =
            search_passwd_file([&](const PasswdLine& line) { return line.name == name; }, found);
        if (answer == FileAnswer::found) {
            return found.entry;
        }
        if (answer == FileAnswer::absent && files_only_) {
            return std::nullopt;
        }
    }
    return libc_entry_of(name);
}

std::optional<NamedPasswdEntry> SystemPasswd::named_entry_of_uid(uid_t uid)
{
    if (files_first_) {
        NamedPasswdEntry found;
        const FileAnswer answer =
            search_passwd_file([&](const PasswdLine& line) { return line.uid == uid; }, found);
        if (answer == FileAnswer::found) {
            return found;
        }
        if (answer == FileAnswer::absent && files_only_) {
            return std::nullopt;
        }
    }
    return libc_entry_of_uid(uid);
}

std::optional<PasswdEntry> SystemPasswd::entry_of_uid(uid_t uid)
{
    const auto named = named_entry_of_uid(uid);
    if (!named) {
        return std::nullopt;
    }
    return named->entry;
}

EnumeratedPasswd::EnumeratedPasswd(std::string_view nsswitch_text) : one_by_one_(nsswitch_text)
{
    if (passwd_files_first(nsswitch_text) && read_file()) {
        complete_ = passwd_files_only(nsswitch_text);
        return;
    }
    by_name_ = {};
    in_order_.clear();
    enumerate();
    const auto services = nss_services(nsswitch_text, "passwd");
    complete_ = std::all_of(services.begin(), services.end(),
                            [](const std::string& s) { return s == "files" || s == "systemd"; });
}

bool EnumeratedPasswd::read_file()
{
    UniqueFd fd(::open(paths::passwd, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    struct stat st {};
    if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return false;
    }
    bool plain = true;
    by_name_.reserve(static_cast<std::size_t>(st.st_size) / 32);
    in_order_.reserve(static_cast<std::size_t>(st.st_size) / 32);
    LineSplitter lines(max_passwd_line);
    const auto take = [&](const Line& line) {
        const PasswdLine parsed = parse_line(line);
        if (parsed.kind == PasswdLine::Kind::unusual) {
            plain = false;
        } else if (parsed.kind == PasswdLine::Kind::entry) {
            add(parsed.name, PasswdEntry{parsed.uid, parsed.gid});
        }
    };
    try {
        read_chunks(fd.get(), paths::passwd, [&](std::string_view chunk) {
            lines.feed(chunk, take);
            return plain;
        });
        lines.finish(take);
    } catch (const Failure&) {
        return false;
    }
    return plain;
}

void EnumeratedPasswd::enumerate()
{
    ::setpwent();
    while (const struct passwd* entry = ::getpwent()) {
        add(entry->pw_name, PasswdEntry{entry->pw_uid, entry->pw_gid});
    }
    ::endpwent();
}

// The first entry of a name or uid is the one nss_files (and getpwent's
// order) answers with.
void EnumeratedPasswd::add(std::string_view name, const PasswdEntry& entry)
{
    by_name_.try_emplace(name, entry);
    in_order_.push_back(entry);
}

std::optional<PasswdEntry> EnumeratedPasswd::entry_of(const std::string& name)
{
    // useradd appends to passwd and to the subid files alike, so owners
    // usually come in passwd's order: try the name after the last one found
    // before the hash table, whose every probe is a cache miss on a large site.
    if (next_ < by_name_.size() && by_name_.name_at(next_) == name) {
        return by_name_.value_at(next_++);
    }
    if (const std::size_t index = by_name_.index_of(name); index < by_name_.size()) {
        next_ = index + 1;
        return by_name_.value_at(index);
    }
    return complete_ ? std::nullopt : one_by_one_.entry_of(name);
}

std::optional<PasswdEntry> EnumeratedPasswd::entry_of_uid(uid_t uid)
{
    if (!by_uid_built_) {
        by_uid_.reserve(in_order_.size());
        for (const PasswdEntry& entry : in_order_) {
            by_uid_.try_emplace(entry.uid, entry);
        }
        by_uid_built_ = true;
    }
    if (const auto it = by_uid_.find(uid); it != by_uid_.end()) {
        return it->second;
    }
    return complete_ ? std::nullopt : one_by_one_.entry_of_uid(uid);
}

Caller identify_caller(uid_t uid, gid_t gid, SystemPasswd& passwd)
{
    Caller caller;
    caller.uid = uid;
    caller.gid = gid;
    if (const auto entry = passwd.named_entry_of_uid(uid)) {
        caller.name = entry->name;
        caller.passwd_gid = entry->entry.gid;
    }
    return caller;
}

}  // namespace idmap
