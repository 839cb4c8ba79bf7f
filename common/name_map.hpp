// Names with a value each, for the tables of --check and --list, which hold
// every user of a large site. The hash table itself is one array of 8-byte
// slots (open addressing, linear probing), each the upper half of the hash
// and an index into the entries, which are kept in insertion order with
// their names in one buffer. The array stays small enough to stay in cache
// on a 400,000-user site, and most probes are settled without touching an
// entry. (std::unordered_map took most of --check's time there: a node per
// name, scattered.) Pure, header-only.
#pragma once

#include "huge_pages.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idmap {

// The names of a NameMap, for looking many of them up in another table
// (passwd) without knowing what they map to.
// Eight bytes at a time, multiplied and mixed so that the low bits used for
// a table index depend on every byte. (The names come from files only root
// can write: no one chooses them to collide.)
inline std::uint64_t name_hash(std::string_view name) noexcept
{
    constexpr std::uint64_t m = 0x9e3779b97f4a7c15ULL;
    std::uint64_t h = name.size() * m;
    const char* p = name.data();
    std::size_t left = name.size();
    for (; left >= 8; left -= 8, p += 8) {
        std::uint64_t k = 0;
        std::memcpy(&k, p, 8);
        h = (h ^ k) * m;
        h ^= h >> 32;
    }
    if (left > 0) {
        std::uint64_t k = 0;
        std::memcpy(&k, p, left);
        h = (h ^ k) * m;
        h ^= h >> 32;
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

class NameSet {
public:
    virtual ~NameSet() = default;
    [[nodiscard]] virtual std::size_t size() const noexcept = 0;
    [[nodiscard]] virtual std::string_view name_at(std::size_t index) const noexcept = 0;
    // size() if name is not there; hash is hash_of(name).
    [[nodiscard]] virtual std::size_t index_of(std::string_view name, std::uint64_t hash) const = 0;
    virtual void prefetch(std::uint64_t hash) const noexcept = 0;
};

template <typename Value> class NameMap final : public NameSet {
public:
    // Room for n names without growing.
    void reserve(std::size_t n)
    {
        reserve_large(entries_, n);
        std::size_t capacity = 16;
        while (capacity < n + n / 2 + 1) {
            capacity *= 2;
        }
        if (capacity > slots_.size()) {
            rehash(capacity);
        }
    }

    [[nodiscard]] std::size_t size() const noexcept override { return entries_.size(); }

    // The names in the order they were first inserted, and their values.
    [[nodiscard]] std::string_view name_at(std::size_t index) const noexcept override
    {
        const Entry& entry = entries_[index];
        return std::string_view(names_).substr(entry.offset, entry.length);
    }
    [[nodiscard]] const Value& value_at(std::size_t index) const noexcept
    {
        return entries_[index].value;
    }
    [[nodiscard]] Value& value_at(std::size_t index) noexcept { return entries_[index].value; }
    // The index of name in that order, or size() if it is not there.
    [[nodiscard]] std::size_t index_of(std::string_view name) const
    {
        return index_of(name, hash_of(name));
    }
    [[nodiscard]] std::size_t index_of(std::string_view name, std::uint64_t hash) const override
    {
        if (slots_.empty()) {
            return size();
        }
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

    static std::uint64_t hash_of(std::string_view name) noexcept { return name_hash(name); }

    // Starts loading the slot where a name of this hash is looked for, so
    // that a lookup a few lines later does not wait for memory: on a large
    // site every lookup is a cache miss, and misses overlap only if asked
    // for ahead.
    void prefetch(std::uint64_t hash) const noexcept override
    {
        // No branch around it: GCC 12 drops a prefetch that is inside one.
        // (Empty, data() is null and mask_ 0: a prefetch of null is harmless.)
        __builtin_prefetch(slots_.data() + (hash & mask_));
    }

    // The value of name, inserting `value` first if name is not there yet;
    // true if it was inserted. The pointer is valid until the next insertion.
    std::pair<Value*, bool> try_emplace(std::string_view name, const Value& value)
    {
        return try_emplace(name, hash_of(name), value);
    }
    std::pair<Value*, bool> try_emplace(std::string_view name, std::uint64_t hash,
                                        const Value& value)
    {
        if ((entries_.size() + 1) * 3 > slots_.size() * 2) {
            rehash(slots_.empty() ? 16 : slots_.size() * 2);
        }
        std::size_t i = hash & (slots_.size() - 1);
        for (;; i = (i + 1) & (slots_.size() - 1)) {
            const std::uint64_t slot = slots_[i];
            if (slot == 0) {
                slots_[i] = tag_of(hash) | (entries_.size() + 1);
                entries_.push_back(
                    Entry{names_.size(), static_cast<std::uint32_t>(name.size()), value});
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
        std::size_t offset;    // of the name in names_
        std::uint32_t length;  // (a name is a line's field: far shorter)
        Value value;
    };

    static constexpr std::uint64_t index_mask = 0xffffffffULL;

    // A slot: the upper 32 bits of the hash, and 1 + the entry's index (0:
    // an empty slot).
    static std::uint64_t tag_of(std::uint64_t hash) noexcept { return hash & ~index_mask; }

    void rehash(std::size_t capacity)
    {
        std::vector<std::uint64_t> old;
        reserve_large(old, capacity);
        old.resize(capacity, 0);
        old.swap(slots_);
        mask_ = capacity - 1;
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
    std::size_t mask_ = 0;  // slots_.size() - 1, or 0 when there are none
    std::vector<Entry> entries_;
    std::string names_;
};

}  // namespace idmap
