// Where delegations come from (SPEC §4): /etc/subuid and /etc/subgid
// ("files"), and plugins named on the "subid:" line of /etc/nsswitch.conf.
// A source answers, for each wanted outer range, whether the caller's
// delegations cover it, and can list the caller's ranges.
#pragma once

#include "id_kind.hpp"
#include "mapping.hpp"
#include "owner.hpp"
#include "policy.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace idmap {

struct ListAnswer {
    std::string source;
    std::vector<IdRange> ranges;
    std::optional<std::string> error;
};

class SubidSource {
public:
    virtual ~SubidSource() = default;
    [[nodiscard]] virtual std::string name() const = 0;
    // Never throws for a problem of the source itself: that goes in the
    // answer's error, so that requests not needing it still work.
    [[nodiscard]] virtual SourceAnswer query(const Caller& caller, OwnerMatcher& owners,
                                             std::span<const IdRange> wanted) = 0;
    [[nodiscard]] virtual ListAnswer list(const Caller& caller, OwnerMatcher& owners) = 0;
};

// /etc/subuid or /etc/subgid, streamed from one descriptor.
class FilesSource final : public SubidSource {
public:
    explicit FilesSource(IdKind kind) : path_(traits(kind).subid_path) {}
    [[nodiscard]] std::string name() const override { return path_; }
    [[nodiscard]] SourceAnswer query(const Caller& caller, OwnerMatcher& owners,
                                     std::span<const IdRange> wanted) override;
    [[nodiscard]] ListAnswer list(const Caller& caller, OwnerMatcher& owners) override;

private:
    const char* path_;
};

// /etc/nsswitch.conf, read once (it names the subid sources and tells how
// passwd is looked up). Missing: empty text. Untrusted or unreadable: the
// error, which a subid lookup then reports.
struct NsswitchConf {
    std::string text;
    std::optional<std::string> error;
};
[[nodiscard]] NsswitchConf read_nsswitch_conf();

// The configured sources, in order. A source that cannot be set up (an
// untrusted or invalid nsswitch.conf, a plugin that does not load) is still
// returned, answering with its error.
[[nodiscard]] std::vector<std::unique_ptr<SubidSource>>
configured_sources(IdKind kind, const NsswitchConf& conf);

}  // namespace idmap
