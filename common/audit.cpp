#include "audit.hpp"

#include "text.hpp"

#include "fd.hpp"
#include "paths.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace idmap {

std::string audit_line(const AuditRecord& record, bool granted, const std::string& why)
{
    std::string line = granted ? "granted: " : "refused: ";
    if (record.caller) {
        line += describe_caller(*record.caller);
    } else {
        line += "uid " + std::to_string(record.uid);
    }
    line += ", " + (record.target.empty() ? std::string("no target") : escape(record.target));
    for (std::size_t i = 0; i < record.mappings.size() && i < max_audit_triples; ++i) {
        const IdMapping& m = record.mappings[i];
        line += i == 0 ? ": " : ", ";
        line +=
            std::to_string(m.inner) + " " + std::to_string(m.outer) + " " + std::to_string(m.count);
        if (granted && i < record.grants.size()) {
            line += " (" + record.grants[i] + ")";
        }
    }
    if (record.mappings.size() > max_audit_triples) {
        line +=
            ", and " + std::to_string(record.mappings.size() - max_audit_triples) + " more triples";
    }
    if (!granted) {
        line += ": " + why;
    }
    return line;
}

void send_audit(IdKind kind, bool granted, const AuditRecord& record,
                const std::string& why) noexcept
{
    // Our own minimal syslog client instead of syslog(3): glibc's blocks for
    // as long as the daemon does not read, and a stuck syslog daemon must not
    // hang every container start. We wait at most a second, then give up.
    const UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd.valid()) {
        return;
    }
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    static_assert(sizeof paths::dev_log <= sizeof address.sun_path);
    std::memcpy(address.sun_path, paths::dev_log, std::strlen(paths::dev_log) + 1);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        return;  // no syslog daemon: not an error
    }
    char stamp[32] = "";
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    if (::localtime_r(&now, &local) != nullptr) {
        std::strftime(stamp, sizeof stamp, "%b %e %H:%M:%S", &local);
    }
    const int priority = LOG_AUTHPRIV | (granted ? LOG_NOTICE : LOG_WARNING);
    std::string message;
    try {
        // Made only now: with no syslog daemon there is no one to tell.
        message = "<" + std::to_string(priority) + ">" + stamp + " " + traits(kind).program + "[" +
                  std::to_string(::getpid()) + "]: " + audit_line(record, granted, why);
    } catch (...) {
        return;
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (::send(fd.get(), message.data(), message.size(), MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) {
            return;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            return;
        }
        pollfd writable{fd.get(), POLLOUT, 0};
        if (::poll(&writable, 1, 1000) <= 0) {
            return;
        }
    }
}

}  // namespace idmap
