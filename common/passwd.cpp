#include "passwd.hpp"

#include "error.hpp"
#include "lines.hpp"
#include "nsswitch.hpp"
#include "huge_pages.hpp"
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

// /etc/passwd, if it opens as a regular file (O_NONBLOCK: a FIFO in its place
// must not hang us); else an invalid descriptor, and libc is asked instead.
UniqueFd open_passwd_file()
{
    UniqueFd fd = open_beside_trusted(paths::passwd, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st {};
    if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return UniqueFd();
    }
    return fd;
}

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
    const UniqueFd fd = open_passwd_file();
    if (!fd.valid()) {
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
        read_chunks(
            fd.get(), paths::passwd,
            [&](std::string_view chunk) {
                lines.feed(chunk, take);
                return answer == FileAnswer::absent;
            },
            4096);
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

EnumeratedPasswd::EnumeratedPasswd(std::string_view nsswitch_text)
    : files_first_(passwd_files_first(nsswitch_text)),
      files_only_(passwd_files_only(nsswitch_text)), one_by_one_(nsswitch_text)
{
    const auto services = nss_services(nsswitch_text, "passwd");
    enumeration_complete_ = std::all_of(services.begin(), services.end(), [](const std::string& s) {
        return s == "files" || s == "systemd";
    });
}

// Every plain entry of /etc/passwd, in order: on_entry(name, hash, entry),
// with prefetch(hash) called a few lines ahead (see NameMap::prefetch).
// False if the file cannot be read as a regular file, or a line is one
// nss_files might read differently: then only getpwent can be trusted.
template <typename Prefetch, typename OnEntry>
bool EnumeratedPasswd::read_file(Prefetch&& prefetch, OnEntry&& on_entry)
{
    const UniqueFd fd = open_passwd_file();
    if (!fd.valid()) {
        return false;
    }
    bool plain = true;
    LineSplitter lines(max_passwd_line);
    LineBatch batch;
    std::vector<PasswdLine> parsed;
    std::vector<std::uint64_t> hashes;
    const auto take_batch = [&] {
        parsed.clear();
        hashes.clear();
        for (std::size_t i = 0; i < batch.size(); ++i) {
            parsed.push_back(parse_line(batch[i]));
            hashes.push_back(name_hash(parsed.back().name));
        }
        constexpr std::size_t ahead = 8;
        for (std::size_t i = 0; i < parsed.size() && plain; ++i) {
            if (i + ahead < parsed.size()) {
                prefetch(hashes[i + ahead]);
            }
            if (parsed[i].kind == PasswdLine::Kind::unusual) {
                plain = false;
            } else if (parsed[i].kind == PasswdLine::Kind::entry) {
                on_entry(parsed[i].name, hashes[i], PasswdEntry{parsed[i].uid, parsed[i].gid});
            }
        }
        batch.clear();
    };
    try {
        read_chunks(fd.get(), paths::passwd, [&](std::string_view chunk) {
            batch.start(chunk);
            lines.feed(chunk, [&](const Line& line) { batch.add(line); });
            take_batch();
            return plain;
        });
        if (plain) {
            batch.start({});
            lines.finish([&](const Line& line) { batch.add(line); });
            take_batch();
        }
    } catch (const Failure&) {
        return false;
    }
    return plain;
}

template <typename OnEntry> void EnumeratedPasswd::enumerate(OnEntry&& on_entry)
{
    ::setpwent();
    while (const struct passwd* entry = ::getpwent()) {
        on_entry(entry->pw_name, name_hash(entry->pw_name),
                 PasswdEntry{entry->pw_uid, entry->pw_gid});
    }
    ::endpwent();
}

PasswdImage EnumeratedPasswd::read_image()
{
    PasswdImage image;
    struct stat st {};
    if (::stat(paths::passwd, &st) == 0 && st.st_size > 0) {
        reserve_large(image.records, static_cast<std::size_t>(st.st_size) / 40);
        image.names.reserve(static_cast<std::size_t>(st.st_size) / 4);
    }
    const auto keep = [&](std::string_view name, std::uint64_t, const PasswdEntry& entry) {
        if (image.names.size() + name.size() > UINT32_MAX) {
            throw Failure(paths::passwd, "is larger than 4 GiB");
        }
        image.records.push_back({static_cast<std::uint32_t>(image.names.size()),
                                 static_cast<std::uint32_t>(name.size()), entry});
        image.names.append(name);
    };
    image.plain = read_file([](std::uint64_t) {}, keep);
    return image;
}

void EnumeratedPasswd::preload()
{
    if (files_first_ && !preloaded_.valid()) {
        preloaded_ = std::async(std::launch::async, &EnumeratedPasswd::read_image);
    }
}

std::vector<std::optional<PasswdEntry>> EnumeratedPasswd::entries_of(const NameSet& names)
{
    // Each name of passwd looked up among ours, in passwd's order. The first
    // entry of a name is the one nss_files (and getpwent's order) answers
    // with.
    std::vector<std::optional<PasswdEntry>> found;
    reserve_large(found, names.size());
    found.resize(names.size());
    const auto take = [&](std::string_view name, std::uint64_t hash, const PasswdEntry& entry) {
        const std::size_t index = names.index_of(name, hash);
        if (index < found.size() && !found[index]) {
            found[index] = entry;
        }
    };
    bool complete = files_only_;
    bool read = false;
    if (files_first_ && preloaded_.valid()) {
        const PasswdImage image = preloaded_.get();
        if (image.plain) {
            constexpr std::size_t ahead = 8;
            const std::string_view all(image.names);
            const auto name_of = [&](std::size_t i) {
                return all.substr(image.records[i].offset, image.records[i].length);
            };
            std::uint64_t hashes[ahead] = {};
            for (std::size_t i = 0; i < std::min(ahead, image.records.size()); ++i) {
                hashes[i] = name_hash(name_of(i));
                names.prefetch(hashes[i]);
            }
            for (std::size_t i = 0; i < image.records.size(); ++i) {
                const std::uint64_t hash = hashes[i % ahead];
                if (i + ahead < image.records.size()) {
                    hashes[i % ahead] = name_hash(name_of(i + ahead));
                    names.prefetch(hashes[i % ahead]);
                }
                take(name_of(i), hash, image.records[i].entry);
            }
            read = true;
        }
    } else if (files_first_) {
        read = read_file([&](std::uint64_t hash) { names.prefetch(hash); }, take);
    }
    if (!read) {
        found.assign(names.size(), std::nullopt);
        enumerate(take);
        complete = enumeration_complete_;
    }
    if (!complete) {
        for (std::size_t i = 0; i < found.size(); ++i) {
            if (!found[i]) {
                found[i] = one_by_one_.entry_of(std::string(names.name_at(i)));
            }
        }
    }
    return found;
}

void EnumeratedPasswd::build_tables()
{
    tables_built_ = true;
    const auto add = [this](std::string_view name, std::uint64_t hash, const PasswdEntry& entry) {
        by_name_.try_emplace(name, hash, entry);
        by_uid_.try_emplace(entry.uid, entry);
    };
    if (files_first_ && read_file([this](std::uint64_t hash) { by_name_.prefetch(hash); }, add)) {
        complete_ = files_only_;
        return;
    }
    by_name_ = {};
    by_uid_.clear();
    enumerate(add);
    complete_ = enumeration_complete_;
}

std::optional<PasswdEntry> EnumeratedPasswd::entry_of(const std::string& name)
{
    if (!tables_built_) {
        build_tables();
    }
    if (const PasswdEntry* entry = by_name_.find(name)) {
        return *entry;
    }
    return complete_ ? std::nullopt : one_by_one_.entry_of(name);
}

std::optional<PasswdEntry> EnumeratedPasswd::entry_of_uid(uid_t uid)
{
    if (!tables_built_) {
        build_tables();
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
