// Micro-benchmarks of the pure core: the subid line parser, the streaming
// scan of a large delegation file, the decision, and --check's lint.
#include "lint.hpp"
#include "name_map.hpp"
#include "passwd_file.hpp"
#include "policy.hpp"
#include "subid_file.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace {

// Like tests/bench/run's files: one user per entry, 10000 IDs each, in
// order and disjoint (a clean file), the caller's entry last.
std::string make_file(std::size_t entries)
{
    std::string text;
    text.reserve(entries * 28);
    for (std::size_t i = 0; i < entries; ++i) {
        text += "user" + std::to_string(i) + ":" + std::to_string(100000 + i * 10000) + ":10000\n";
    }
    text += "alice:4100000000:10000\n";
    return text;
}

void report(benchmark::State& state, std::size_t entries, std::size_t bytes)
{
    state.counters["entries/s"] =
        benchmark::Counter(static_cast<double>(entries) * static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate);
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
}

void BM_ParseLine(benchmark::State& state)
{
    for (auto _ : state) {
        benchmark::DoNotOptimize(idmap::parse_subid_line("someuser123:123456789:65536"));
    }
    report(state, 1, 27);
}
BENCHMARK(BM_ParseLine);

void BM_Scan(benchmark::State& state)
{
    const std::string file = make_file(static_cast<std::size_t>(state.range(0)));
    const std::vector<idmap::IdRange> wanted{{1000, 1}, {4100000000, 10000}};
    for (auto _ : state) {
        idmap::SubidScan scan(wanted, [](std::string_view owner) { return owner == "alice"; });
        for (std::size_t pos = 0; pos < file.size(); pos += 65536) {
            scan.feed(std::string_view(file).substr(pos, 65536));
        }
        scan.finish();
        benchmark::DoNotOptimize(scan.coverage()[0].complete());
    }
    report(state, static_cast<std::size_t>(state.range(0)), file.size());
}
BENCHMARK(BM_Scan)->Arg(10000)->Arg(400000)->Unit(benchmark::kMillisecond);

void BM_Decide(benchmark::State& state)
{
    const idmap::Caller caller{1000, 1000, std::string("alice"), 1000};
    const std::vector<idmap::IdMapping> mappings{{0, 1000, 1}, {1, 100000, 65536}};
    idmap::SourceAnswer answer;
    answer.source = "/etc/subuid";
    answer.covered = {false, true};
    answer.first_gap = {1000, 165536};
    const std::vector<idmap::SourceAnswer> answers{answer};
    for (auto _ : state) {
        benchmark::DoNotOptimize(idmap::decide(idmap::IdKind::uid, caller, mappings, answers));
    }
}
BENCHMARK(BM_Decide);

class MapPasswd final : public idmap::PasswdLookup {
public:
    std::optional<idmap::PasswdEntry> entry_of(const std::string& name) override
    {
        if (name.rfind("user", 0) == 0) {
            const auto uid = static_cast<uid_t>(70000 + std::stoul(name.substr(4)));
            return idmap::PasswdEntry{uid, uid};
        }
        return std::nullopt;
    }
    std::optional<idmap::PasswdEntry> entry_of_uid(uid_t uid) override
    {
        return idmap::PasswdEntry{uid, uid};
    }
};

void BM_Lint(benchmark::State& state)
{
    const std::string file = make_file(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        MapPasswd passwd;
        idmap::SubidLint lint(idmap::IdKind::uid, passwd);
        lint.reserve(file.size() / 24);
        for (std::size_t pos = 0; pos < file.size(); pos += 65536) {
            lint.feed(std::string_view(file).substr(pos, 65536));
        }
        lint.finish();
        benchmark::DoNotOptimize(lint.findings().size());
    }
    report(state, static_cast<std::size_t>(state.range(0)), file.size());
}
BENCHMARK(BM_Lint)->Arg(400000)->Unit(benchmark::kMillisecond);

// /etc/passwd as tests/bench/run writes it, read the way --check reads it.
std::string make_passwd(std::size_t users)
{
    std::string text;
    for (std::size_t i = 0; i < users; ++i) {
        const std::string id = std::to_string(70000 + i);
        text += "user" + std::to_string(i) + ":x:" + id + ":" + id + "::/nonexistent:/usr/sbin/nologin\n";
    }
    return text;
}

void BM_PasswdParse(benchmark::State& state)
{
    const std::string file = make_passwd(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        idmap::LineSplitter lines(idmap::max_passwd_line);
        std::uint64_t sum = 0;
        const auto take = [&](const idmap::Line& line) {
            sum += idmap::parse_passwd_line(line.text).uid;
        };
        for (std::size_t pos = 0; pos < file.size(); pos += 65536) {
            lines.feed(std::string_view(file).substr(pos, 65536), take);
        }
        lines.finish(take);
        benchmark::DoNotOptimize(sum);
    }
    report(state, static_cast<std::size_t>(state.range(0)), file.size());
}
BENCHMARK(BM_PasswdParse)->Arg(400000)->Unit(benchmark::kMillisecond);

void BM_NameMapInsert(benchmark::State& state)
{
    std::vector<std::string> names;
    for (std::int64_t i = 0; i < state.range(0); ++i) {
        names.push_back("user" + std::to_string(i));
    }
    for (auto _ : state) {
        idmap::NameMap<std::uint32_t> map;
        map.reserve(names.size());
        for (std::size_t i = 0; i < names.size(); ++i) {
            map.try_emplace(names[i], static_cast<std::uint32_t>(i));
        }
        benchmark::DoNotOptimize(map.size());
    }
    report(state, static_cast<std::size_t>(state.range(0)), 0);
}
BENCHMARK(BM_NameMapInsert)->Arg(400000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
