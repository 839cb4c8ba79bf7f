#include "sources.hpp"

#include "error.hpp"
#include "nsswitch.hpp"
#include "paths.hpp"
#include "plugin_source.hpp"
#include "subid_file.hpp"
#include "trusted_file.hpp"

namespace idmap {

namespace {

// Stands for a source that could not be set up, so that the error reaches
// the user exactly when a delegation was needed.
class FailedSource final : public SubidSource {
public:
    FailedSource(std::string name, std::string error)
        : name_(std::move(name)), error_(std::move(error))
    {
    }
    [[nodiscard]] std::string name() const override { return name_; }
    [[nodiscard]] SourceAnswer query(const Caller&, OwnerMatcher&,
                                     std::span<const IdRange>) override
    {
        SourceAnswer answer;
        answer.source = name_;
        answer.error = error_;
        return answer;
    }
    [[nodiscard]] ListAnswer list(const Caller&, OwnerMatcher&) override
    {
        return ListAnswer{name_, {}, error_};
    }

private:
    std::string name_;
    std::string error_;
};

SourceAnswer scan_file(const char* path, OwnerMatcher& owners, std::span<const IdRange> wanted)
{
    SourceAnswer answer;
    answer.source = path;
    TrustedFile file = open_trusted_file(path);
    if (file.missing) {
        answer.missing = true;
        answer.covered.assign(wanted.size(), false);
        for (const IdRange& range : wanted) {
            answer.first_gap.push_back(range.first);
        }
        return answer;
    }
    SubidScan scan(wanted, [&owners](std::string_view owner) { return owners.is_caller(owner); });
    // Stop reading as soon as everything wanted is covered.
    read_chunks(file.fd.get(), path, [&scan](std::string_view chunk) {
        scan.feed(chunk);
        return !scan.complete();
    });
    scan.finish();
    for (const Coverage& coverage : scan.coverage()) {
        const auto gap = coverage.first_gap();
        answer.covered.push_back(!gap.has_value());
        answer.first_gap.push_back(gap.value_or(coverage.wanted().end()));
    }
    return answer;
}

}  // namespace

SourceAnswer FilesSource::query(const Caller&, OwnerMatcher& owners,
                                std::span<const IdRange> wanted)
{
    try {
        return scan_file(path_, owners, wanted);
    } catch (const Failure& failure) {
        SourceAnswer answer;
        answer.source = path_;
        answer.error = failure.what();
        return answer;
    }
}

ListAnswer FilesSource::list(const Caller&, OwnerMatcher& owners)
{
    ListAnswer answer{path_, {}, std::nullopt};
    try {
        TrustedFile file = open_trusted_file(path_);
        if (file.missing) {
            return answer;
        }
        LineSplitter lines(max_subid_line);
        auto take = [&](const Line& line) {
            if (line.too_long) {
                return;
            }
            const SubidLine parsed = parse_subid_line(line.text);
            if (parsed.kind == SubidLine::Kind::entry && owners.is_caller(parsed.entry.owner)) {
                answer.ranges.push_back(parsed.entry.range);
            }
        };
        read_chunks(file.fd.get(), path_, [&](std::string_view chunk) { lines.feed(chunk, take); });
        lines.finish(take);
    } catch (const Failure& failure) {
        answer.error = failure.what();
    }
    return answer;
}

NsswitchConf read_nsswitch_conf()
{
    NsswitchConf conf;
    try {
        const TrustedFile file = open_trusted_file(paths::nsswitch);
        if (file.missing) {
            return conf;
        }
        read_chunks(file.fd.get(), paths::nsswitch, [&conf](std::string_view chunk) {
            if (conf.text.size() + chunk.size() > (1U << 20)) {
                throw Failure(paths::nsswitch, "is larger than 1 MiB");
            }
            conf.text.append(chunk);
        });
    } catch (const Failure& failure) {
        conf.text.clear();
        conf.error = failure.what();
    }
    return conf;
}

std::vector<std::unique_ptr<SubidSource>> configured_sources(IdKind kind, const NsswitchConf& conf)
{
    std::vector<std::unique_ptr<SubidSource>> sources;
    if (conf.error) {
        sources.push_back(std::make_unique<FailedSource>(paths::nsswitch, *conf.error));
        return sources;
    }
    std::vector<std::string> names;
    try {
        names = parse_nsswitch_subid(conf.text, paths::nsswitch);
    } catch (const Failure& failure) {
        sources.push_back(std::make_unique<FailedSource>(paths::nsswitch, failure.what()));
        return sources;
    }
    for (const std::string& name : names) {
        if (name == "files") {
            sources.push_back(std::make_unique<FilesSource>(kind));
        } else {
            sources.push_back(load_plugin_source(name, kind));
        }
    }
    return sources;
}

}  // namespace idmap
