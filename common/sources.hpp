// Where delegations come from (SPEC §4). A source answers, for each wanted
// outer range, whether the caller's delegations cover it.
#pragma once

#include "id_kind.hpp"
#include "mapping.hpp"
#include "owner.hpp"
#include "policy.hpp"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace idmap {

class SubidSource {
public:
    virtual ~SubidSource() = default;
    [[nodiscard]] virtual std::string name() const = 0;
    // Never throws for a problem of the source itself: that goes in
    // SourceAnswer::error, so that requests not needing it still work.
    [[nodiscard]] virtual SourceAnswer query(OwnerMatcher& owners,
                                             std::span<const IdRange> wanted) = 0;
};

// /etc/subuid or /etc/subgid, streamed from one descriptor.
class FilesSource final : public SubidSource {
public:
    explicit FilesSource(IdKind kind) : path_(traits(kind).subid_path) {}
    [[nodiscard]] std::string name() const override { return path_; }
    [[nodiscard]] SourceAnswer query(OwnerMatcher& owners,
                                     std::span<const IdRange> wanted) override;

private:
    [[nodiscard]] SourceAnswer scan_file(OwnerMatcher& owners, std::span<const IdRange> wanted);

    const char* path_;
};

// The configured sources, in order. Only "files" for now; nsswitch comes later.
[[nodiscard]] std::vector<std::unique_ptr<SubidSource>> configured_sources(IdKind kind);

}  // namespace idmap
