#include "mapping.hpp"

#include "decimal.hpp"
#include "error.hpp"
#include "text.hpp"

#include <algorithm>

namespace idmap {

std::string describe_range(const IdRange& range)
{
    if (range.count == 1) {
        return std::to_string(range.first);
    }
    return std::to_string(range.first) + "-" + std::to_string(range.end() - 1);
}

std::string describe_mapping(std::size_t index, const IdMapping& mapping)
{
    return "triple " + std::to_string(index + 1) + " (" + std::to_string(mapping.inner) + " " +
           std::to_string(mapping.outer) + " " + std::to_string(mapping.count) + ")";
}

namespace {

std::string triple_field(std::size_t index, const char* field)
{
    return "triple " + std::to_string(index + 1) + ": " + field;
}

std::uint32_t parse_id(std::string_view word, std::size_t index, const char* field)
{
    const ParsedDecimal parsed = parse_decimal(word, max_id);
    if (!parsed.ok()) {
        throw Failure(triple_field(index, field),
                      describe_decimal_error(parsed.error, word, max_id));
    }
    return static_cast<std::uint32_t>(parsed.value);
}

std::uint32_t parse_count(std::string_view word, const IdMapping& m, std::size_t index)
{
    const std::uint64_t count_max = id_limit - std::max(m.inner, m.outer);
    const ParsedDecimal parsed = parse_decimal(word, id_limit);
    if (!parsed.ok()) {
        throw Failure(triple_field(index, "count"),
                      describe_decimal_error(parsed.error, word, id_limit));
    }
    if (parsed.value == 0) {
        throw Failure(triple_field(index, "count"), "must be at least 1");
    }
    if (parsed.value > count_max) {
        throw Failure(triple_field(index, "count"),
                      quote(word) + " runs past the last ID " + std::to_string(max_id) +
                          " (at most " + std::to_string(count_max) + " from " +
                          std::to_string(std::max(m.inner, m.outer)) + ")");
    }
    return static_cast<std::uint32_t>(parsed.value);
}

}  // namespace

std::vector<IdMapping> parse_mappings(std::span<const std::string_view> words)
{
    if (words.empty()) {
        throw Failure("no mapping",
                      "give at least one triple <inner> <outer> <count> after the target");
    }
    // Checked before anything is parsed, so that a huge argv costs nothing.
    check_triple_count(words.size());
    const std::size_t triples = words.size() / 3;
    if (words.size() % 3 != 0) {
        throw Failure("arguments", std::to_string(words.size()) +
                                       " words after the target are not whole triples "
                                       "<inner> <outer> <count>");
    }
    std::vector<IdMapping> mappings;
    mappings.reserve(triples);
    for (std::size_t i = 0; i < triples; ++i) {
        IdMapping m;
        m.inner = parse_id(words[3 * i], i, "inner");
        m.outer = parse_id(words[3 * i + 1], i, "outer");
        m.count = parse_count(words[3 * i + 2], m, i);
        mappings.push_back(m);
    }
    check_mappings(mappings);
    return mappings;
}

void check_triple_count(std::size_t words)
{
    const std::size_t triples = words / 3;
    if (triples > max_mappings) {
        throw Failure("too many triples", std::to_string(triples) +
                                              " given, the kernel accepts at most " +
                                              std::to_string(max_mappings));
    }
}

void check_mappings(std::span<const IdMapping> mappings)
{
    for (std::size_t i = 0; i < mappings.size(); ++i) {
        for (std::size_t j = i + 1; j < mappings.size(); ++j) {
            const char* side = nullptr;
            if (mappings[i].inner_range().overlaps(mappings[j].inner_range())) {
                side = "inner";
            } else if (mappings[i].outer_range().overlaps(mappings[j].outer_range())) {
                side = "outer";
            }
            if (side != nullptr) {
                const bool inner = side[0] == 'i';
                const IdRange a = inner ? mappings[i].inner_range() : mappings[i].outer_range();
                const IdRange b = inner ? mappings[j].inner_range() : mappings[j].outer_range();
                throw Failure(describe_mapping(i, mappings[i]) + " and " +
                                  describe_mapping(j, mappings[j]),
                              std::string(side) + " ranges overlap (" + describe_range(a) +
                                  " and " + describe_range(b) + ")");
            }
        }
    }
    const std::size_t length = map_text(mappings).size();
    if (length > max_map_text) {
        throw Failure("map too long", "the map text is " + std::to_string(length) +
                                          " bytes, the kernel accepts at most " +
                                          std::to_string(max_map_text));
    }
}

std::string map_text(std::span<const IdMapping> mappings)
{
    std::string text;
    text.reserve(mappings.size() * 24);
    for (const IdMapping& m : mappings) {
        text += std::to_string(m.inner);
        text += ' ';
        text += std::to_string(m.outer);
        text += ' ';
        text += std::to_string(m.count);
        text += '\n';
    }
    return text;
}

}  // namespace idmap
