#include "startup.hpp"

#include "paths.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace idmap {

void write_all_or_ignore(int fd, const char* text, unsigned long size) noexcept
{
    while (size > 0) {
        const ssize_t n = ::write(fd, text, size);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return;
        }
        text += n;
        size -= static_cast<unsigned long>(n);
    }
}

void startup_hygiene() noexcept
{
    // A closed 0, 1 or 2 would make the next open() land there, and a later
    // message would be written into that file: occupy them with /dev/null.
    for (int fd = 0; fd <= 2; ++fd) {
        if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            const int opened = ::open(paths::dev_null, O_RDWR);
            if (opened != fd) {
                ::_exit(1);
            }
        }
    }
    // Nothing we run reads the environment on purpose; clear it so nothing
    // reads it by accident (locale, NSS, libc tunables were dealt with by
    // ld.so's secure mode, but not everything is).
    if (::clearenv() != 0) {
        ::_exit(1);
    }
    ::umask(077);
    // The caller must not ptrace us or read our memory while we are privileged.
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        ::_exit(1);
    }
}

}  // namespace idmap
