#include "lint.hpp"

#include "decimal.hpp"
#include "huge_pages.hpp"
#include "text.hpp"

#include <algorithm>

namespace idmap {

void SubidLint::add(std::uint64_t line, std::string problem)
{
    findings_.push_back({line, std::move(problem)});
}

void SubidLint::resolve_owners()
{
    reserve_large(owners_, names_.size());
    owners_.assign(names_.size(), Owner{});
    const std::uint64_t unknown_keys = std::uint64_t{1} << 33;  // past every uid
    const std::vector<std::optional<PasswdEntry>> found = passwd_.entries_of(names_);
    for (std::size_t i = 0; i < names_.size(); ++i) {
        Owner& owner = owners_[i];
        const ParsedDecimal uid = parse_decimal(names_.name_at(i), max_id);
        if (uid.ok()) {
            // A uid needs no passwd entry to own ranges (SPEC §3).
            owner.known = true;
            owner.key = uid.value;
            if (kind_ == IdKind::uid) {
                owner.own_id = static_cast<std::uint32_t>(uid.value);
                owner.has_own_id = true;
            } else if (const auto entry = passwd_.entry_of_uid(static_cast<uid_t>(uid.value))) {
                owner.own_id = entry->gid;
                owner.has_own_id = true;
            }
        } else if (i < found.size() && found[i]) {
            owner.known = true;
            owner.key = found[i]->uid;
            owner.own_id = kind_ == IdKind::uid ? found[i]->uid : found[i]->gid;
            owner.has_own_id = true;
        } else {
            owner.key = unknown_keys + i;
        }
    }
}

// The findings about each entry's owner and IDs, in file order.
void SubidLint::check_entries()
{
    for (Entry& entry : entries_) {
        const Owner& owner = owners_[entry.owner];
        entry.owner_key = owner.key;
        const std::string_view name = names_.name_at(entry.owner);
        const auto ids = [&] {
            return std::string(traits(kind_).id_word) + "s " + describe_range(entry.range());
        };
        if (!owner.known) {
            add(entry.line, "owner " + quote(name) + " has no passwd entry");
        }
        if (owner.has_own_id && owner.own_id >= entry.range().first &&
            owner.own_id < entry.range().end()) {
            add(entry.line, ids() + " contain " + quote(name) + "'s own " + traits(kind_).id_word +
                                " " + std::to_string(owner.own_id));
        }
        if (entry.range().first < first_subordinate_id) {
            add(entry.line, ids() + " include IDs below " + std::to_string(first_subordinate_id) +
                                ", which belong to the system and to users");
        }
    }
}

// The lines of a chunk: parsed first, so that the owners' table slots (and
// passwd's) can be asked for a few lines ahead: on a large site each lookup
// is a cache miss, and misses overlap only when asked for early.
void SubidLint::take_batch()
{
    parsed_.clear();
    hashes_.clear();
    for (std::size_t i = 0; i < batch_.size(); ++i) {
        const Line line = batch_[i];
        parsed_.push_back(line.too_long ? SubidLine{} : parse_subid_line(line.text));
        hashes_.push_back(parsed_.back().kind == SubidLine::Kind::entry
                              ? name_hash(parsed_.back().entry.owner)
                              : 0);
    }
    constexpr std::size_t ahead = 8;
    for (std::size_t i = 0; i < batch_.size(); ++i) {
        if (i + ahead < batch_.size() && parsed_[i + ahead].kind == SubidLine::Kind::entry) {
            names_.prefetch(hashes_[i + ahead]);
        }
        take(batch_[i], parsed_[i], hashes_[i]);
    }
    batch_.clear();
}

void SubidLint::take(const Line& line, const SubidLine& parsed, std::uint64_t owner_hash)
{
    if (line.too_long) {
        add(line.number, "line is longer than " + std::to_string(max_subid_line) + " bytes");
        return;
    }
    if (parsed.kind == SubidLine::Kind::comment) {
        return;
    }
    if (parsed.kind == SubidLine::Kind::invalid) {
        add(line.number, std::string(parsed.problem) + ": the line grants nothing");
        return;
    }
    const SubidEntry& entry = parsed.entry;
    const auto index = static_cast<std::uint32_t>(names_.size());
    const std::uint32_t owner =
        *names_.try_emplace(entry.owner, owner_hash, index).first;  // the first index of the name
    entries_.push_back({static_cast<std::uint32_t>(entry.range.first),
                        static_cast<std::uint32_t>(entry.range.count), owner, line.number, 0});
}

void SubidLint::reserve(std::size_t lines)
{
    const std::size_t bounded = std::min<std::size_t>(lines, 4U << 20);
    names_.reserve(bounded);
    reserve_large(entries_, bounded);
}

void SubidLint::feed(std::string_view chunk)
{
    batch_.start(chunk);
    lines_.feed(chunk, [this](const Line& line) { batch_.add(line); });
    take_batch();
}

void SubidLint::finish()
{
    batch_.start({});
    lines_.finish([this](const Line& line) { batch_.add(line); });
    take_batch();
    resolve_owners();
    check_entries();
    check_overlaps();
}

void SubidLint::check_overlaps()
{
    // Overlaps between different owners: sweep by start, keeping the entry
    // that reaches furthest, and the one that reaches furthest among the
    // other owners; every entry that overlaps an earlier one of another
    // owner is reported once, naming one such entry.
    const auto by_start = [](const Entry& a, const Entry& b) {
        return a.range().first != b.range().first ? a.range().first < b.range().first
                                                  : a.line < b.line;
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
            furthest->range().end() > entry.range().first) {
            clash = furthest;
        } else if (other != nullptr && other->owner_key != entry.owner_key &&
                   other->range().end() > entry.range().first) {
            clash = other;
        }
        if (clash != nullptr) {
            const Entry& first = clash->line < entry.line ? *clash : entry;
            const Entry& second = clash->line < entry.line ? entry : *clash;
            add(second.line,
                std::string(traits(kind_).id_word) + "s " + describe_range(second.range()) +
                    " of " + quote(names_.name_at(second.owner)) + " overlap " +
                    describe_range(first.range()) + " of " + quote(names_.name_at(first.owner)) +
                    " on line " + std::to_string(first.line) +
                    ": each could read the other's files");
        }
        if (furthest == nullptr || entry.range().end() > furthest->range().end()) {
            if (furthest != nullptr && furthest->owner_key != entry.owner_key) {
                other = furthest;
            }
            furthest = &entry;
        } else if (entry.owner_key != furthest->owner_key &&
                   (other == nullptr || entry.range().end() > other->range().end())) {
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
