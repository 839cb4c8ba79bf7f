#include "subid_file.hpp"

#include "decimal.hpp"

#include <algorithm>

namespace idmap {

namespace {

bool is_blank(char c) noexcept
{
    return c == ' ' || c == '\t';
}

SubidLine invalid(std::string_view problem) noexcept
{
    SubidLine line;
    line.kind = SubidLine::Kind::invalid;
    line.problem = problem;
    return line;
}

}  // namespace

SubidLine parse_subid_line(std::string_view text) noexcept
{
    const auto first = std::find_if_not(text.begin(), text.end(), is_blank);
    if (first == text.end() || *first == '#') {
        SubidLine line;
        line.kind = SubidLine::Kind::comment;
        return line;
    }
    const std::size_t colon1 = text.find(':');
    const std::size_t colon2 =
        colon1 == std::string_view::npos ? colon1 : text.find(':', colon1 + 1);
    if (colon2 == std::string_view::npos) {
        return invalid("not owner:start:count (too few fields)");
    }
    if (text.find(':', colon2 + 1) != std::string_view::npos) {
        return invalid("not owner:start:count (too many fields)");
    }
    const std::string_view owner = text.substr(0, colon1);
    const std::string_view start_text = text.substr(colon1 + 1, colon2 - colon1 - 1);
    const std::string_view count_text = text.substr(colon2 + 1);
    if (owner.empty()) {
        return invalid("empty owner");
    }
    for (char c : owner) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f) {
            return invalid("owner contains a blank or control character");
        }
    }
    const ParsedDecimal start = parse_decimal(start_text, max_id);
    if (!start.ok()) {
        if (start_text.empty()) {
            return invalid("empty start");
        }
        return invalid(start.error == DecimalError::too_large
                           ? "start is past the last ID 4294967294"
                           : "start is not a plain decimal number");
    }
    const ParsedDecimal count = parse_decimal(count_text, id_limit);
    if (!count.ok()) {
        if (count_text.empty()) {
            return invalid("empty count");
        }
        if (!count_text.empty() && count_text.back() == '\r') {
            return invalid("count ends in a carriage return (DOS line ending)");
        }
        return invalid(count.error == DecimalError::too_large
                           ? "count is larger than the ID space"
                           : "count is not a plain decimal number");
    }
    if (count.value == 0) {
        return invalid("count is 0, which grants nothing");
    }
    if (start.value + count.value > id_limit) {
        return invalid("range runs past the last ID 4294967294");
    }
    SubidLine line;
    line.kind = SubidLine::Kind::entry;
    line.entry = SubidEntry{owner, IdRange{start.value, count.value}};
    return line;
}

SubidScan::SubidScan(std::span<const IdRange> wanted, OwnerTest is_caller)
    : is_caller_(std::move(is_caller))
{
    coverage_.reserve(wanted.size());
    std::uint64_t low = id_limit;
    std::uint64_t high = 0;
    for (const IdRange& range : wanted) {
        coverage_.emplace_back(range);
        low = std::min(low, range.first);
        high = std::max(high, range.end());
    }
    hull_ = low < high ? IdRange{low, high - low} : IdRange{0, 0};
}

void SubidScan::take(const Line& line)
{
    if (line.too_long) {
        return;
    }
    const SubidLine parsed = parse_subid_line(line.text);
    if (parsed.kind != SubidLine::Kind::entry || !parsed.entry.range.overlaps(hull_)) {
        return;
    }
    bool owner_checked = false;
    for (Coverage& coverage : coverage_) {
        if (!parsed.entry.range.overlaps(coverage.wanted())) {
            continue;
        }
        if (!owner_checked) {
            if (!is_caller_(parsed.entry.owner)) {
                return;
            }
            owner_checked = true;
        }
        coverage.add(parsed.entry.range);
    }
}

void SubidScan::feed(std::string_view chunk)
{
    lines_.feed(chunk, [this](const Line& line) { take(line); });
}

void SubidScan::finish()
{
    lines_.finish([this](const Line& line) { take(line); });
}

}  // namespace idmap
