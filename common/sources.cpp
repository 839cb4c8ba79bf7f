#include "sources.hpp"

#include "subid_file.hpp"
#include "trusted_file.hpp"
#include "error.hpp"

namespace idmap {

SourceAnswer FilesSource::query(OwnerMatcher& owners, std::span<const IdRange> wanted)
{
    try {
        return scan_file(owners, wanted);
    } catch (const Failure& failure) {
        SourceAnswer answer;
        answer.source = path_;
        answer.error = failure.what();
        return answer;
    }
}

SourceAnswer FilesSource::scan_file(OwnerMatcher& owners, std::span<const IdRange> wanted)
{
    SourceAnswer answer;
    answer.source = path_;
    TrustedFile file = open_trusted_file(path_);
    if (file.missing) {
        answer.missing = true;
        answer.covered.assign(wanted.size(), false);
        for (const IdRange& range : wanted) {
            answer.first_gap.push_back(range.first);
        }
        return answer;
    }
    SubidScan scan(wanted, [&owners](std::string_view owner) { return owners.is_caller(owner); });
    read_chunks(file.fd.get(), path_, [&scan](std::string_view chunk) { scan.feed(chunk); });
    scan.finish();
    for (const Coverage& coverage : scan.coverage()) {
        const auto gap = coverage.first_gap();
        answer.covered.push_back(!gap.has_value());
        answer.first_gap.push_back(gap.value_or(coverage.wanted().end()));
    }
    return answer;
}

std::vector<std::unique_ptr<SubidSource>> configured_sources(IdKind kind)
{
    std::vector<std::unique_ptr<SubidSource>> sources;
    sources.push_back(std::make_unique<FilesSource>(kind));
    return sources;
}

}  // namespace idmap
