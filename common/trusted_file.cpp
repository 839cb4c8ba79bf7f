#include "trusted_file.hpp"

#include "error.hpp"
#include "text.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

namespace idmap {

namespace {

std::string octal_mode(mode_t mode)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

// Root-owned and not writable by group or others.
// subject says what is checked: "the file", "directory /srv on its path".
void check_owner_and_mode(const struct stat& st, const char* path, const std::string& subject)
{
    if (st.st_uid != 0) {
        throw Failure(path, subject + " is owned by uid " + std::to_string(st.st_uid) +
                                ", not root: refusing to trust it");
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        throw Failure(path, subject + " is writable by group or others (mode " +
                                octal_mode(st.st_mode) + "): refusing to trust it");
    }
}

std::string resolved_path(int fd, const char* path)
{
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    std::vector<char> buffer(4096);
    const ssize_t n = ::readlink(link.c_str(), buffer.data(), buffer.size());
    if (n < 0) {
        fail_errno(std::string(path) + ": cannot resolve its path", errno);
    }
    if (static_cast<std::size_t>(n) >= buffer.size()) {
        throw Failure(path, "its resolved path is too long");
    }
    std::string resolved(buffer.data(), static_cast<std::size_t>(n));
    if (resolved.empty() || resolved.front() != '/') {
        throw Failure(path, "its resolved path " + quote(resolved) + " is not absolute");
    }
    return resolved;
}

// Walks the resolved path from "/" by descriptor, never following a link,
// checking each directory, and confirms that it leads to the file we opened.
void check_path(const std::string& resolved, const struct stat& opened, const char* path)
{
    UniqueFd dir(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!dir.valid()) {
        fail_errno("/", errno);
    }
    std::string prefix = "/";
    std::size_t pos = 1;
    for (;;) {
        struct stat st {};
        if (::fstat(dir.get(), &st) != 0) {
            fail_errno(escape(prefix), errno);
        }
        check_owner_and_mode(st, path, "directory " + escape(prefix) + " on its path");
        const std::size_t slash = resolved.find('/', pos);
        const std::string component = resolved.substr(pos, slash - pos);
        if (slash == std::string::npos) {
            struct stat last {};
            if (::fstatat(dir.get(), component.c_str(), &last, AT_SYMLINK_NOFOLLOW) != 0 ||
                last.st_dev != opened.st_dev || last.st_ino != opened.st_ino) {
                throw Failure(path, "was moved or replaced while being checked");
            }
            return;
        }
        if (!component.empty()) {
            UniqueFd next(::openat(dir.get(), component.c_str(),
                                   O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!next.valid()) {
                throw Failure(path, "was moved or replaced while being checked");
            }
            dir = std::move(next);
            prefix = resolved.substr(0, slash);
        }
        pos = slash + 1;
    }
}

}  // namespace

void fail_read(const char* path, int err)
{
    fail_errno(std::string(path) + ": cannot read", err);
}

namespace {

// The directory the last plain path led through, kept open: the files the
// helpers trust are all in /etc, and once "/" and "/etc" have passed the
// checks (root's, writable by no one else), no one but root can change what
// they lead to. It is checked again at each use.
struct CheckedDirectory {
    std::string path;
    UniqueFd fd;
};

CheckedDirectory& last_directory()
{
    static CheckedDirectory directory;
    return directory;
}

void check_directory(int fd, const char* path, std::string_view shown)
{
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        fail_errno(path, errno);
    }
    if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        check_owner_and_mode(st, path, "directory " + escape(shown) + " on its path");
    }
}

// The usual case, a path without symbolic links: walked from "/" by
// descriptor, checking each directory before opening what is in it (from
// the last directory, if it is the same). nullopt if a component is a
// symbolic link (the caller then resolves it).
std::optional<TrustedFile> open_plain_path(const char* path)
{
    const std::string_view full(path);
    const std::size_t last_slash = full.rfind('/');
    const std::string_view parent = full.substr(0, std::max<std::size_t>(last_slash, 1));
    CheckedDirectory& cached = last_directory();
    UniqueFd walked;
    int dir = -1;
    std::size_t pos = 1;
    if (cached.fd.valid() && cached.path == parent) {
        check_directory(cached.fd.get(), path, parent);
        dir = cached.fd.get();
        pos = last_slash + 1;
    } else {
        walked = UniqueFd(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (!walked.valid()) {
            fail_errno("/", errno);
        }
        dir = walked.get();
        check_directory(dir, path, "/");
    }
    for (;;) {
        const std::size_t slash = full.find('/', pos);
        const std::string component(full.substr(pos, slash - pos));
        const bool last = slash == std::string_view::npos;
        // O_NONBLOCK: a FIFO put in place of the file must not hang us.
        const int flags = last ? O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW
                               : O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        UniqueFd next(::openat(dir, component.c_str(), flags));
        if (!next.valid()) {
            const int err = errno;
            if (err == ELOOP || err == ENOTDIR) {
                return std::nullopt;  // a symbolic link (or not a directory: let open() say)
            }
            if (err == ENOENT) {
                TrustedFile missing;
                missing.missing = true;
                return missing;
            }
            fail_errno(std::string(path) + ": cannot open", err);
        }
        if (last) {
            struct stat st {};
            if (::fstat(next.get(), &st) != 0) {
                fail_errno(path, errno);
            }
            if (!S_ISREG(st.st_mode)) {
                throw Failure(path, "is not a regular file");
            }
            check_owner_and_mode(st, path, "the file");
            if (walked.valid()) {
                cached.path = std::string(parent);
                cached.fd = std::move(walked);
            }
            TrustedFile file;
            file.fd = std::move(next);
            return file;
        }
        walked = std::move(next);
        dir = walked.get();
        pos = slash + 1;
        check_directory(dir, path, full.substr(0, slash));
    }
}

// A path with symbolic links in it: opened as the kernel resolves it, then
// the resolved path is walked without following links, checking each
// directory, to confirm that it leads to the file we opened.
TrustedFile open_resolved_path(const char* path)
{
    TrustedFile file;
    file.fd = UniqueFd(::open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!file.fd.valid()) {
        const int err = errno;
        struct stat st {};
        if (err == ENOENT && ::lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
            throw Failure(path, "is a symbolic link to a file that does not exist");
        }
        if (err == ENOENT) {
            file.missing = true;
            return file;
        }
        fail_errno(std::string(path) + ": cannot open", err);
    }
    struct stat st {};
    if (::fstat(file.fd.get(), &st) != 0) {
        fail_errno(path, errno);
    }
    if (!S_ISREG(st.st_mode)) {
        throw Failure(path, "is not a regular file");
    }
    const std::string resolved = resolved_path(file.fd.get(), path);
    check_owner_and_mode(st, path,
                         resolved == path ? std::string("the file")
                                          : "the file it leads to, " + escape(resolved) + ",");
    check_path(resolved, st, path);
    return file;
}

}  // namespace

UniqueFd open_beside_trusted(const char* path, int flags)
{
    const std::string_view full(path);
    const std::size_t last_slash = full.rfind('/');
    const CheckedDirectory& cached = last_directory();
    if (last_slash != std::string_view::npos && last_slash > 0 && cached.fd.valid() &&
        cached.path == full.substr(0, last_slash)) {
        return UniqueFd(::openat(cached.fd.get(), path + last_slash + 1, flags));
    }
    return UniqueFd(::open(path, flags));
}

TrustedFile open_trusted_file(const char* path)
{
    if (path[0] != '/') {
        return open_resolved_path(path);
    }
    if (auto file = open_plain_path(path)) {
        return std::move(*file);
    }
    return open_resolved_path(path);
}

}  // namespace idmap
