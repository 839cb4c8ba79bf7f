// The command line: words separated by NUL bytes. Whatever the words, the
// parser either throws a Failure with a printable one-line message, or
// returns a request that obeys every kernel limit.
#include "cmdline.hpp"
#include "error.hpp"
#include "fuzz_util.hpp"

#include <charconv>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::vector<std::string_view> words;
    if (!input.empty()) {
        words = fuzz::split(input, '\0');
    }
    try {
        const idmap::Command command = idmap::parse_command_line(words);
        const auto* request = std::get_if<idmap::MapRequest>(&command);
        if (request == nullptr) {
            return 0;
        }
        const auto& m = request->mappings;
        FUZZ_CHECK(!m.empty() && m.size() <= idmap::max_mappings);
        FUZZ_CHECK(request->target.number >= 0);
        for (std::size_t i = 0; i < m.size(); ++i) {
            FUZZ_CHECK(m[i].count >= 1);
            FUZZ_CHECK(std::uint64_t{m[i].inner} + m[i].count <= idmap::id_limit);
            FUZZ_CHECK(std::uint64_t{m[i].outer} + m[i].count <= idmap::id_limit);
            for (std::size_t j = i + 1; j < m.size(); ++j) {
                FUZZ_CHECK(!m[i].inner_range().overlaps(m[j].inner_range()));
                FUZZ_CHECK(!m[i].outer_range().overlaps(m[j].outer_range()));
            }
        }
        // The map text round-trips to the same numbers, and fits one write.
        const std::string text = idmap::map_text(m);
        FUZZ_CHECK(text.size() <= idmap::max_map_text);
        const auto lines = fuzz::split(text, '\n');
        FUZZ_CHECK(lines.size() == m.size() + 1);
        for (std::size_t i = 0; i < m.size(); ++i) {
            const auto fields = fuzz::split(lines[i], ' ');
            FUZZ_CHECK(fields.size() == 3);
            const std::uint32_t expected[3] = {m[i].inner, m[i].outer, m[i].count};
            for (int f = 0; f < 3; ++f) {
                std::uint32_t value = 0;
                const auto field = fields[static_cast<std::size_t>(f)];
                std::from_chars(field.data(), field.data() + field.size(), value);
                FUZZ_CHECK(value == expected[f]);
                // Every number was written by the user in exactly this form.
                bool found = false;
                for (std::string_view word : words) {
                    found = found || word == field;
                }
                FUZZ_CHECK(found);
            }
        }
    } catch (const idmap::Failure& failure) {
        fuzz::check_message(failure.what());
    }
    return 0;
}
