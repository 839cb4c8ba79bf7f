// The audit trail (SPEC §6): one syslog line per decision, granted or
// refused, facility LOG_AUTHPRIV. The line is built by pure code; sending it
// is one call that never fails the request (no syslog daemon is not an error).
#pragma once

#include "id_kind.hpp"
#include "mapping.hpp"
#include "owner.hpp"

#include <optional>
#include <string>
#include <vector>

namespace idmap {

// What is known about a request when it is granted or refused; filled in as
// the helper goes.
struct AuditRecord {
    uid_t uid = 0;                    // real uid, always known
    std::optional<Caller> caller;     // once passwd was consulted
    std::string target;               // as given, then "process <pid>"
    std::vector<IdMapping> mappings;  // once parsed
    std::vector<std::string> grants;  // per mapping, once decided: "own uid", a source
};

// "granted: alice (uid 60001), process 1234: 0 60001 1 (own uid), 1 100000 65536 (/etc/subuid)"
// "refused: alice (uid 60001), process 1234: 0 200000 10: <why>"
// At most max_audit_triples triples are listed.
[[nodiscard]] std::string audit_line(const AuditRecord& record, bool granted,
                                     const std::string& why);

inline constexpr std::size_t max_audit_triples = 24;

// Sends the decision (audit_line) to syslog (/dev/log, RFC 3164 framing,
// ident and pid) as
// LOG_AUTHPRIV, LOG_NOTICE if granted, LOG_WARNING if refused. Waits at
// most a second for a busy daemon; without one, does nothing.
void send_audit(IdKind kind, bool granted, const AuditRecord& record,
                const std::string& why) noexcept;

}  // namespace idmap
