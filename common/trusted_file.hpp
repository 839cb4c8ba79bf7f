// Opening a file the administrator controls (SPEC §4): symlinks are followed,
// but the file reached must be a regular file owned by root and not writable
// by group or others, and so must every directory on its resolved path.
#pragma once

#include "fd.hpp"

#include <string>

namespace idmap {

struct TrustedFile {
    UniqueFd fd;           // invalid if missing
    bool missing = false;  // the file does not exist: not an error by itself
};

// Throws Failure naming the offending path for anything but "does not exist".
[[nodiscard]] TrustedFile open_trusted_file(const char* path);

// open(path, flags), through the directory of the last trusted file when
// path is in it (/etc/passwd after /etc/nsswitch.conf): the same file,
// without walking the path from "/" again. No checks of its own.
[[nodiscard]] UniqueFd open_beside_trusted(const char* path, int flags);

// Reads fd to its end in chunks, handing each to on_chunk; stops early if
// on_chunk returns false. Throws Failure (naming path) on a read error.
// The first read asks for at most `first` bytes: a search that usually ends
// near the top of a large file (the caller in passwd) then reads little.
template <typename OnChunk>
void read_chunks(int fd, const char* path, OnChunk&& on_chunk, std::size_t first = 64 * 1024);

void fail_read(const char* path, int err);

}  // namespace idmap

#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string_view>
#include <type_traits>

template <typename OnChunk>
void idmap::read_chunks(int fd, const char* path, OnChunk&& on_chunk, std::size_t first)
{
    // On the heap and not zeroed: only the pages a read fills are touched (a
    // 64 KiB stack array would be probed page by page for stack clash
    // protection: 16 page faults on every start, even for a two-line file).
    constexpr std::size_t size = 64 * 1024;
    const std::unique_ptr<char[]> buffer(new char[size]);
    for (std::size_t want = first < size ? first : size;; want = size) {
        const ssize_t n = ::read(fd, buffer.get(), want);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail_read(path, errno);
        }
        if (n == 0) {
            return;
        }
        const std::string_view chunk(buffer.get(), static_cast<std::size_t>(n));
        if constexpr (std::is_same_v<decltype(on_chunk(chunk)), bool>) {
            if (!on_chunk(chunk)) {
                return;
            }
        } else {
            on_chunk(chunk);
        }
    }
}
