// The subid file parser and scanner. The first bytes choose the wanted
// range and how the rest is chunked; the rest is the file. The streaming
// scanner must agree with a plain whole-file oracle, whatever the chunking.
#include "fuzz_util.hpp"
#include "subid_file.hpp"

#include <algorithm>
#include <cstring>

namespace {

std::uint32_t take32(std::string_view& input)
{
    std::uint32_t value = 0;
    const std::size_t n = std::min<std::size_t>(4, input.size());
    std::memcpy(&value, input.data(), n);
    input.remove_prefix(n);
    return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view input(reinterpret_cast<const char*>(data), size);
    // Small numbers most of the time, so that files written by the fuzzer can cover them.
    const std::uint32_t first = take32(input) % 1000;
    const std::uint32_t count = take32(input) % 100 + 1;
    const std::size_t chunk = take32(input) % 64 + 1;
    const idmap::IdRange wanted{first, count};

    // Every line on its own: the parser's promises.
    for (std::string_view line : fuzz::split(input, '\n')) {
        const idmap::SubidLine parsed = idmap::parse_subid_line(line);
        if (parsed.kind == idmap::SubidLine::Kind::entry) {
            FUZZ_CHECK(!parsed.entry.owner.empty());
            FUZZ_CHECK(parsed.entry.owner.find(':') == std::string_view::npos);
            FUZZ_CHECK(parsed.entry.range.count >= 1);
            FUZZ_CHECK(parsed.entry.range.end() <= idmap::id_limit);
        } else if (parsed.kind == idmap::SubidLine::Kind::invalid) {
            FUZZ_CHECK(!parsed.problem.empty());
            fuzz::check_message(parsed.problem);
        }
    }

    const std::vector<idmap::IdRange> ranges{wanted};
    idmap::SubidScan scan(ranges, [](std::string_view owner) { return owner == "me"; });
    for (std::size_t pos = 0; pos < input.size(); pos += chunk) {
        scan.feed(input.substr(pos, chunk));
    }
    scan.finish();
    FUZZ_CHECK(scan.coverage()[0].complete() ==
               fuzz::oracle_covers(input, wanted, [](std::string_view o) { return o == "me"; }));
    return 0;
}
