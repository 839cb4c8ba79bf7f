// Names with a value each, for the tables of --check and --list, which hold
// every user of a large site. The hash table itself is one array of 8-byte
// slots (open addressing, linear probing), each the upper half of the hash
// and an index into the entries, which are kept in insertion order with
// their names in one buffer. The array stays small enough to stay in cache
// on a 400,000-user site, and most probes are settled without touching an
// entry. (std::unordered_map took most of --check's time there: a node per
// name, scattered.) Pure, header-only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idmap {

template <typename Value> class NameMap {
public:
    // Room for n names without growing.
    void reserve(std::size_t n)
    {
        entries_.reserve(n);
        std::size_t capacity = 16;
        while (capacity < n + n / 2 + 1) {
            capacity *= 2;
        }
        if (capacity > slots_.size()) {
            rehash(capacity);
        }
    }

    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

    // The names in the order they were first inserted, and their values.
    [[nodiscard]] std::string_view name_at(std::size_t index) const noexcept
    {
        const Entry& entry = entries_[index];
        return std::string_view(names_).substr(entry.offset, entry.length);
    }
    [[nodiscard]] const Value& value_at(std::size_t index) const noexcept
    {
        return entries_[index].value;
    }
    // The index of name in that order, or size() if it is not there.
    [[nodiscard]] std::size_t index_of(std::string_view name) const
    {
        if (slots_.empty()) {
            return size();
        }
        const std::uint64_t hash = hash_of(name);
        for (std::size_t i = hash & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
            const std::uint64_t slot = slots_[i];
            if (slot == 0) {
                return size();
            }
            if ((slot & ~index_mask) == tag_of(hash) && name_at((slot & index_mask) - 1) == name) {
                return (slot & index_mask) - 1;
            }
        }
    }

    // The value of name, inserting `value` first if name is not there yet;
    // true if it was inserted. The pointer is valid until the next insertion.
    std::pair<Value*, bool> try_emplace(std::string_view name, const Value& value)
    {
        if ((entries_.size() + 1) * 3 > slots_.size() * 2) {
            rehash(slots_.empty() ? 16 : slots_.size() * 2);
        }
        const std::uint64_t hash = hash_of(name);
        std::size_t i = hash & (slots_.size() - 1);
        for (;; i = (i + 1) & (slots_.size() - 1)) {
            const std::uint64_t slot = slots_[i];
            if (slot == 0) {
                slots_[i] = tag_of(hash) | (entries_.size() + 1);
                entries_.push_back(Entry{names_.size(), name.size(), value});
                names_.append(name);
                return {&entries_.back().value, true};
            }
            if ((slot & ~index_mask) == tag_of(hash) && name_at((slot & index_mask) - 1) == name) {
                return {&entries_[(slot & index_mask) - 1].value, false};
            }
        }
    }

    [[nodiscard]] const Value* find(std::string_view name) const
    {
        const std::size_t index = index_of(name);
        return index == size() ? nullptr : &entries_[index].value;
    }

private:
    struct Entry {
        std::size_t offset;  // of the name in names_
        std::size_t length;
        Value value;
    };

    static constexpr std::uint64_t index_mask = 0xffffffffULL;

    // FNV-1a, then mixed so that the low bits used for the index depend on
    // every byte.
    static std::uint64_t hash_of(std::string_view name) noexcept
    {
        std::uint64_t h = 14695981039346656037ULL;
        for (char c : name) {
            h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        }
        h ^= h >> 29;
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 32;
        return h;
    }

    // A slot: the upper 32 bits of the hash, and 1 + the entry's index (0:
    // an empty slot).
    static std::uint64_t tag_of(std::uint64_t hash) noexcept { return hash & ~index_mask; }

    void rehash(std::size_t capacity)
    {
        std::vector<std::uint64_t> old(capacity, 0);
        old.swap(slots_);
        for (std::size_t index = 0; index < entries_.size(); ++index) {
            const Entry& entry = entries_[index];
            const std::uint64_t hash =
                hash_of(std::string_view(names_).substr(entry.offset, entry.length));
            std::size_t i = hash & (capacity - 1);
            while (slots_[i] != 0) {
                i = (i + 1) & (capacity - 1);
            }
            slots_[i] = tag_of(hash) | (index + 1);
        }
    }

    std::vector<std::uint64_t> slots_;
    std::vector<Entry> entries_;
    std::string names_;
};

}  // namespace idmap
