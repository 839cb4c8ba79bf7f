#include "lint.hpp"

#include "decimal.hpp"
#include "text.hpp"

#include <algorithm>

namespace idmap {

void SubidLint::add(std::uint64_t line, std::string problem)
{
    findings_.push_back({line, std::move(problem)});
}

std::uint32_t SubidLint::owner_of(std::string_view name)
{
    if (const std::uint32_t* known = owner_index_.find(name)) {
        return *known;
    }
    Owner owner;
    owner.name = std::string(name);
    const ParsedDecimal uid = parse_decimal(name, max_id);
    if (uid.ok()) {
        // A uid needs no passwd entry to own ranges (SPEC §3).
        owner.known = true;
        owner.key = uid.value;
        if (kind_ == IdKind::uid) {
            owner.own_id = static_cast<std::uint32_t>(uid.value);
        } else if (const auto entry = passwd_.entry_of_uid(static_cast<uid_t>(uid.value))) {
            owner.own_id = entry->gid;
        }
    } else if (const auto entry = passwd_.entry_of(owner.name)) {
        owner.known = true;
        owner.key = entry->uid;
        owner.own_id = kind_ == IdKind::uid ? entry->uid : entry->gid;
    } else {
        owner.key = next_unknown_key_++;
    }
    const auto index = static_cast<std::uint32_t>(owners_.size());
    owners_.push_back(std::move(owner));
    owner_index_.try_emplace(name, index);
    return index;
}

void SubidLint::take(const Line& line)
{
    if (line.too_long) {
        add(line.number, "line is longer than " + std::to_string(max_subid_line) + " bytes");
        return;
    }
    const SubidLine parsed = parse_subid_line(line.text);
    if (parsed.kind == SubidLine::Kind::comment) {
        return;
    }
    if (parsed.kind == SubidLine::Kind::invalid) {
        add(line.number, std::string(parsed.problem) + ": the line grants nothing");
        return;
    }
    const SubidEntry& entry = parsed.entry;
    const std::uint32_t index = owner_of(entry.owner);
    const Owner& owner = owners_[index];
    const auto ids = [&] {
        return std::string(traits(kind_).id_word) + "s " + describe_range(entry.range);
    };
    if (!owner.known) {
        add(line.number, "owner " + quote(entry.owner) + " has no passwd entry");
    }
    if (owner.own_id && *owner.own_id >= entry.range.first && *owner.own_id < entry.range.end()) {
        add(line.number, ids() + " contain " + quote(entry.owner) + "'s own " +
                             traits(kind_).id_word + " " + std::to_string(*owner.own_id));
    }
    if (entry.range.first < first_subordinate_id) {
        add(line.number, ids() + " include IDs below " + std::to_string(first_subordinate_id) +
                             ", which belong to the system and to users");
    }
    entries_.push_back({entry.range, line.number, owner.key, index});
}

void SubidLint::reserve(std::size_t lines)
{
    const std::size_t bounded = std::min<std::size_t>(lines, 4U << 20);
    owner_index_.reserve(bounded);
    entries_.reserve(bounded);
}

void SubidLint::feed(std::string_view chunk)
{
    lines_.feed(chunk, [this](const Line& line) { take(line); });
}

void SubidLint::finish()
{
    lines_.finish([this](const Line& line) { take(line); });
    // Overlaps between different owners: sweep by start, keeping the entry
    // that reaches furthest, and the one that reaches furthest among the
    // other owners; every entry that overlaps an earlier one of another
    // owner is reported once, naming one such entry.
    const auto by_start = [](const Entry& a, const Entry& b) {
        return a.range.first != b.range.first ? a.range.first < b.range.first : a.line < b.line;
    };
    // Files written by useradd are in order already: no sort needed then.
    if (!std::is_sorted(entries_.begin(), entries_.end(), by_start)) {
        std::sort(entries_.begin(), entries_.end(), by_start);
    }
    const Entry* furthest = nullptr;
    const Entry* other = nullptr;  // furthest among owners other than furthest's
    for (const Entry& entry : entries_) {
        const Entry* clash = nullptr;
        if (furthest != nullptr && furthest->owner_key != entry.owner_key &&
            furthest->range.end() > entry.range.first) {
            clash = furthest;
        } else if (other != nullptr && other->owner_key != entry.owner_key &&
                   other->range.end() > entry.range.first) {
            clash = other;
        }
        if (clash != nullptr) {
            const Entry& first = clash->line < entry.line ? *clash : entry;
            const Entry& second = clash->line < entry.line ? entry : *clash;
            add(second.line,
                std::string(traits(kind_).id_word) + "s " + describe_range(second.range) + " of " +
                    quote(owners_[second.owner].name) + " overlap " + describe_range(first.range) +
                    " of " + quote(owners_[first.owner].name) + " on line " +
                    std::to_string(first.line) + ": each could read the other's files");
        }
        if (furthest == nullptr || entry.range.end() > furthest->range.end()) {
            if (furthest != nullptr && furthest->owner_key != entry.owner_key) {
                other = furthest;
            }
            furthest = &entry;
        } else if (entry.owner_key != furthest->owner_key &&
                   (other == nullptr || entry.range.end() > other->range.end())) {
            other = &entry;
        }
    }
}

std::vector<Finding> SubidLint::findings() const
{
    std::vector<Finding> sorted = findings_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Finding& a, const Finding& b) { return a.line < b.line; });
    return sorted;
}

}  // namespace idmap
